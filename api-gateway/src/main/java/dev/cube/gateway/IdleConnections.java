package dev.cube.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection on which nothing was read or written for a while: a client that opened it and
 * went silent, or stopped in the middle of a request, holds no resources for ever. The limit is well
 * above the longest legitimate silence (a worker's long-poll: at most 30 s plus the API timeout).
 */
final class IdleConnections extends IdleStateHandler {
    static final int IDLE_SECONDS = 120;

    IdleConnections() {
        super(0, 0, IDLE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ctx.close();
    }
}
