package dev.cube.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code bin/cube}: the command line client of the managers' HTTP API. Global options are
 * inherited by every subcommand, so they may stand before or after it.
 */
@Command(name = "cube", mixinStandardHelpOptions = true, version = "cube 0.1.0", scope = ScopeType.INHERIT,
        description = "Talks to the Cube managers: run and stop tasks, list tasks, workers and managers, follow logs and events.",
        subcommands = {RunCommand.class, PsCommand.class, InspectCommand.class, LogsCommand.class, StopCommand.class,
                WorkersCommand.class, DrainCommand.class, ActivateCommand.class, RemoveWorkerCommand.class, ManagersCommand.class,
                EventsCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit status:%n",
        footer = {"  0  done", "  1  a manager refused the call (its sentence is printed)", "  2  bad usage",
                "  3  no manager answered, or a stream broke off", "  4  run --wait: the task failed, was stopped or lost",
                "  5  run --wait: the task did not run within --timeout"})
public final class CubeCli {
    static final String DEFAULT_MANAGER = "http://127.0.0.1:8080";

    @Option(names = "--manager", paramLabel = "URL", split = ",", scope = ScopeType.INHERIT,
            description = "A manager's API; repeat it or separate with commas, the next is tried when one does not "
                    + "answer (default: $CUBE_MANAGER, else " + DEFAULT_MANAGER + ")")
    List<String> managers = new ArrayList<>();

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "Bearer token sent with every call (default: $CUBE_TOKEN)")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "table (default) or json")
    OutputFormat output = OutputFormat.table;

    enum OutputFormat { table, json }

    private Map<String, String> env = Map.of();
    PrintStream out = System.out;
    PrintStream err = System.err;
    private ManagerClient client;

    /** The client for the managers given by --manager, else CUBE_MANAGER, else the default. */
    ManagerClient client() {
        if (client == null) {
            List<String> urls = new ArrayList<>(managers);
            if (urls.isEmpty()) {
                urls.addAll(List.of(env.getOrDefault("CUBE_MANAGER", DEFAULT_MANAGER).split(",")));
            }
            List<URI> uris = new ArrayList<>();
            for (String url : urls) {
                if (!url.isBlank()) {
                    uris.add(managerUri(url.strip()));
                }
            }
            if (uris.isEmpty()) {
                uris.add(URI.create(DEFAULT_MANAGER));
            }
            client = new ManagerClient(uris, token != null ? token : env.get("CUBE_TOKEN"));
        }
        return client;
    }

    boolean json() {
        return output == OutputFormat.json;
    }

    /** "host:8080" and "http://host:8080/" both become http://host:8080. */
    private static URI managerUri(String url) {
        String text = url.contains("://") ? url : "http://" + url;
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--manager '" + url + "' is not a URL like http://HOST:8080");
        }
    }

    /** Runs the CLI in this JVM; returns the exit status. {@code env} stands for the process environment. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CubeCli cli = new CubeCli();
        cli.env = Map.copyOf(env);
        cli.out = out;
        cli.err = err;
        CommandLine commandLine = new CommandLine(cli);
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException failure) {
                err.println("cube: " + failure.getMessage());
                return failure.exitCode();
            }
            throw e;
        });
        int status = commandLine.execute(args);
        out.flush();
        return status;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err, System.getenv()));
    }
}
