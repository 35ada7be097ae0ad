package dev.cube.manager;

import dev.cube.manager.config.ConfigLoader;
import dev.cube.manager.config.ManagerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/cube-manager [--config FILE]}: runs one manager until SIGTERM. */
@Command(name = "cube-manager", mixinStandardHelpOptions = true,
        description = "Runs a Cube manager: a Raft member, the scheduler when it leads, and the HTTP API.")
public final class ManagerMain implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config (default: a one-manager quorum on this machine, storage /var/lib/cube)")
    Path config;

    @Override
    public Integer call() throws Exception {
        ManagerConfig cfg;
        try {
            cfg = config == null ? ManagerConfig.defaults() : ConfigLoader.load(config);
        } catch (ConfigLoader.ConfigException e) {
            System.err.println("cube-manager: " + e.getMessage());
            return 2;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        ManagerNode node;
        try {
            node = new ManagerNode(cfg);
        } catch (IllegalArgumentException e) {   // a certificate or key that cannot be used
            System.err.println("cube-manager: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("cube-manager: error while stopping: " + e);
            }
            stopped.countDown();
        }));
        try {
            node.start();
        } catch (java.net.BindException e) {
            System.err.println("cube-manager: cannot listen: " + e.getMessage());
            return 1;
        }
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ManagerMain()).execute(args));
    }
}
