package dev.cube.store;

/** Bugs of the main code that tests found; each test that shows one is {@code @Disabled} with this text. */
final class Bugs {
    static final String TASK_JSON = "bug: Task.isActiveOnWorker() is serialized as an extra 'activeOnWorker' "
            + "property and Json.MAPPER (FAIL_ON_UNKNOWN_PROPERTIES) refuses it on read, so no Task JSON "
            + "written by Json reads back: snapshots holding a task cannot be restored";

    private Bugs() {}
}
