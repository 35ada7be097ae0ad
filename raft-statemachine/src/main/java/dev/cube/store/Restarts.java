package dev.cube.store;

import dev.cube.model.DesiredState;
import dev.cube.model.RestartPolicy;
import dev.cube.model.Task;
import dev.cube.model.TaskAttempt;
import dev.cube.model.TaskState;
import java.time.Duration;
import java.time.Instant;

/**
 * A task's restart policy applied to a run that just ended: whether a new attempt follows, and
 * when. Pure: the time comes from the command, so every manager decides the same.
 *
 * <p>Runs lost with their worker are not the task's failure: they are placed again at once and do
 * not count against {@code maxAttempts}. The n-th restart waits {@code delay · 2^(n-1)}, at most
 * {@link #MAX_DELAY}.
 */
final class Restarts {
    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    private Restarts() {}

    /** {@code ended} (in a terminal state) as the store keeps it: restarted if its policy says so. */
    static Task after(Task ended, Instant at, long index) {
        RestartPolicy policy = ended.spec().restart();
        boolean wanted = switch (policy.policy()) {
            case NEVER -> false;
            case ON_FAILURE -> ended.state() == TaskState.FAILED;
            case ALWAYS -> ended.state() == TaskState.COMPLETED || ended.state() == TaskState.FAILED;
        };
        int runs = runs(ended);
        if (!wanted || ended.desiredState() != DesiredState.RUNNING
                || (policy.maxAttempts() > 0 && runs >= policy.maxAttempts())) {
            return ended;
        }
        Instant notBefore = at.plus(delay(policy.delay(), runs));
        String why = "restarting after " + (ended.exitCode() != null ? "exit code " + ended.exitCode()
                : ended.error() != null ? ended.error() : ended.state().json())
                + " (attempt " + (runs + 1) + (policy.maxAttempts() > 0 ? " of " + policy.maxAttempts() : "") + ")";
        return ended.restarted(why, notBefore, at, index);
    }

    /** Runs of the task that ended by themselves, this one included (lost runs do not count). */
    static int runs(Task task) {
        return 1 + (int) task.history().stream().map(TaskAttempt::state).filter(s -> s != TaskState.LOST).count();
    }

    /** The wait before restart number {@code n} (1 for the first). */
    static Duration delay(Duration base, int n) {
        if (base.isZero() || base.isNegative()) return Duration.ZERO;
        int doublings = Math.min(n - 1, 30);
        Duration d = base.multipliedBy(1L << doublings);
        return d.compareTo(MAX_DELAY) > 0 || d.isNegative() ? MAX_DELAY : d;
    }
}
