package dev.cube.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command about one worker, named by its name or id: {@code drain}, {@code activate}, {@code remove-worker}. */
abstract class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Parameters(paramLabel = "WORKER")
    String worker;
}
