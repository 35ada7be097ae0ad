package dev.cube.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A {@link ClientConnection} over a Netty channel. A close this side asks for (an idle connection,
 * an answer with {@code Connection: close}, an error, the gateway stopping) passes through the
 * pipeline, where {@link #SERVER_CLOSES} marks it; a peer that closes or dies is seen by the
 * socket's read instead, which closes the channel without the pipeline. A read or write that fails
 * with an I/O error (a reset by the peer) counts as the peer's doing.
 */
final class NettyConnection implements ClientConnection {
    private static final AttributeKey<Boolean> CLOSED_BY_SERVER = AttributeKey.valueOf("cube.closedByServer");
    private static final AttributeKey<Boolean> PEER_FAILED = AttributeKey.valueOf("cube.peerFailed");

    /** First in every pipeline: marks the closes this side asks for. */
    static final ChannelHandler SERVER_CLOSES = new ServerCloses();

    private final Channel channel;
    private final BooleanSupplier serverStopping;

    NettyConnection(Channel channel, BooleanSupplier serverStopping) {
        this.channel = channel;
        this.serverStopping = serverStopping;
    }

    /** The connection failed on the peer's side (reset): its close, whoever asks for it, is the peer's. */
    static void peerFailed(Channel channel) {
        channel.attr(PEER_FAILED).set(Boolean.TRUE);
    }

    @Override
    public void whenClosed(Consumer<ClosedBy> listener) {
        channel.closeFuture().addListener(done -> listener.accept(closedBy()));
    }

    private ClosedBy closedBy() {
        if (serverStopping.getAsBoolean()) return ClosedBy.SERVER;
        boolean byServer = Boolean.TRUE.equals(channel.attr(CLOSED_BY_SERVER).get())
                && !Boolean.TRUE.equals(channel.attr(PEER_FAILED).get());
        return byServer ? ClosedBy.SERVER : ClosedBy.PEER;
    }

    @Override
    public String toString() {
        return "connection " + channel.remoteAddress();
    }

    @ChannelHandler.Sharable
    private static final class ServerCloses extends ChannelOutboundHandlerAdapter {
        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
            ctx.channel().attr(CLOSED_BY_SERVER).set(Boolean.TRUE);
            super.close(ctx, promise);
        }
    }
}
