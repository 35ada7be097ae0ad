package dev.cube.cli;

/** The exit statuses of {@code bin/cube}, for scripts. */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** A manager answered with an error (4xx/5xx); its sentence is printed. */
    static final int REFUSED = 1;
    /** Bad usage: unknown option, missing argument, malformed value. */
    static final int USAGE = 2;
    /** No manager answered at any of the URLs, or the stream of logs or events broke off. */
    static final int NO_MANAGER = 3;
    /** {@code run --wait}: the task failed, was stopped or lost before it ran. */
    static final int TASK_FAILED = 4;
    /** {@code run --wait}: the task was still not running when {@code --timeout} ran out. */
    static final int WAIT_TIMEOUT = 5;

    private ExitCodes() {}
}
