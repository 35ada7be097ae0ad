package dev.cube.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;

/** The pipeline of one connection: TLS (when configured), HTTP codec, keep-alive, body aggregation (with a limit), routing. */
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

    /** {@code tls} null: plain HTTP. */
    GatewayChannelInitializer(Router router, RequestMetrics metrics, int maxBodyBytes, ApiAuth auth, SslContext tls) {
        this.router = router;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.auth = auth;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (tls != null) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        channel.pipeline()
                .addLast("idle", new IdleConnections())
                .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregator", new BodySizeLimit(maxBodyBytes))
                .addLast("requests", new RequestHandler(router, metrics, auth));
    }
}
