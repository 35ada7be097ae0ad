package dev.cube.gateway;

import com.codahale.metrics.MetricRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: Cube's public API, the worker endpoints and {@code /metrics}, served by Netty
 * in front of a {@link ClusterApi}. It holds no state of its own. Every call to the cluster is
 * bounded by a timeout (10 s by default; a worker's long-poll gets its wait on top). Tokens, HTTPS
 * and task defaults come from {@link GatewayOptions}.
 *
 * <pre>{@code
 * try (GatewayServer gateway = new GatewayServer("0.0.0.0", 8080, clusterApi, registry).start()) { ... }
 * }</pre>
 */
public final class GatewayServer implements AutoCloseable {
    public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final String host;
    private final int requestedPort;
    private final Router router;
    private final GatewayOptions options;
    private final RequestMetrics requestMetrics;
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Channel serverChannel;
    /** Set before the gateway closes its connections, so that their closes are not taken for clients leaving. */
    private volatile boolean stopping;

    public GatewayServer(String host, int port, ClusterApi api, MetricRegistry registry) {
        this(host, port, api, registry, DEFAULT_API_TIMEOUT);
    }

    /** As the main constructor, with {@code apiTimeout} instead of 10 s for each call to the cluster. */
    public GatewayServer(String host, int port, ClusterApi api, MetricRegistry registry, Duration apiTimeout) {
        this(host, port, api, registry, GatewayOptions.defaults().withApiTimeout(apiTimeout));
    }

    /** With tokens, TLS and task defaults as {@code options} say. */
    public GatewayServer(String host, int port, ClusterApi api, MetricRegistry registry, GatewayOptions options) {
        this.host = host;
        this.requestedPort = port;
        this.options = options;
        this.requestMetrics = new RequestMetrics(registry);
        PrometheusExposition prometheus = new PrometheusExposition(registry, requestMetrics);
        Duration apiTimeout = options.apiTimeout();
        List<Route> routes = new ArrayList<>();
        routes.addAll(new TaskRoutes(api, apiTimeout, options.taskDefaults()).routes());
        routes.addAll(new WorkerRoutes(api, apiTimeout).routes());
        routes.addAll(new ClusterRoutes(api, apiTimeout).routes());
        routes.addAll(new MetricsRoutes(registry, prometheus).routes());
        routes.addAll(new ConsoleRoutes().routes());
        routes.addAll(new EventRoutes(api).routes());
        routes.addAll(new LogRoutes(api, apiTimeout).routes());
        routes.addAll(new OpenApiRoutes().routes());
        this.router = new Router(routes);
    }

    /** Every route this gateway serves (what {@code GET /openapi.json} must describe). */
    public List<Route> routes() {
        return router.routes();
    }

    /** Binds and starts serving; port 0 picks a free port (see {@link #port()}). */
    public synchronized GatewayServer start() {
        if (serverChannel != null) {
            throw new IllegalStateException("the gateway is already started");
        }
        stopping = false;
        acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(NioServerSocketChannel.class)
                    // Thousands of workers may connect at once (a fleet starting, a new leader): a
                    // short accept queue drops their SYNs and each waits a retransmit (1 s, 3 s, ...).
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new GatewayChannelInitializer(router, requestMetrics, MAX_BODY_BYTES,
                            options.auth(), options.tls(), () -> stopping))
                    .bind(host, requestedPort)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("cannot listen on " + host + ":" + requestedPort + ": " + e, e);
        }
        log.info("gateway listening on {}://{}:{} (API tokens {}, join token {})", options.tls() == null ? "http" : "https",
                host, port(), options.auth().tokensRequired() ? "required" : "not required",
                options.auth().joinTokenRequired() ? "required" : "not required");
        return this;
    }

    /** The port actually bound. */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("the gateway is not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes open connections and stops the event loops. */
    @Override
    public synchronized void close() {
        if (serverChannel == null) {
            return;
        }
        int port = port();
        stopping = true;
        serverChannel.close().syncUninterruptibly();
        serverChannel = null;
        shutdownGroups();
        log.info("gateway on {}:{} stopped", host, port);
    }

    private void shutdownGroups() {
        for (EventLoopGroup group : new EventLoopGroup[] {acceptors, workers}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        acceptors = null;
        workers = null;
    }
}
