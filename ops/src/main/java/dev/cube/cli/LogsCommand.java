package dev.cube.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cube logs [-f] [--tail N] TASK}: the container's output, copied to stdout as it arrives. */
@Command(name = "logs", description = "Print a task's container output; -f follows it until the task ends.")
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the task ends")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines")
    Integer tail;

    @Parameters(paramLabel = "TASK")
    String task;

    @Override
    public Integer call() {
        StringBuilder path = new StringBuilder("/tasks/").append(ManagerClient.encode(task)).append("/logs");
        String separator = "?";
        if (tail != null) {
            path.append(separator).append("tail=").append(tail);
            separator = "&";
        }
        if (follow) {
            path.append(separator).append("follow=true");
        }
        try (InputStream body = cli.client().stream(path.toString())) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                cli.out.write(buffer, 0, n);
                cli.out.flush();
            }
        } catch (IOException e) {
            throw CliException.noManager("the log stream broke off: " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
