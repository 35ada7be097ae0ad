package dev.cube.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.Availability;
import dev.cube.model.Constraint;
import dev.cube.model.DesiredState;
import dev.cube.model.PortMapping;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;
import dev.cube.store.Command;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thousands of random steps against the real {@link Scheduler} and the real {@link TaskStore} apply
 * (no Ratis): workers join, die, come back, are drained and activated; tasks arrive, run, fail,
 * finish and are stopped; scheduling passes commit their plans. After every step the store must
 * hold no overfilled worker, no task twice, and a reason for every pending task. A failure names
 * its seed; {@code -Dcube.sim.seed=N} replays that one seed, {@code -Dcube.sim.seeds=N} runs seeds 1..N
 * (5 by default) and {@code -Dcube.sim.steps} sets the length.
 */
class SchedulingSimulationTest {
    private static final long MIB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int STEPS = Integer.getInteger("cube.sim.steps", 3_000);
    private static final Pattern REASON = Pattern.compile("0/(\\d+) workers fit: (.+)");
    private static final List<String> ZONES = List.of("a", "b", "c");
    private static final List<Integer> HOST_PORTS = List.of(8080, 8081, 9090);

    static LongStream seeds() {
        String replay = System.getProperty("cube.sim.seed");
        return replay != null ? LongStream.of(Long.parseLong(replay))
                : LongStream.rangeClosed(1, Integer.getInteger("cube.sim.seeds", 5));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantsHoldAfterEveryStep(long seed) {
        Simulation sim = new Simulation(seed);
        for (int step = 1; step <= STEPS; step++) {
            try {
                sim.step();
                sim.check();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ", step " + step + " (" + sim.lastAction + "): "
                        + e.getMessage() + " — replay with -Dcube.sim.seed=" + seed, e);
            }
        }
        assertTrue(sim.placed > 0, "the simulation placed no task at all");
        assertTrue(sim.moved > 0, "no task was moved by a drain or a lost worker");
    }

    private static final class Simulation {
        final Random random;
        final Scheduler scheduler;
        final TaskStore store = new TaskStore();
        long index;
        int workerCount;
        int taskCount;
        long placed;
        long moved;
        String lastAction = "";

        Simulation(long seed) {
            random = new Random(seed);
            scheduler = Scheduler.of(Strategy.values()[(int) (seed % Strategy.values().length)]);
        }

        Instant now() {
            return T0.plusSeconds(index);
        }

        Outcome apply(Command command) {
            return store.apply(++index, command);
        }

        void step() {
            int roll = random.nextInt(100);
            if (roll < 6 || store.workers().isEmpty()) join();
            else if (roll < 9) die();
            else if (roll < 12) comeBack();
            else if (roll < 15) setAvailability(Availability.DRAIN);
            else if (roll < 19) setAvailability(Availability.ACTIVE);
            else if (roll < 45) submit();
            else if (roll < 60) reportRunning();
            else if (roll < 70) reportEnd();
            else if (roll < 75) stop();
            else pass();
        }

        void join() {
            String id = "w-" + (++workerCount);
            Map<String, String> labels = new HashMap<>();
            labels.put("zone", ZONES.get(random.nextInt(ZONES.size())));
            if (random.nextBoolean()) labels.put("disk", random.nextBoolean() ? "ssd" : "hdd");
            lastAction = "join " + id;
            apply(new Command.RegisterWorker(id, "node-" + id, "10.0.0.1", 1 + random.nextInt(8),
                    (512 + random.nextInt(8) * 512L) * MIB, labels, "s-" + index, now()));
        }

        void die() {
            Worker w = pick(store.workers().stream().filter(x -> x.state() == WorkerState.READY).toList());
            if (w == null) return;
            lastAction = "die " + w.id();
            moved += store.assignments(w.id()).stream().filter(t -> t.desiredState() == DesiredState.RUNNING).count();
            apply(new Command.MarkWorkerDown(w.id(), "missed heartbeats", now()));
        }

        void comeBack() {
            Worker w = pick(store.workers().stream().filter(x -> x.state() == WorkerState.DOWN).toList());
            if (w == null) return;
            lastAction = "come back " + w.id();
            apply(new Command.RegisterWorker(w.id(), w.name(), w.host(), w.cpus(), w.memoryBytes(), w.labels(),
                    "s-" + index, now()));
        }

        void setAvailability(Availability availability) {
            Worker w = pick(store.workers());
            if (w == null) return;
            lastAction = availability.json() + " " + w.id();
            if (availability == Availability.DRAIN && w.availability() == Availability.ACTIVE) {
                moved += store.assignments(w.id()).stream()
                        .filter(t -> t.desiredState() == DesiredState.RUNNING).count();
            }
            JsonNode value = accepted(apply(new Command.SetWorkerAvailability(w.id(), availability, now())));
            assertEquals(availability.json(), value.path("availability").asText());
        }

        void submit() {
            String name = "t-" + random.nextInt(80);   // names repeat: conflicts while one is live
            List<PortMapping> ports = new ArrayList<>();
            if (random.nextInt(4) == 0) ports.add(new PortMapping(HOST_PORTS.get(random.nextInt(3)), 80, "tcp"));
            if (random.nextInt(4) == 0) ports.add(new PortMapping(0, 81, "tcp"));
            List<String> constraints = new ArrayList<>();
            if (random.nextInt(5) == 0) constraints.add("zone==" + ZONES.get(random.nextInt(ZONES.size())));
            if (random.nextInt(5) == 0) constraints.add("disk!=hdd");
            TaskSpec spec = new TaskSpec(name, "img", List.of(), Map.of(), 0.1 * (1 + random.nextInt(20)),
                    (64 + random.nextInt(32) * 64L) * MIB, ports, Map.of(), constraints, null, null);
            lastAction = "submit " + name;
            apply(new Command.SubmitTask("id-" + (++taskCount), spec, now()));
        }

        void reportRunning() {
            Task t = pick(store.tasks().stream().filter(x -> x.state() == TaskState.SCHEDULED).toList());
            if (t == null) return;
            lastAction = "running " + t.id();
            accepted(apply(report(t, TaskState.RUNNING, null)));
        }

        void reportEnd() {
            Task t = pick(store.tasks().stream()
                    .filter(x -> x.state() == TaskState.RUNNING || x.state() == TaskState.SCHEDULED).toList());
            if (t == null) return;
            TaskState end = t.desiredState() == DesiredState.STOPPED ? TaskState.STOPPED
                    : random.nextBoolean() ? TaskState.COMPLETED : TaskState.FAILED;
            lastAction = end.json() + " " + t.id();
            accepted(apply(report(t, end, end == TaskState.COMPLETED ? 0 : 1)));
        }

        Command report(Task t, TaskState state, Integer exitCode) {
            return new Command.ReportTaskStatus(t.id(), t.workerId(), store.worker(t.workerId()).session(), state,
                    "ctr-" + t.id() + "-" + t.attempt(), exitCode, null, now());
        }

        void stop() {
            Task t = pick(store.tasks().stream().filter(x -> !x.state().isTerminal()).toList());
            if (t == null) return;
            lastAction = "stop " + t.id();
            accepted(apply(new Command.StopTask(t.id(), now())));
        }

        void pass() {
            List<Task> pending = store.pendingTasks(5_000);
            lastAction = "pass over " + pending.size() + " pending";
            if (pending.isEmpty()) return;
            Scheduler.Plan plan = scheduler.plan(pending, ClusterView.candidates(store), index);
            assertEquals(pending.size(), plan.placements().size() + plan.reasons().size(), "every task planned or explained");
            JsonNode value = accepted(apply(new Command.PlaceTasks(plan.placements(), plan.reasons(), now())));
            assertEquals(0, value.path("refused").size(), () -> "the store refused placements: " + value);
            placed += value.path("placed").asLong();
            int workers = store.workers().size();
            for (Task t : pending) {
                Task now = store.task(t.id());
                if (now.state() != TaskState.PENDING) continue;
                Matcher m = REASON.matcher(now.reason());
                assertTrue(m.matches(), () -> "reason of " + now.id() + ": " + now.reason());
                assertEquals(workers, Integer.parseInt(m.group(1)), now.reason());
                int counted = 0;
                if (workers > 0) {
                    for (String part : m.group(2).split(", ")) counted += Integer.parseInt(part.split(" ", 2)[0]);
                    assertEquals(workers, counted, () -> "counts of " + now.reason());
                }
            }
        }

        /** The invariants, recomputed from the tasks themselves (not from the store's derived indexes). */
        void check() {
            Map<String, Worker> workers = new HashMap<>();
            store.workers().forEach(w -> workers.put(w.id(), w));
            Map<String, long[]> used = new HashMap<>();
            Map<String, Set<String>> ports = new HashMap<>();
            Set<String> liveNames = new HashSet<>();
            for (Task t : store.tasks()) {
                assertEquals(t.history().size() + 1, t.attempt(), () -> "attempts of " + t.id());
                if (t.state().isTerminal()) continue;
                assertTrue(liveNames.add(t.name()), () -> "two live tasks named " + t.name());
                if (t.state() == TaskState.PENDING) {
                    assertTrue(t.workerId() == null, () -> "pending task " + t.id() + " has a worker");
                    if (t.desiredState() == DesiredState.RUNNING) {
                        assertTrue(t.reason() != null && !t.reason().isBlank(), () -> "pending task " + t.id() + " has no reason");
                    }
                    continue;
                }
                Worker w = workers.get(t.workerId());
                assertTrue(w != null, () -> t.id() + " is on an unknown worker");
                if (t.desiredState() == DesiredState.RUNNING) {
                    assertEquals(WorkerState.READY, w.state(), () -> t.id() + " should run on a down worker " + w.id());
                    assertEquals(Availability.ACTIVE, w.availability(), () -> t.id() + " should run on drained " + w.id());
                }
                for (String c : t.spec().constraints()) {
                    assertTrue(Constraint.parse(c).matches(w.labels()), () -> t.id() + " breaks " + c + " on " + w.id());
                }
                long[] u = used.computeIfAbsent(w.id(), k -> new long[2]);
                u[0] += Allocation.milliCpus(t.spec().cpus());
                u[1] += t.spec().memoryBytes();
                Set<String> held = ports.computeIfAbsent(w.id(), k -> new HashSet<>());
                for (String p : Allocation.hostPorts(t.spec())) {
                    assertTrue(held.add(p), () -> "port " + p + " twice on worker " + w.id());
                }
            }
            for (Worker w : workers.values()) {
                long[] u = used.getOrDefault(w.id(), new long[2]);
                assertFalse(u[0] > Allocation.milliCpus(w.cpus()), () -> "worker " + w.id() + " over its cpus: " + u[0]);
                assertFalse(u[1] > w.memoryBytes(), () -> "worker " + w.id() + " over its memory: " + u[1]);
                Allocation derived = store.allocation(w.id());
                assertEquals(u[0], derived.milliCpus(), () -> "derived cpu of " + w.id());
                assertEquals(u[1], derived.memoryBytes(), () -> "derived memory of " + w.id());
                assertEquals(ports.getOrDefault(w.id(), Set.of()), derived.hostPorts(), () -> "derived ports of " + w.id());
            }
        }

        <T> T pick(List<T> items) {
            return items.isEmpty() ? null : items.get(random.nextInt(items.size()));
        }

        static JsonNode accepted(Outcome outcome) {
            if (outcome instanceof Outcome.Accepted a) return a.value();
            fail("expected acceptance, got " + outcome);
            return null;
        }
    }
}
