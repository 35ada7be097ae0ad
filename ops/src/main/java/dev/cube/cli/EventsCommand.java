package dev.cube.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cube events [--since N]}: the cluster's changes as they happen, one line each, until interrupted. */
@Command(name = "events", description = "Follow the cluster's events (tasks, workers, managers) as they happen.")
final class EventsCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Option(names = "--since", paramLabel = "INDEX", description = "Start after this log index (default: from now)")
    Long since;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events")
    Long count;

    @Override
    public Integer call() {
        String path = "/events" + (since == null ? "" : "?since=" + since);
        long printed = 0;
        try (InputStream body = cli.client().stream(path);
             BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((count == null || printed < count) && (line = lines.readLine()) != null) {
                var event = EventLine.parse(line);
                if (event.isEmpty()) {
                    continue;
                }
                cli.out.println(cli.json() ? event.get().raw() : event.get().human());
                cli.out.flush();
                printed++;
            }
        } catch (IOException e) {
            throw CliException.noManager("the event stream broke off: " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
