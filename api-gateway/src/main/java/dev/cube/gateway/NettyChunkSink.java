package dev.cube.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a streamed body as HTTP chunks on one connection. A client that reads too slowly (more
 * than {@link #MAX_PENDING_BYTES} queued) is disconnected rather than letting the queue grow.
 */
final class NettyChunkSink implements ResponseStream.ChunkSink {
    static final long MAX_PENDING_BYTES = 16L << 20;
    private static final Logger log = LoggerFactory.getLogger(NettyChunkSink.class);

    private final ChannelHandlerContext ctx;
    private final Runnable whenEnded;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();

    /** {@code whenEnded} runs on the event loop after the last chunk was written by {@link #end()}. */
    NettyChunkSink(ChannelHandlerContext ctx, Runnable whenEnded) {
        this.ctx = ctx;
        this.whenEnded = whenEnded;
        ctx.channel().closeFuture().addListener(f -> close());
    }

    @Override
    public boolean write(byte[] bytes) {
        if (closed.get()) {
            return false;
        }
        if (pending.addAndGet(bytes.length) > MAX_PENDING_BYTES) {
            log.info("stream to {} dropped: the client reads too slowly", ctx.channel().remoteAddress());
            ctx.channel().close();
            return false;
        }
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)))
                .addListener(f -> pending.addAndGet(-bytes.length));
        return true;
    }

    @Override
    public void end() {
        if (close()) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE)
                    .addListener(f -> whenEnded.run());
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && ctx.channel().isActive();
    }

    @Override
    public void onClose(Runnable action) {
        closeActions.add(action);
        if (closed.get() && closeActions.remove(action)) {
            action.run();
        }
    }

    /** True for the one caller that closed it. */
    private boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        for (Runnable action : closeActions) {
            if (closeActions.remove(action)) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.warn("stream close action failed: {}", e.toString());
                }
            }
        }
        return true;
    }
}
