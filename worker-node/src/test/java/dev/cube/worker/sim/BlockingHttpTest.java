package dev.cube.worker.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet's blocking HTTP client against a raw socket server: keep-alive answers, and a call that gets none. */
class BlockingHttpTest {

    /** Reads one request head (and a body of {@code bodyBytes}) and answers {@code answer}, twice on one connection. */
    private static Thread server(ServerSocket server, int bodyBytes, String answer) {
        return Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                for (int call = 0; call < 2; call++) {
                    int matched = 0;
                    while (matched < 4) matched = in.read() == "\r\n\r\n".charAt(matched) ? matched + 1 : 0;
                    in.readNBytes(bodyBytes);
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // the test ends
            }
        });
    }

    @Test
    void aLargeBodyAfterTheHeadersArrivesWholeOnAKeptAliveConnection() throws Exception {
        String big = "x".repeat(5000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CallWatchdog watchdog = new CallWatchdog().start()) {
            server(server, 2, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + big.length()
                    + "\r\n\r\n" + big);
            BlockingHttp http = new BlockingHttp(List.of(URI.create("http://127.0.0.1:" + server.getLocalPort())), 0,
                    null, watchdog);
            for (int call = 0; call < 2; call++) {
                BlockingHttp.Reply r = http.send("POST", "/x", "{}".getBytes(), Duration.ofSeconds(10));
                assertEquals(200, r.status());
                assertArrayEquals(big.getBytes(), r.body());
            }
            http.close();
        }
    }

    @Test
    void aCallWithoutAnswerEndsAfterItsTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CallWatchdog watchdog = new CallWatchdog().start()) {
            server(server, 0, "");   // reads the requests, never answers
            BlockingHttp http = new BlockingHttp(List.of(URI.create("http://127.0.0.1:" + server.getLocalPort())), 0,
                    null, watchdog);
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> http.send("GET", "/x", null, Duration.ofMillis(1500)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getCause() instanceof SocketTimeoutException, e.toString());
            assertTrue(millis >= 1500 && millis < 10_000, millis + " ms");
        }
    }
}
