package dev.cube.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each request of one connection to its route and writes the answer when the route's
 * future completes, never blocking the event loop. Answers leave in request order (HTTP/1.1
 * pipelining), each one counted in {@link RequestMetrics}; a streamed answer holds the later ones back
 * until its body ends. One instance per connection.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final Router router;
    private final RequestMetrics metrics;
    private final ApiAuth auth;
    private final BooleanSupplier serverStopping;
    private ClientConnection connection;
    private final Map<Long, ApiResponse> finished = new HashMap<>();
    /** A streamed answer is being written: later answers wait. */
    private boolean streaming;
    private long received;
    private long written;

    RequestHandler(Router router, RequestMetrics metrics, ApiAuth auth, BooleanSupplier serverStopping) {
        this.router = router;
        this.metrics = metrics;
        this.auth = auth;
        this.serverStopping = serverStopping;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long started = System.nanoTime();
        long sequence = received++;
        String method = request.method().name();
        String uri = request.uri();
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ApiResponse bad = (switch (cause) {
                case TooLongHttpLineException tooLong -> ApiResponse.error(414, "the request line is longer than "
                        + GatewayChannelInitializer.MAX_INITIAL_LINE + " bytes");
                case TooLongHttpHeaderException tooLong -> ApiResponse.error(431, "the request headers are larger "
                        + "than " + GatewayChannelInitializer.MAX_HEADER_BYTES + " bytes");
                default -> ApiResponse.error(400, "malformed HTTP request: " + cause);
            })
                    .withHeader(HttpHeaderNames.CONNECTION.toString(), HttpHeaderValues.CLOSE.toString());
            finish(ctx, sequence, bad, method, RequestMetrics.UNMATCHED, started);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        String[] route = {RequestMetrics.UNMATCHED};
        CompletableFuture<ApiResponse> answer;
        try {
            if (connection == null) {
                connection = new NettyConnection(ctx.channel(), serverStopping);
            }
            answer = dispatch(method, uri, request.headers().get(HttpHeaderNames.AUTHORIZATION), body, route);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.exceptionally(failure -> FailureResponses.of(failure, method, uri))
                .thenAccept(response -> ctx.executor().execute(
                        () -> finish(ctx, sequence, response, method, route[0], started)));
    }

    /**
     * Resolves the route (recording its template in {@code route[0]}), checks the caller's token and
     * calls it. A path that matches no route needs a token too: without one, nothing is revealed.
     */
    private CompletableFuture<ApiResponse> dispatch(String method, String uri, String authorization, byte[] body,
                                                    String[] route) {
        QueryStringDecoder decoder = parseUri(uri);
        Router.Resolution resolution = router.resolve(method, segments(decoder.rawPath()));
        Route.Access access = resolution instanceof Router.Resolution.Found found
                ? found.route().access() : Route.Access.READ;
        if (auth.check(access, authorization) instanceof ApiAuth.Decision.Denied denied) {
            if (resolution instanceof Router.Resolution.Found found) {
                route[0] = found.route().template().text();
            }
            ApiResponse refused = ApiResponse.error(denied.status(), denied.message());
            return CompletableFuture.completedFuture(denied.status() == 401
                    ? refused.withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"cube\"")
                    : refused);
        }
        return switch (resolution) {
            case Router.Resolution.Found found -> {
                route[0] = found.route().template().text();
                ApiRequest request = new ApiRequest(method, decoder.path(), found.params(),
                        new QueryParams(decoder.parameters()), body, connection);
                yield found.route().handler().handle(request);
            }
            case Router.Resolution.MethodNotAllowed notAllowed -> {
                route[0] = notAllowed.template();
                yield CompletableFuture.completedFuture(ApiResponse.error(405, "method " + method
                                + " is not allowed on " + notAllowed.template() + "; use "
                                + String.join(" or ", notAllowed.allowed()))
                        .withHeader(HttpHeaderNames.ALLOW.toString(), String.join(", ", notAllowed.allowed())));
            }
            case Router.Resolution.NotFound notFound -> CompletableFuture.completedFuture(
                    ApiResponse.error(404, "no such endpoint: " + JsonFields.abbreviate(decoder.rawPath())));
        };
    }

    private static QueryStringDecoder parseUri(String uri) {
        try {
            QueryStringDecoder decoder = new QueryStringDecoder(uri);
            decoder.parameters();
            decoder.path();
            return decoder;
        } catch (IllegalArgumentException e) {
            throw new ValidationException(null, "malformed URL: " + e.getMessage());
        }
    }

    /** The URL-decoded segments of a raw path; "/tasks/a%2Fb" has the two segments "tasks" and "a/b". */
    private static List<String> segments(String rawPath) {
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        List<String> segments = new ArrayList<>();
        for (String segment : trimmed.split("/", -1)) {
            try {
                segments.add(QueryStringDecoder.decodeComponent(segment));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(null, "malformed URL: " + e.getMessage());
            }
        }
        return segments;
    }

    /** Runs on the event loop: queues the answer and writes every answer whose turn has come. */
    private void finish(ChannelHandlerContext ctx, long sequence, ApiResponse response, String method,
                        String route, long started) {
        metrics.record(method, route, response.status(), System.nanoTime() - started);
        finished.put(sequence, response);
        writeReady(ctx);
    }

    /** Writes queued answers in order; stops at a streamed one until its body has ended. */
    private void writeReady(ChannelHandlerContext ctx) {
        ApiResponse next;
        while (!streaming && (next = finished.remove(written)) != null) {
            written++;
            if (next.stream() != null) {
                streaming = true;
                // The head goes out only once the stream has started: a client that has seen it may
                // rely on what the stream subscribed to (GET /events hears every later event).
                ctx.write(NettyResponses.head(next));
                ResponseStream stream = next.stream();
                NettyChunkSink sink = new NettyChunkSink(ctx, () -> ctx.executor().execute(() -> {
                    streaming = false;
                    writeReady(ctx);
                }));
                try {
                    stream.start(sink);
                } catch (RuntimeException e) {
                    log.warn("stream failed to start: {}", e.toString());
                    sink.end();
                }
                ctx.flush();
                return;
            }
            FullHttpResponse http = NettyResponses.toNetty(next);
            boolean close = http.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
            var future = ctx.writeAndFlush(http);
            if (close) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        finished.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {} closed after an error: {}", ctx.channel().remoteAddress(), cause.toString());
        if (cause instanceof java.io.IOException) {
            NettyConnection.peerFailed(ctx.channel());   // e.g. reset by the peer: the close is the peer's doing
        }
        ctx.close();
    }
}
