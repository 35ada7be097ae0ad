package dev.cube.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in and its live path in headless Chromium, against a {@link FakeEventManager}
 * that asks for a token and streams events: the page asks for the token and keeps it for the tab,
 * follows GET /events, refreshes a task when an event names it, shows (and follows) a task's logs,
 * and resumes after the last index it saw when the stream breaks.
 */
class WebConsoleLiveTest {
    private static final String TOKEN = "t0ken";
    private static final String ROW = "document.querySelector('#tasks tr[data-task-name=\"live\"]')";
    private static final String TASK = "[{\"id\":\"id-1\",\"name\":\"live\",\"state\":\"%s\",\"spec\":{\"image\":\"cube-demo:latest\"},"
            + "\"createdAt\":\"2026-01-01T00:00:00Z\"}]";

    private FakeEventManager fake;
    private HeadlessChromium browser;

    @BeforeEach
    void start() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            assertTrue(Files.readString(Path.of("test.sh")).contains("chromium"),
                    "chromium is missing and ops/test.sh does not install it");
            Assumptions.abort("chromium is not installed (ops/test.sh installs it)");
        }
        fake = new FakeEventManager(TOKEN);
        fake.tasks = TASK.formatted("pending");
        browser = new HeadlessChromium(chromium.get());
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.close();
        if (fake != null) fake.close();
    }

    @Test
    void asksForTheTokenThenFollowsTheEventStream() throws Exception {
        browser.open(fake.url() + "/");
        // The page may still be loading: until #auth exists, the form does not count as shown.
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.evaluate(
                "document.getElementById('auth')?.hidden === false").asBoolean());
        assertEquals("", browser.text(ROW + "?.dataset.state"), "nothing is shown without the token");

        browser.evaluate("document.getElementById('auth-token').value = '" + TOKEN + "';"
                + "document.getElementById('auth-form').requestSubmit()");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(ROW + "?.dataset.state").equals("pending"));
        assertEquals(TOKEN, browser.text("sessionStorage.getItem('cube.token')"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(
                "document.getElementById('live-status').dataset.mode").equals("events"));

        fake.tasks = TASK.formatted("running");
        fake.push("");   // a keep-alive
        fake.push("{\"index\":12,\"topic\":\"task\",\"type\":\"task-running\",\"key\":\"id-1\",\"payload\":{}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(ROW + "?.dataset.state").equals("running"));

        browser.evaluate(ROW + ".click()");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(
                "document.getElementById('task-logs').textContent").equals("hello from the container\n"));
        assertEquals("tail=500&follow=true", fake.logRequests.getLast(), "a running task's logs are followed");

        fake.endStream();
        await().atMost(Duration.ofSeconds(15)).until(() -> fake.eventRequests.contains("/events?since=12"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(
                "document.getElementById('live-status').dataset.mode").equals("events"));
    }
}
