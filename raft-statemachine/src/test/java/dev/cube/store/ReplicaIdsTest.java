package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaIdsTest {

    @Test
    void idsAreTheNameBasedUuidsTheLogAlreadyHolds() {
        for (String seed : new String[] {UUID.randomUUID().toString(), "seed", "é"}) {
            for (int i = 1; i <= 2_000; i += 7) {
                assertEquals(UUID.nameUUIDFromBytes((seed + "/" + i).getBytes(StandardCharsets.UTF_8)).toString(),
                        Command.SubmitReplicas.replicaId(seed, i), seed + "/" + i);
            }
        }
    }
}
