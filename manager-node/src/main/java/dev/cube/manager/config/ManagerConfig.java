package dev.cube.manager.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import dev.cube.manager.scheduler.Strategy;
import java.util.List;

/**
 * A manager's configuration, as read from YAML (see config/manager.yaml). Keys may be added, never
 * renamed. Missing sections take the defaults of {@link #defaults()}: a one-manager quorum here.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ManagerConfig(
        String id,
        Endpoint api,
        Endpoint raft,
        List<Member> managers,
        Storage storage,
        Scheduler scheduler,
        Workers workers,
        Snapshots snapshots,
        Auth auth,
        Tls tls,
        Tasks tasks) {

    @JsonCreator
    public ManagerConfig {
    }

    /** Without auth, TLS or task defaults: an open, plain-HTTP manager (a trusted network). */
    public ManagerConfig(String id, Endpoint api, Endpoint raft, List<Member> managers, Storage storage,
                         Scheduler scheduler, Workers workers, Snapshots snapshots) {
        this(id, api, raft, managers, storage, scheduler, workers, snapshots, null, null, null);
    }

    /** A listening address. */
    public record Endpoint(String host, int port) {
        public String address() {
            return host + ":" + port;
        }
    }

    /** One member of the quorum: its id and its Raft and API addresses ("host:port"). */
    public record Member(String id, String raft, String api) {}

    /** The Raft log and snapshots live under {@code path}. */
    public record Storage(String path) {}

    /**
     * How often the scheduler looks for pending tasks even without a change, and how it ranks the
     * workers that fit: {@code binpack}, {@code spread} (the default) or {@code epvm}.
     */
    public record Scheduler(@JsonProperty("interval") Duration interval, @JsonProperty("strategy") Strategy strategy) {
        public Scheduler {
            strategy = strategy == null ? Strategy.DEFAULT : strategy;
        }

        public Scheduler(Duration interval) {
            this(interval, Strategy.DEFAULT);
        }
    }

    /**
     * A worker silent for {@code heartbeatTimeout} is declared down; so is one whose heartbeat
     * connection its side closed, when no heartbeat follows within {@code connectionLossGrace}
     * (null: {@link #DEFAULT_CONNECTION_LOSS_GRACE}; zero: a closed connection alone declares nothing).
     */
    public record Workers(@JsonProperty("heartbeat-timeout") Duration heartbeatTimeout,
                          @JsonProperty("connection-loss-grace") Duration connectionLossGrace) {
        public static final Duration DEFAULT_CONNECTION_LOSS_GRACE = Duration.ofMillis(400);

        public Workers {
            if (connectionLossGrace == null) connectionLossGrace = DEFAULT_CONNECTION_LOSS_GRACE;
            if (connectionLossGrace.isNegative()) {
                throw new IllegalArgumentException("connection-loss-grace must not be negative");
            }
        }

        public Workers(Duration heartbeatTimeout) {
            this(heartbeatTimeout, null);
        }
    }

    /**
     * A snapshot is taken every {@code every} log entries; the log is purged behind it, a whole
     * segment of {@code logSegmentBytes} at a time (0 = the default, 8 MiB).
     */
    public record Snapshots(long every, @JsonProperty("log-segment-bytes") long logSegmentBytes) {
        public static final long DEFAULT_SEGMENT_BYTES = 8L << 20;

        public Snapshots(long every) {
            this(every, DEFAULT_SEGMENT_BYTES);
        }

        public long segmentBytes() {
            return logSegmentBytes > 0 ? logSegmentBytes : DEFAULT_SEGMENT_BYTES;
        }
    }

    /**
     * Client tokens and the workers' join token. With {@code tokens}, every API call but
     * {@code GET /health} needs one; with {@code joinToken}, every worker call needs it.
     */
    public record Auth(List<Token> tokens, @JsonProperty("join-token") String joinToken) {
        public Auth {
            tokens = tokens == null ? List.of() : List.copyOf(tokens);
        }

        @Override
        public String toString() {
            return "Auth[tokens=" + tokens + ", join-token " + (joinToken == null ? "unset" : "set") + "]";
        }
    }

    /** A named API token; {@code role} is operator or read-only. Never printed. */
    public record Token(String name, String token, String role) {
        @Override
        public String toString() {
            return "Token[name=" + name + ", role=" + role + "]";
        }
    }

    /**
     * PEM files: this manager's certificate chain and PKCS#8 key (HTTPS for the API, mutual TLS
     * for Raft), and the cluster CA that signed every manager's certificate.
     */
    public record Tls(String cert, String key, String ca) {}

    /** Limits of a task that names none: {@code default-cpus} cores, {@code default-memory} ("128m"). */
    public record Tasks(@JsonProperty("default-cpus") Double defaultCpus,
                        @JsonProperty("default-memory") String defaultMemory) {}

    /** This config with tokens and TLS as given (null: none). */
    public ManagerConfig withSecurity(Auth newAuth, Tls newTls) {
        return new ManagerConfig(id, api, raft, managers, storage, scheduler, workers, snapshots, newAuth, newTls, tasks);
    }

    public static ManagerConfig defaults() {
        return new ManagerConfig("m1", new Endpoint("0.0.0.0", 8080), new Endpoint("127.0.0.1", 9870),
                List.of(new Member("m1", "127.0.0.1:9870", "127.0.0.1:8080")), new Storage("/var/lib/cube"),
                new Scheduler(Duration.ofSeconds(1)), new Workers(Duration.ofSeconds(3)), new Snapshots(10_000));
    }

    /** This config with every missing section taken from the defaults. */
    public ManagerConfig withDefaults() {
        ManagerConfig d = defaults();
        return new ManagerConfig(id != null ? id : d.id, api != null ? api : d.api, raft != null ? raft : d.raft,
                managers != null ? managers : d.managers, storage != null ? storage : d.storage,
                scheduler == null ? d.scheduler : new Scheduler(
                        scheduler.interval() != null ? scheduler.interval() : d.scheduler.interval(), scheduler.strategy()),
                workers == null ? d.workers : new Workers(workers.heartbeatTimeout() != null
                        ? workers.heartbeatTimeout() : d.workers.heartbeatTimeout(), workers.connectionLossGrace()),
                snapshots != null && snapshots.every() > 0 ? snapshots : d.snapshots, auth, tls, tasks);
    }
}
