package dev.cube.manager.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.scheduler.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("manager.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void readsTheDocumentedShapeAndFillsDefaults() throws Exception {
        ManagerConfig c = ConfigLoader.load(write("""
                id: m1
                api:   {host: 0.0.0.0, port: 8080}
                raft:  {host: 127.0.0.1, port: 9870}
                managers:
                  - {id: m1, raft: 127.0.0.1:9870, api: 127.0.0.1:8080}
                storage: {path: /var/lib/cube}
                workers: {heartbeat-timeout: 4s}
                """));
        assertEquals("m1", c.id());
        assertEquals(8080, c.api().port());
        assertEquals("127.0.0.1:9870", c.managers().getFirst().raft());
        assertEquals(Duration.ofSeconds(4), c.workers().heartbeatTimeout());
        assertEquals(ManagerConfig.Workers.DEFAULT_CONNECTION_LOSS_GRACE, c.workers().connectionLossGrace());
        assertEquals(Duration.ofSeconds(1), c.scheduler().interval());
    }

    @Test
    void readsTheConnectionLossGraceAloneOrWithTheTimeout() throws Exception {
        String base = """
                id: m1
                managers:
                  - {id: m1, raft: 127.0.0.1:9870, api: 127.0.0.1:8080}
                """;
        ManagerConfig alone = ConfigLoader.load(write(base + "workers: {connection-loss-grace: 250ms}\n"));
        assertEquals(Duration.ofMillis(250), alone.workers().connectionLossGrace());
        assertEquals(Duration.ofSeconds(3), alone.workers().heartbeatTimeout());
        ManagerConfig off = ConfigLoader.load(write(base + "workers: {heartbeat-timeout: 5s, connection-loss-grace: 0s}\n"));
        assertEquals(Duration.ZERO, off.workers().connectionLossGrace());
        assertEquals(Duration.ofSeconds(5), off.workers().heartbeatTimeout());
    }

    @Test
    void readsTheSchedulingStrategyAndDefaultsToSpread() throws Exception {
        String base = """
                id: m1
                managers:
                  - {id: m1, raft: 127.0.0.1:9870, api: 127.0.0.1:8080}
                """;
        assertEquals(Strategy.SPREAD, ConfigLoader.load(write(base)).scheduler().strategy());
        ManagerConfig epvm = ConfigLoader.load(write(base + "scheduler: {strategy: epvm}\n"));
        assertEquals(Strategy.EPVM, epvm.scheduler().strategy());
        assertEquals(Duration.ofSeconds(1), epvm.scheduler().interval());
        ManagerConfig binpack = ConfigLoader.load(write(base + "scheduler: {interval: 2s, strategy: binpack}\n"));
        assertEquals(Strategy.BINPACK, binpack.scheduler().strategy());
        assertEquals(Duration.ofSeconds(2), binpack.scheduler().interval());
        var e = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(write(base + "scheduler: {strategy: random}\n")));
        assertTrue(e.getMessage().contains("scheduler.strategy"), e.getMessage());
        assertTrue(e.getMessage().contains("binpack, spread, epvm"), e.getMessage());
    }

    @Test
    void theShippedConfigIsTheEmbeddedDefault() {
        Path shipped = Path.of("..", "config", "manager.yaml");
        if (Files.exists(shipped)) {
            assertEquals(ManagerConfig.defaults(), ConfigLoader.load(shipped));
        }
    }

    @Test
    void namesTheUnknownKey() throws Exception {
        var e = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(write("id: m1\nstorrage: {path: /x}\n")));
        assertTrue(e.getMessage().contains("storrage"), e.getMessage());
    }

    @Test
    void refusesAQuorumWithoutThisManager() throws Exception {
        var e = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(write("""
                id: m2
                managers:
                  - {id: m1, raft: 127.0.0.1:9870, api: 127.0.0.1:8080}
                """)));
        assertTrue(e.getMessage().contains("m2"), e.getMessage());
    }

    @Test
    void refusesABadDuration() throws Exception {
        var e = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(write("workers: {heartbeat-timeout: soon}\n")));
        assertTrue(e.getMessage().contains("soon"), e.getMessage());
    }

    @Test
    void aMissingFileIsOneSentence() {
        var e = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("nope.yaml"));
    }

    @Test
    void readsAuthTlsAndTaskDefaults() throws Exception {
        Files.writeString(dir.resolve("m1.pem"), "x");
        Files.writeString(dir.resolve("m1.key"), "x");
        Files.writeString(dir.resolve("ca.pem"), "x");
        ManagerConfig c = ConfigLoader.load(write("""
                auth:
                  tokens:
                    - {name: ops, token: "0123456789abcdef0123", role: operator}
                    - {name: dash, token: "fedcba9876543210fedc", role: read-only}
                  join-token: "join-0123456789abcdef"
                tls: {cert: %1$s/m1.pem, key: %1$s/m1.key, ca: %1$s/ca.pem}
                tasks: {default-cpus: 0.25, default-memory: 256m}
                """.formatted(dir)));
        assertEquals(2, c.auth().tokens().size());
        assertEquals("join-0123456789abcdef", c.auth().joinToken());
        assertEquals(dir + "/ca.pem", c.tls().ca());
        assertEquals(256L << 20, ConfigLoader.taskDefaults(c.tasks()).memoryBytes());
        assertTrue(!c.toString().contains("0123456789abcdef0123") && !c.toString().contains("join-0123456789abcdef"),
                "tokens are never printed: " + c);
    }

    @Test
    void refusesWeakOrDuplicateTokensAndBadRoles() throws Exception {
        for (String[] bad : new String[][] {
                {"    - {name: ops, token: short, role: operator}\n", "auth.tokens.ops.token"},
                {"    - {name: ops, token: \"0123456789abcdef0123\", role: admin}\n", "role"},
                {"    - {name: a, token: \"0123456789abcdef0123\", role: operator}\n"
                        + "    - {name: b, token: \"0123456789abcdef0123\", role: operator}\n", "same as another"},
                {"    - {name: ops, token: \"0123456789 abcdef0123\", role: operator}\n", "without spaces"}}) {
            var e = assertThrows(ConfigLoader.ConfigException.class,
                    () -> ConfigLoader.load(write("auth:\n  tokens:\n" + bad[0])));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        var missingCert = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(write("tls: {cert: /nope.pem, key: /nope.key, ca: /nope-ca.pem}\n")));
        assertTrue(missingCert.getMessage().contains("tls.cert"), missingCert.getMessage());
    }
}
