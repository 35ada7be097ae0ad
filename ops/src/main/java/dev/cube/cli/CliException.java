package dev.cube.cli;

/**
 * A failure the CLI reports with one sentence on stderr and an exit status (see {@link ExitCodes});
 * no stack trace.
 */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** The manager answered and refused: its own sentence. */
    static CliException refused(String sentence) {
        return new CliException(ExitCodes.REFUSED, sentence);
    }

    static CliException noManager(String sentence) {
        return new CliException(ExitCodes.NO_MANAGER, sentence);
    }

    static CliException taskFailed(String sentence) {
        return new CliException(ExitCodes.TASK_FAILED, sentence);
    }
}
