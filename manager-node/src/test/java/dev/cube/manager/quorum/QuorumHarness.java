package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.store.Command;
import dev.cube.store.TaskStore;
import dev.cube.testing.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three real {@link ManagerNode}s on loopback ports, one storage folder each under a test's temp
 * dir. Timeouts are the production ones (RaftNode pins them); the harness pins only what the
 * scenario needs: snapshot frequency, and a worker heartbeat timeout so large that worker liveness
 * never writes. A stopped manager is restarted on the same storage and the same ports.
 */
final class QuorumHarness implements AutoCloseable {
    static final int SIZE = 3;
    static final Duration LEADER_WAIT = Duration.ofSeconds(20);

    static {
        // One INFO line per pending task per scheduler pass, and one per snapshot: too loud here.
        // slf4j-simple reads these when each logger is first created (the managers' classes load later).
        System.setProperty("org.slf4j.simpleLogger.log.dev.cube.manager.leader.SchedulerLoop", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.dev.cube.store.CubeStateMachine", "warn");
    }

    private final ManagerConfig[] configs = new ManagerConfig[SIZE];
    private final ManagerNode[] nodes = new ManagerNode[SIZE];

    QuorumHarness(Path dir, long snapshotEvery) throws Exception {
        this(dir, snapshotEvery, java.util.function.UnaryOperator.identity());
    }

    /** {@code customize} amends each manager's config (TLS, tokens) before it starts. */
    QuorumHarness(Path dir, long snapshotEvery, java.util.function.UnaryOperator<ManagerConfig> customize)
            throws Exception {
        int[] ports = LoopbackPorts.distinct(2 * SIZE);
        List<ManagerConfig.Member> members = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            members.add(new ManagerConfig.Member(id(i), "127.0.0.1:" + ports[i], "127.0.0.1:" + ports[SIZE + i]));
        }
        for (int i = 0; i < SIZE; i++) {
            configs[i] = new ManagerConfig(id(i),
                    new ManagerConfig.Endpoint("127.0.0.1", ports[SIZE + i]),
                    new ManagerConfig.Endpoint("127.0.0.1", ports[i]),
                    List.copyOf(members),
                    new ManagerConfig.Storage(dir.resolve(id(i)).toString()),
                    new ManagerConfig.Scheduler(Duration.ofSeconds(1)),
                    new ManagerConfig.Workers(Duration.ofHours(1)),
                    new ManagerConfig.Snapshots(snapshotEvery, 16 * 1024));   // small segments, so purging shows
            configs[i] = customize.apply(configs[i]);
        }
    }

    static String id(int i) {
        return "m" + (i + 1);
    }

    /** Starts every stopped manager, in parallel (a lone manager cannot elect itself). */
    void startAll() {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            if (nodes[i] == null) {
                int index = i;
                starts.add(CompletableFuture.runAsync(() -> startNode(index)));
            }
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    }

    private void startNode(int i) {
        try {
            ManagerNode node = new ManagerNode(configs[i]);
            synchronized (this) {
                nodes[i] = node;
            }
            node.start();
        } catch (Exception e) {
            throw new IllegalStateException("manager " + id(i) + " did not start", e);
        }
    }

    /** Closes manager i (its Raft server, client, gateway); its storage stays. */
    void stop(int i) throws Exception {
        ManagerNode node;
        synchronized (this) {
            node = nodes[i];
            nodes[i] = null;
        }
        if (node != null) {
            node.close();
        }
    }

    /** Starts manager i again on the same storage and ports. */
    void restart(int i) {
        if (running(i)) {
            throw new IllegalStateException(id(i) + " is running");
        }
        startNode(i);
    }

    synchronized boolean running(int i) {
        return nodes[i] != null;
    }

    synchronized ManagerNode node(int i) {
        if (nodes[i] == null) {
            throw new IllegalStateException(id(i) + " is stopped");
        }
        return nodes[i];
    }

    ManagerConfig config(int i) {
        return configs[i];
    }

    TaskStore store(int i) {
        return node(i).raft().stateMachine().store();
    }

    /** The index of the running manager that is leader and ready to serve, or -1. */
    int leaderIndex() {
        for (int i = 0; i < SIZE; i++) {
            try {
                if (running(i)) {
                    var info = node(i).raft().division().getInfo();
                    if (info.isLeader() && info.isLeaderReady()) {
                        return i;
                    }
                }
            } catch (RuntimeException stoppedMeanwhile) {
                // not a leader
            }
        }
        return -1;
    }

    /** Waits until a running manager leads and every running manager knows it; returns its index. */
    int awaitLeader() {
        return await("a leader known to every running manager").atMost(LEADER_WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(this::leaderKnownToAll, i -> i >= 0);
    }

    private int leaderKnownToAll() {
        int leader = leaderIndex();
        if (leader < 0) {
            return -1;
        }
        for (int i = 0; i < SIZE; i++) {
            if (running(i)) {
                var known = node(i).raft().division().getInfo().getLeaderId();
                if (known == null || !known.toString().equals(id(leader))) {
                    return -1;
                }
            }
        }
        return leader;
    }

    /** Some running manager other than the leader. */
    int followerIndex(int leader) {
        for (int i = 0; i < SIZE; i++) {
            if (i != leader && running(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no running follower");
    }

    static Command submit(String name) {
        return new Command.SubmitTask("id-" + name + "-" + System.nanoTime(),
                new TaskSpec(name, "img", List.of(), Map.of(), 0.1, 16 << 20, List.of(), Map.of()), Instant.now());
    }

    static Set<String> names(TaskStore store) {
        return store.tasks().stream().map(Task::name).collect(Collectors.toSet());
    }

    /** Names held by more than one live (non-terminal) task: must be empty. */
    static Map<String, Long> liveDuplicates(TaskStore store) {
        return store.tasks().stream().filter(t -> !t.state().isTerminal())
                .collect(Collectors.groupingBy(Task::name, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            int index = i;
            stops.add(CompletableFuture.runAsync(() -> {
                try {
                    stop(index);
                } catch (Exception e) {
                    // best effort: the next test gets fresh ports and storage
                }
            }));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS)
                .exceptionally(t -> null).join();
    }
}
