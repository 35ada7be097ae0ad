package dev.cube.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code ops/cluster.sh}: the one place that starts, kills and stops cluster processes. Its
 * output goes to stderr, prefixed, so the programs' stdout stays their report.
 */
final class ClusterScript {
    record Manager(String id, URI url, boolean running) {}

    record Worker(String member, String name, Optional<String> workerId, boolean running) {}

    record Description(Path runDir, List<Manager> managers, List<Worker> workers) {
        Optional<Manager> manager(String id) {
            return managers.stream().filter(m -> m.id().equals(id)).findFirst();
        }

        List<URI> urls() {
            return managers.stream().map(Manager::url).toList();
        }
    }

    /** ops/cluster.sh failed; the message names the command and its exit status. */
    static final class ScriptException extends RuntimeException {
        ScriptException(String message) {
            super(message);
        }
    }

    private final Path script;
    private final Map<String, String> environment;

    /** @param environment extra variables for the script (e.g. CUBE_RUN_DIR), on top of this process's */
    ClusterScript(Path script, Map<String, String> environment) {
        this.script = script;
        this.environment = Map.copyOf(environment);
    }

    /** The repository's ops/cluster.sh: -Dcube.repo (set by the launchers), else the working directory. */
    static Path defaultScript() {
        return Path.of(System.getProperty("cube.repo", ".")).resolve("ops/cluster.sh").toAbsolutePath().normalize();
    }

    void up(int managers, int workers) {
        check(run("up", "--managers", String.valueOf(managers), "--workers", String.valueOf(workers)), "up");
    }

    void down(boolean purge) {
        check(purge ? run("down", "--purge") : run("down"), "down");
    }

    /** SIGKILLs a member; returns when the signal was sent (epoch), as ops/cluster.sh reports it. */
    java.time.Instant kill(String member) {
        Result result = execute(List.of("kill", member), true);
        check(result.exit(), "kill " + member);
        for (String line : result.lines()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" at (\\d+)\\.(\\d{1,9})\\)").matcher(line);
            if (m.find()) {
                String fraction = (m.group(2) + "000000000").substring(0, 9);
                return java.time.Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(fraction));
            }
        }
        throw new ScriptException("ops/cluster.sh kill " + member + " did not say when it sent the signal");
    }

    void start(String member) {
        check(run("start", member), "start " + member);
    }

    /** {@code status}'s exit: 0 all run, 1 some run, 3 none runs or no cluster. Output is not shown. */
    int status() {
        return execute(List.of("status"), false).exit();
    }

    Description describe() {
        Result result = execute(List.of("describe"), false);
        if (result.exit() != 0) {
            throw new ScriptException("ops/cluster.sh describe exited " + result.exit() + ": " + String.join(" ", result.lines()));
        }
        Path runDir = null;
        List<Manager> managers = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        for (String line : result.lines()) {
            String[] f = line.trim().split("\\s+");
            switch (f[0]) {
                case "run_dir" -> runDir = Path.of(f[1]);
                case "manager" -> managers.add(new Manager(f[1], URI.create(f[2] + "/"), !f[3].equals("-")));
                case "worker" -> workers.add(new Worker(f[1], f[2], f[3].equals("-") ? Optional.empty() : Optional.of(f[3]),
                        !f[4].equals("-")));
                default -> { }
            }
        }
        return new Description(runDir, List.copyOf(managers), List.copyOf(workers));
    }

    private int run(String... args) {
        return execute(List.of(args), true).exit();
    }

    private static void check(int exit, String what) {
        if (exit != 0) throw new ScriptException("ops/cluster.sh " + what + " exited " + exit);
    }

    private record Result(int exit, List<String> lines) {}

    private Result execute(List<String> args, boolean echo) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        List<String> lines = new ArrayList<>();
        try {
            Process process = builder.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    if (echo) System.err.println("  [cluster.sh " + args.getFirst() + "] " + line);
                }
            }
            return new Result(process.waitFor(), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptException("interrupted while running ops/cluster.sh " + args.getFirst());
        }
    }
}
