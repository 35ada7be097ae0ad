package dev.cube.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The drill's end checks: the managers agree, no acknowledged task is lost, no task runs twice. */
final class Verifier {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Http http;
    private final List<ClusterScript.Manager> managers;
    private final String prefix;

    Verifier(Http http, List<ClusterScript.Manager> managers, String prefix) {
        this.http = http;
        this.managers = List.copyOf(managers);
        this.prefix = prefix;
    }

    /**
     * Waits until every manager names the same leader and has applied at least the leader's commit
     * index as seen when they first agreed (every acknowledged write is at or below it).
     * Returns null when they agree, else what was last seen.
     */
    String awaitAgreement(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long target = -1;
        String seen = "nothing yet";
        while (System.nanoTime() < deadline) {
            Map<String, JsonNode> health = new TreeMap<>();
            for (ClusterScript.Manager m : managers) {
                Http.Reply reply = http.get(m.url(), "health", TIMEOUT);
                health.put(m.id(), reply.status() == 200 ? reply.json() : null);
            }
            seen = describe(health);
            Set<String> leaders = new HashSet<>();
            health.values().forEach(h -> leaders.add(h == null ? null : h.path("leader").asText(null)));
            if (leaders.size() == 1 && !leaders.contains(null)) {
                String leader = leaders.iterator().next();
                JsonNode leaderHealth = health.get(leader);
                if (leaderHealth != null && target < 0) target = leaderHealth.path("commitIndex").asLong();
                final long t = target;
                if (t >= 0 && health.values().stream().allMatch(h -> h.path("lastAppliedIndex").asLong() >= t)) {
                    return null;
                }
            }
            Thread.sleep(500);
        }
        return seen;
    }

    private static String describe(Map<String, JsonNode> health) {
        List<String> parts = new ArrayList<>();
        health.forEach((id, h) -> parts.add(h == null ? id + ": no answer / no leader"
                : id + ": " + h.path("role").asText() + ", leader " + h.path("leader").asText() + ", applied "
                        + h.path("lastAppliedIndex").asLong() + ", commit " + h.path("commitIndex").asLong()));
        return String.join("; ", parts);
    }

    /**
     * Acknowledged names missing from each manager's own copy (GET /tasks?stale=true), tried a few
     * times in case a replica is still applying. Returns the missing names per manager id.
     */
    Map<String, Set<String>> missing(Collection<String> acknowledged) throws InterruptedException {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            missing.clear();
            for (ClusterScript.Manager m : managers) {
                Set<String> present = new HashSet<>();
                Http.Reply reply = http.get(m.url(), "tasks?stale=true", Duration.ofSeconds(30));
                if (reply.status() == 200) reply.json().forEach(t -> present.add(t.path("name").asText()));
                Set<String> gone = new HashSet<>();
                for (String name : acknowledged) if (!present.contains(name)) gone.add(name);
                if (reply.status() != 200) System.err.println("drill: GET /tasks?stale=true on " + m.id()
                        + " answered " + (reply.answered() ? reply.status() : reply.failure()));
                if (!gone.isEmpty()) missing.put(m.id(), gone);
            }
            if (missing.isEmpty()) return missing;
            Thread.sleep(2000);
        }
        return missing;
    }

    /** Tasks of this drill by name, as the cluster (linearizable read on any manager) knows them. */
    List<JsonNode> drillTasks() {
        for (ClusterScript.Manager m : managers) {
            Http.Reply reply = http.get(m.url(), "tasks", Duration.ofSeconds(30));
            if (reply.status() != 200) continue;
            List<JsonNode> tasks = new ArrayList<>();
            reply.json().forEach(t -> {
                if (t.path("name").asText().startsWith(prefix)) tasks.add(t);
            });
            return tasks;
        }
        return List.of();
    }

    /** One container of a drill task as Docker reports it. */
    record Container(String id, String taskId, String taskName, String state) {}

    /** Containers of drill tasks on the given workers (docker ps -a, by the cube.worker.id label). */
    List<Container> containers(Collection<String> workerIds) throws IOException, InterruptedException {
        List<Container> containers = new ArrayList<>();
        for (String workerId : workerIds) {
            for (String line : docker("ps", "-a", "--no-trunc", "--filter", "label=cube.worker.id=" + workerId, "--format",
                    "{{.ID}}|{{.Label \"cube.task.id\"}}|{{.Label \"cube.task.name\"}}|{{.State}}")) {
                String[] f = line.split("\\|", -1);
                if (f.length == 4 && f[2].startsWith(prefix)) containers.add(new Container(f[0], f[1], f[2], f[3]));
            }
        }
        return containers;
    }

    /**
     * Duplicates: a task id with more than one container, a name with containers of more than one
     * task id, a name with more than one live task in the store. Each extra one counts once.
     */
    static List<String> duplicates(List<Container> containers, List<JsonNode> tasks) {
        List<String> found = new ArrayList<>();
        Map<String, List<Container>> byTask = new HashMap<>();
        Map<String, Set<String>> taskIdsByName = new HashMap<>();
        for (Container c : containers) {
            byTask.computeIfAbsent(c.taskId(), k -> new ArrayList<>()).add(c);
            taskIdsByName.computeIfAbsent(c.taskName(), k -> new HashSet<>()).add(c.taskId());
        }
        byTask.forEach((taskId, list) -> {
            for (int i = 1; i < list.size(); i++) {
                found.add("task " + taskId + " (" + list.get(i).taskName() + ") has " + list.size() + " containers");
            }
        });
        taskIdsByName.forEach((name, ids) -> {
            for (int i = 1; i < ids.size(); i++) found.add("name " + name + " has containers of task ids " + ids);
        });
        Map<String, Integer> liveByName = new HashMap<>();
        for (JsonNode t : tasks) {
            String state = t.path("state").asText();
            if (!Set.of("completed", "failed", "stopped", "lost").contains(state)) {
                liveByName.merge(t.path("name").asText(), 1, Integer::sum);
            }
        }
        liveByName.forEach((name, n) -> {
            for (int i = 1; i < n; i++) found.add("name " + name + " has " + n + " live tasks");
        });
        return found;
    }

    /**
     * Removes the given containers (docker rm -f, in batches). A container may vanish meanwhile (its
     * worker removes it once stopped), so failures are judged by what is left afterwards.
     */
    void removeContainers(List<Container> containers) throws InterruptedException {
        for (int i = 0; i < containers.size(); i += 50) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            containers.subList(i, Math.min(containers.size(), i + 50)).forEach(c -> args.add(c.id()));
            try {
                docker(args.toArray(String[]::new));
            } catch (IOException e) {
                // "No such container" for some: what is left is counted by the caller
            }
        }
    }

    static List<String> docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) if (!line.isBlank()) lines.add(line.trim());
        }
        int exit = process.waitFor();
        if (exit != 0) throw new IOException("docker " + String.join(" ", args) + " exited " + exit + ": " + String.join(" ", lines));
        return lines;
    }

    /** Live (non-terminal) worker entries as "name: state" from GET /workers on the first manager that answers. */
    List<String> workers() {
        for (ClusterScript.Manager m : managers) {
            Http.Reply reply = http.get(m.url(), "workers", TIMEOUT);
            if (reply.status() != 200) continue;
            List<String> out = new ArrayList<>();
            reply.json().forEach(w -> out.add(w.path("name").asText() + " " + w.path("state").asText()));
            return out;
        }
        return List.of("(no manager answered GET /workers)");
    }
}
