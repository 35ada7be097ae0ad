package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web console's static files over real HTTP: content types, caching headers, unknown files. */
class ConsoleRoutesTest {
    private static GatewayServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = new GatewayServer("127.0.0.1", 0, new FakeClusterApi(), new MetricRegistry()).start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        client.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void thePageIsHtmlRevalidatedOnEveryLoadAndLinksVersionedAssets() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "content-type"));
        assertEquals("no-cache", header(page, "cache-control"));
        assertEquals("nosniff", header(page, "x-content-type-options"));
        assertTrue(header(page, "content-security-policy").contains("script-src 'self'"));
        assertTrue(page.body().contains("id=\"tasks\""), page.body());
        assertTrue(page.body().contains("id=\"workers\""), page.body());
        assertTrue(page.body().contains("id=\"managers\""), page.body());
        assertTrue(Pattern.compile("/console/console\\.js\\?v=[0-9a-f]{12}\"").matcher(page.body()).find(), page.body());
        assertTrue(Pattern.compile("/console/console\\.css\\?v=[0-9a-f]{12}\"").matcher(page.body()).find(), page.body());
    }

    @Test
    void anAssetUnderItsCurrentVersionIsCachedForAYearOtherwiseRevalidated() throws Exception {
        String link = versionedLink("console.js");
        HttpResponse<String> versioned = get(link);
        assertEquals(200, versioned.statusCode());
        assertEquals("text/javascript; charset=utf-8", header(versioned, "content-type"));
        assertEquals("public, max-age=31536000, immutable", header(versioned, "cache-control"));
        assertTrue(versioned.body().contains("followEvents"), "the console script");

        HttpResponse<String> stale = get("/console/console.js?v=000000000000");
        assertEquals(200, stale.statusCode());
        assertEquals("no-cache", header(stale, "cache-control"));

        String cssLink = versionedLink("console.css");
        HttpResponse<String> css = get(cssLink);
        assertEquals("text/css; charset=utf-8", header(css, "content-type"));
        assertEquals("public, max-age=31536000, immutable", header(css, "cache-control"));
        assertEquals("\"" + cssLink.substring(cssLink.indexOf("?v=") + 3) + "\"", header(css, "etag"));
    }

    @Test
    void anUnknownFileIsAJson404AndTheDirectoryCannotBeLeft() throws Exception {
        for (String path : new String[] {"/console/nothing.js", "/console/..%2FGatewayServer.class",
                "/console/index.html.bak", "/console/%2e%2e"}) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("application/json", header(response, "content-type"), path);
        }
    }

    private static String versionedLink(String file) throws Exception {
        Matcher m = Pattern.compile("/console/" + Pattern.quote(file) + "\\?v=[0-9a-f]{12}").matcher(get("/").body());
        assertTrue(m.find(), file);
        return m.group();
    }
}
