package dev.cube.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import java.util.function.BooleanSupplier;

/** The pipeline of one connection: a mark on closes this side makes, TLS (when configured), HTTP codec, keep-alive, body aggregation (with a limit), routing. */
final class GatewayChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** A longer request line (method, URL, version) is answered 414. */
    static final int MAX_INITIAL_LINE = 8192;
    /** Larger headers, all together, are answered 431. */
    static final int MAX_HEADER_BYTES = 16384;
    private static final int MAX_CHUNK_BYTES = 8192;

    private final Router router;
    private final RequestMetrics metrics;
    private final int maxBodyBytes;
    private final ApiAuth auth;
    private final SslContext tls;
    private final BooleanSupplier serverStopping;

    /** {@code tls} null: plain HTTP; {@code serverStopping} true once the gateway closes every connection. */
    GatewayChannelInitializer(Router router, RequestMetrics metrics, int maxBodyBytes, ApiAuth auth, SslContext tls,
                              BooleanSupplier serverStopping) {
        this.serverStopping = serverStopping;
        this.router = router;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.auth = auth;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline().addLast("server-closes", NettyConnection.SERVER_CLOSES);
        if (tls != null) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        channel.pipeline()
                .addLast("idle", new IdleConnections())
                .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregator", new BodySizeLimit(maxBodyBytes))
                .addLast("requests", new RequestHandler(router, metrics, auth, serverStopping));
    }
}
