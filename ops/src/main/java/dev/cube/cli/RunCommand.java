package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cube run [OPTIONS] IMAGE [COMMAND...]}: submits a task, like {@code docker run -d}; prints
 * its id. Everything after the image is the command, options included. With {@code --wait} it
 * follows the task until it runs (exit 0) or fails (exit 4), printing each state on stderr.
 */
@Command(name = "run", description = "Submit a task: IMAGE and COMMAND as for docker run. Prints the task id.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Task name, a DNS label (default: the image's name and a random suffix)")
    String name;

    @Option(names = "--cpus", paramLabel = "CORES", description = "CPU share in cores, e.g. 0.5")
    Double cpus;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, e.g. 256m or 1g")
    String memory;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Environment variable (repeatable)")
    List<String> env = new ArrayList<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "HOST:CONTAINER[/udp]", description = "Publish a port (repeatable)")
    List<String> ports = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Label (repeatable)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--constraint", paramLabel = "EXPR", description = "Placement constraint on worker labels, e.g. zone==a (repeatable)")
    List<String> constraints = new ArrayList<>();

    @Option(names = "--restart", paramLabel = "POLICY[:MAX]", description = "never, on-failure[:MAX_ATTEMPTS] or always")
    String restart;

    @Option(names = "--wait", description = "Follow the task until it runs (exit 0) or fails (exit 4)")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long --wait waits, e.g. 30s or 2m (default: ${DEFAULT-VALUE}); then exit 5")
    String timeout;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command and its arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        long timeoutMillis = millis(timeout);
        ObjectNode body = spec();
        JsonNode task = cli.client().post("/tasks", body);
        String id = task.path("id").asText(task.path("name").asText());
        if (!wait) {
            cli.out.println(cli.json() ? task.toPrettyString() : id);
            return ExitCodes.OK;
        }
        JsonNode last = new TaskWaiter(cli.client(), cli.err).untilRunning(id, body.path("name").asText(), timeoutMillis);
        cli.out.println(cli.json() ? last.toPrettyString() : id);
        return ExitCodes.OK;
    }

    /** The body of POST /tasks; fields the user did not give are left to the server's defaults. */
    ObjectNode spec() {
        ObjectNode body = ManagerClient.JSON.createObjectNode();
        body.put("name", name != null ? name : generatedName(image));
        body.put("image", image);
        if (!command.isEmpty()) {
            command.forEach(body.putArray("command")::add);
        }
        if (!env.isEmpty()) {
            pairs(env, "--env").forEach(body.putObject("env")::put);
        }
        if (cpus != null) {
            body.put("cpus", cpus);
        }
        if (memory != null) {
            body.put("memory", memory);
        }
        if (!ports.isEmpty()) {
            ports.forEach(body.putArray("ports")::add);
        }
        if (!labels.isEmpty()) {
            pairs(labels, "--label").forEach(body.putObject("labels")::put);
        }
        if (!constraints.isEmpty()) {
            constraints.forEach(body.putArray("constraints")::add);
        }
        if (restart != null) {
            body.set("restart", restartPolicy(restart));
        }
        return body;
    }

    private ObjectNode restartPolicy(String text) {
        String[] parts = text.split(":", 2);
        String policy = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!List.of("never", "on-failure", "always").contains(policy)) {
            throw usage("--restart must be never, on-failure[:MAX] or always, not '" + text + "'");
        }
        ObjectNode node = ManagerClient.JSON.createObjectNode().put("policy", policy);
        if (parts.length == 2) {
            try {
                node.put("maxAttempts", Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw usage("--restart " + text + ": the maximum after ':' must be a whole number");
            }
        }
        return node;
    }

    private Map<String, String> pairs(List<String> items, String option) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw usage(option + " '" + item + "' must look like KEY=VALUE");
            }
            map.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return map;
    }

    /** "cube-demo:latest" → "cube-demo-3f9a1c". */
    static String generatedName(String image) {
        String base = image.replaceAll("[:@].*$", "");
        base = base.substring(base.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "task";
        }
        base = base.length() > 50 ? base.substring(0, 50).replaceAll("-+$", "") : base;
        return base + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** "90s", "2m", "500ms", "1h" or a number of seconds. */
    private long millis(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.strip());
        if (!m.matches()) {
            throw usage("--timeout '" + text + "' must look like 30s, 2m or 500ms");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
