package dev.cube.worker;

import dev.cube.model.Task;
import dev.cube.model.VolumeMount;
import dev.cube.worker.runtime.ContainerRuntime.Bind;
import dev.cube.worker.runtime.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers' shared storage (NFS, a cluster file system...) as mounted on this machine: a task's
 * volume {@code web/data} is the folder {@code <root>/web/data}, created when missing, so a task
 * moved to another worker finds its data there. Without a root, tasks with volumes are refused.
 */
final class SharedStorage {
    private final Path root;

    /** @param root the mount point, or null when this worker has no shared storage */
    SharedStorage(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
    }

    /** The folders to bind for the task's volumes, created if missing. */
    List<Bind> binds(Task task, String workerName) throws RuntimeFailure {
        List<VolumeMount> volumes = task.spec().volumes();
        if (volumes.isEmpty()) {
            return List.of();
        }
        if (root == null) {
            throw new RuntimeFailure("Task '" + task.name() + "' has volumes, but worker '" + workerName
                    + "' has no shared storage (start it with --storage-dir).", null);
        }
        List<Bind> binds = new ArrayList<>();
        for (VolumeMount v : volumes) {
            binds.add(new Bind(folder(v.source()).toString(), v.target(), v.readOnly()));
        }
        return binds;
    }

    private Path folder(String source) throws RuntimeFailure {
        Path folder = root.resolve(source).normalize();
        try {
            Files.createDirectories(folder);
            // A symbolic link inside the storage must not lead out of it.
            Path real = folder.toRealPath();
            if (!folder.startsWith(root) || !real.startsWith(root.toRealPath())) {
                throw new RuntimeFailure("Volume source '" + source + "' leads out of the shared storage " + root + ".", null);
            }
            return real;
        } catch (IOException e) {
            throw new RuntimeFailure("Could not create the folder of volume '" + source + "' under the shared storage "
                    + root + ": " + e.getMessage() + ".", e);
        }
    }
}
