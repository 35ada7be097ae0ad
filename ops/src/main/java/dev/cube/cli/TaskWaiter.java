package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Polls one task (every 250 ms) until it runs or ends, printing a line on stderr whenever its
 * state or reason changes. Polling works against every manager version, with or without /events.
 */
final class TaskWaiter {
    private static final long POLL_MILLIS = 250;

    private final ManagerClient client;
    private final PrintStream progress;

    TaskWaiter(ManagerClient client, PrintStream progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * The task once it runs or completed; throws {@link CliException#taskFailed} when it failed,
     * was stopped or lost, and a {@link ExitCodes#WAIT_TIMEOUT} failure after {@code timeoutMillis}.
     */
    JsonNode untilRunning(String ref, String name, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        String shown = null;
        while (true) {
            JsonNode task = client.get("/tasks/" + ManagerClient.encode(ref));
            String state = Formats.text(task, "state");
            String line = name + ": " + state + detail(task, state);
            if (!Objects.equals(line, shown)) {
                progress.println(line);
                progress.flush();
                shown = line;
            }
            switch (state) {
                case "running", "completed" -> {
                    return task;
                }
                case "failed", "stopped", "lost" -> throw CliException.taskFailed(name + " " + state + detail(task, state));
                default -> { }
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(ExitCodes.WAIT_TIMEOUT, name + " is still " + state + " after "
                        + timeoutMillis / 1000.0 + " s" + detail(task, state));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static String detail(JsonNode task, String state) {
        String worker = Formats.text(task, "workerName");
        String info = PsCommand.info(task);
        StringBuilder s = new StringBuilder();
        if (!worker.isEmpty() && !state.equals("pending")) {
            s.append(" on ").append(worker);
        }
        if (!info.isEmpty()) {
            s.append(" (").append(info).append(')');
        }
        return s.toString();
    }
}
