package dev.cube.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.testing.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console end to end: a real manager serves the page, a real headless Chromium shows it.
 * A task submitted through the API appears (pending: there is no worker), its details open on a
 * click, and after a stop through the API the page shows it stopped without being reloaded.
 */
class WebConsoleTest {
    private static final Duration UPDATE = Duration.ofSeconds(20);
    private static final String ROW = "document.querySelector('#tasks tr[data-task-name=\"console-demo\"]')";

    @TempDir
    static Path dir;
    private static LocalCluster cube;
    private static HeadlessChromium browser;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            // Only a machine without the test prerequisites may skip; the test command installs chromium.
            assertTrue(Files.readString(Path.of("test.sh")).contains("chromium"),
                    "chromium is missing and ops/test.sh does not install it");
            Assumptions.abort("chromium is not installed (ops/test.sh installs it)");
        }
        cube = new LocalCluster(dir).startManager();
        browser = new HeadlessChromium(chromium.get());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (cube != null) cube.close();
    }

    private static int send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cube.url() + path)).timeout(Duration.ofSeconds(10));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void showsATaskSubmittedThroughTheApiItsDetailsAndThenThatItStopped() throws Exception {
        assertEquals(201, send("POST", "/tasks",
                "{\"name\":\"console-demo\",\"image\":\"cube-demo:latest\",\"command\":[\"sleep\",\"60\"],\"memory\":\"64m\"}"));
        browser.open(cube.url() + "/");

        await().atMost(UPDATE).until(() -> browser.text(ROW + "?.dataset.state").equals("pending"));
        assertTrue(browser.text(ROW + "?.textContent").contains("cube-demo:latest"));
        await().atMost(UPDATE).until(() -> browser.text(
                "document.querySelector('#managers tr[data-leader=\"true\"]')?.dataset.managerId").equals("m1"));
        assertTrue(Set.of("events", "polling").contains(browser.text("document.getElementById('live-status').dataset.mode")));
        assertTrue(browser.text("document.getElementById('cluster-summary').textContent").startsWith("leader m1"));

        browser.evaluate(ROW + ".click()");
        await().atMost(UPDATE).until(() -> browser.text(
                "document.getElementById('task-details').dataset.taskName").equals("console-demo"));
        assertEquals("cube-demo:latest", browser.text("document.querySelector('#detail-fields dd[data-field=image]').textContent"));
        assertEquals("64 MiB", browser.text("document.querySelector('#detail-fields dd[data-field=memory]').textContent"));
        await().atMost(UPDATE).until(() -> Set.of("ok", "unavailable").contains(
                browser.text("document.getElementById('task-logs').dataset.status")));

        assertEquals(200, send("DELETE", "/tasks/console-demo", null));
        await().atMost(UPDATE).until(() -> browser.text(ROW + "?.dataset.state").equals("stopped"));
        assertEquals("stopped", browser.text("document.getElementById('task-details').dataset.state"));

        browser.evaluate("document.querySelector('#state-filter button[data-filter=\"running\"]').click()");
        assertEquals("", browser.text(ROW + "?.dataset.state"), "the running filter hides a stopped task");
        browser.evaluate("document.querySelector('#state-filter button[data-filter=\"stopped\"]').click()");
        assertEquals("stopped", browser.text(ROW + "?.dataset.state"));
    }
}
