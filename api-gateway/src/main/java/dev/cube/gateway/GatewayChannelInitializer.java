package dev.cube.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/** The pipeline of one connection: HTTP codec, keep-alive, body aggregation (with a limit), routing. */
final class GatewayChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Router router;
    private final RequestMetrics metrics;
    private final int maxBodyBytes;

    GatewayChannelInitializer(Router router, RequestMetrics metrics, int maxBodyBytes) {
        this.router = router;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("codec", new HttpServerCodec())
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregator", new BodySizeLimit(maxBodyBytes))
                .addLast("requests", new RequestHandler(router, metrics));
    }
}
