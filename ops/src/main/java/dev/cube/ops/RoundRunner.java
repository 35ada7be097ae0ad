package dev.cube.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One round of the drill: kill the leader, measure, restart it, wait until it has rejoined and caught up. */
final class RoundRunner {
    /** A finished round; {@code abort} is non-null when the drill cannot go on. */
    record Outcome(Drill.Round round, String abort) {}

    private static final Duration PROBE = Duration.ofSeconds(3);
    private static final Duration FIND_LEADER = Duration.ofSeconds(20);
    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final Duration FIRST_ACK = Duration.ofSeconds(60);
    private static final Duration REJOIN = Duration.ofSeconds(60);
    /** Entries a caught-up manager may still trail the leader's commit index by (writes go on meanwhile). */
    private static final long CAUGHT_UP_SLACK = 50;

    private final Http http;
    private final ClusterScript cluster;
    private final SubmissionStream stream;
    private final Duration settle;

    RoundRunner(Http http, ClusterScript cluster, SubmissionStream stream, Duration settle) {
        this.http = http;
        this.cluster = cluster;
        this.stream = stream;
        this.settle = settle;
    }

    Outcome run(int round) throws InterruptedException {
        ClusterScript.Description description = cluster.describe();
        for (ClusterScript.Manager m : description.managers()) {
            if (!m.running()) return failed(round, "-", "manager " + m.id() + " is not running before round " + round);
        }
        Optional<String> leader = findLeader(description.managers(), null, FIND_LEADER);
        if (leader.isEmpty() || description.manager(leader.get()).isEmpty()) {
            return failed(round, "-", "no leader known (GET /managers) within " + FIND_LEADER.toSeconds() + " s"
                    + leader.map(l -> ": leader " + l + " is not a manager of ops/cluster.sh").orElse(""));
        }
        String killed = leader.get();
        long killStart = System.nanoTime();
        // The instant of the SIGKILL, on this JVM's nanoTime clock: the script's own start-up time
        // (a few hundred ms on a busy machine) must not count, the new leader may serve by then.
        long killAt;
        try {
            killAt = toNanoTime(cluster.kill(killed));
        } catch (ClusterScript.ScriptException e) {
            return failed(round, killed, e.getMessage());
        }
        long killDone = System.nanoTime();

        List<ClusterScript.Manager> survivors = description.managers().stream().filter(m -> !m.id().equals(killed)).toList();
        String note = null;
        String abort = null;
        Optional<String> newLeader = findLeader(survivors, killed, ELECTION);
        long leaderSeen = System.nanoTime();
        if (newLeader.isEmpty()) note = "no new leader within " + ELECTION.toSeconds() + " s";
        if (!Drill.awaitAck(stream, Math.max(killAt, leaderSeen), FIRST_ACK)) {
            note = "no acknowledged write within " + FIRST_ACK.toSeconds() + " s of the kill";
            abort = note;
        }
        long restartAt = killDone + settle.toNanos();
        long wait = restartAt - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));

        try {
            cluster.start(killed);
        } catch (ClusterScript.ScriptException e) {
            return new Outcome(measure(round, killed, newLeader, killStart, killAt, leaderSeen, System.nanoTime(), note), e.getMessage());
        }
        ClusterScript.Manager restarted = description.manager(killed).orElseThrow();
        if (!rejoined(restarted)) {
            abort = killed + " did not answer GET /managers with a leader within " + REJOIN.toSeconds() + " s of its restart";
        } else if (!caughtUp(restarted)) {
            String lag = killed + " had not applied what the leader committed " + REJOIN.toSeconds() + " s after its restart";
            note = note == null ? lag : note + "; " + lag;
        }
        Thread.sleep(1000);
        long before = System.nanoTime();
        Drill.awaitAck(stream, before, Duration.ofSeconds(10));
        return new Outcome(measure(round, killed, newLeader, killStart, killAt, leaderSeen, System.nanoTime(), note), abort);
    }

    private Outcome failed(int round, String killed, String why) {
        return new Outcome(new Drill.Round(round, killed, "-", -1, 0, 0, -1, why), why);
    }

    /**
     * The windows of this round, from the acknowledgements and refusals recorded so far. Answers to
     * writes the old leader committed just before it died can still arrive a few ms after the kill
     * (through a follower's gateway), so the unavailability is the longest gap between consecutive
     * acknowledgements from the last one before the kill to the first one after the new leader was seen.
     */
    private Drill.Round measure(int round, String killed, Optional<String> newLeader, long killStart, long killAt,
                                long leaderSeen, long end, String note) {
        List<SubmissionStream.Ack> acks = stream.acksSorted();
        long lastBefore = Long.MIN_VALUE;
        long windowEnd = Long.MAX_VALUE;
        long settled = Math.max(killAt, leaderSeen);
        for (SubmissionStream.Ack ack : acks) {
            if (ack.nanos() <= killAt) lastBefore = ack.nanos();
            if (ack.nanos() > settled) {
                windowEnd = ack.nanos();
                break;
            }
        }
        long unavailable = -1;
        long longestGap = -1;
        int refusedWindow = 0;
        int refusedRound = 0;
        if (lastBefore != Long.MIN_VALUE) {
            long previous = Long.MIN_VALUE;
            for (SubmissionStream.Ack ack : acks) {
                long t = ack.nanos();
                if (t < lastBefore) continue;
                if (t > end) break;
                if (previous != Long.MIN_VALUE) {
                    long gap = t - previous;
                    longestGap = Math.max(longestGap, gap);
                    if (t <= windowEnd) unavailable = Math.max(unavailable, gap);
                }
                previous = t;
            }
            if (windowEnd == Long.MAX_VALUE) unavailable = -1;
            for (long t : stream.refusals) {
                if (t >= lastBefore && t <= windowEnd) refusedWindow++;
            }
        }
        for (long t : stream.refusals) {
            if (t >= killStart && t <= end) refusedRound++;
        }
        return new Drill.Round(round, killed, newLeader.orElse("-"), unavailable < 0 ? -1 : unavailable / 1_000_000,
                refusedWindow, refusedRound, longestGap < 0 ? -1 : longestGap / 1_000_000, note);
    }

    /** An epoch instant on this JVM's System.nanoTime clock (microsecond-accurate on Linux). */
    private static long toNanoTime(java.time.Instant instant) {
        java.time.Instant now = java.time.Instant.now();
        long nanoNow = System.nanoTime();
        return nanoNow - java.time.Duration.between(instant, now).toNanos();
    }

    /**
     * The leader as the given managers see it (the first GET /managers that names one), other than
     * {@code not}; empty if none within {@code within}.
     */
    private Optional<String> findLeader(List<ClusterScript.Manager> managers, String not, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (ClusterScript.Manager m : managers) {
                Http.Reply reply = http.get(m.url(), not == null ? "managers" : "health", PROBE);
                if (reply.status() != 200) continue;
                Optional<String> leader = Drill.text(reply.json(), "leader");
                if (leader.isPresent() && !leader.get().equals(not)) return leader;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /**
     * Caught up: the restarted manager has applied (nearly) everything the leader had committed, as
     * it reports in GET /managers. The next round kills a leader of three healthy managers, not one
     * whose only complete follower is still replaying its log (that would measure the replay).
     */
    private boolean caughtUp(ClusterScript.Manager manager) throws InterruptedException {
        long deadline = System.nanoTime() + REJOIN.toNanos();
        while (System.nanoTime() < deadline) {
            Http.Reply reply = http.get(manager.url(), "managers", PROBE);
            if (reply.status() == 200) {
                JsonNode json = reply.json();
                String leader = json.path("leader").asText("");
                long committed = -1;
                long applied = -1;
                for (JsonNode m : json.path("managers")) {
                    if (m.path("id").asText().equals(leader)) committed = m.path("commitIndex").asLong(-1);
                    if (m.path("self").asBoolean(false)) applied = m.path("lastAppliedIndex").asLong(-1);
                }
                if (committed >= 0 && applied >= committed - CAUGHT_UP_SLACK) return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Rejoined: GET /managers from the restarted manager answers with a leader. */
    private boolean rejoined(ClusterScript.Manager manager) throws InterruptedException {
        long deadline = System.nanoTime() + REJOIN.toNanos();
        while (System.nanoTime() < deadline) {
            Http.Reply reply = http.get(manager.url(), "managers", PROBE);
            if (reply.status() == 200) {
                JsonNode json = reply.json();
                if (Drill.text(json, "leader").isPresent()) return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
