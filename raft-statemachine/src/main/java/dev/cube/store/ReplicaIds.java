package dev.cube.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The id of replica {@code i} of a {@link Command.SubmitReplicas}: the name-based UUID (version 3,
 * as {@link UUID#nameUUIDFromBytes}) of {@code "<idSeed>/<i>"}. Ids in the log depend on this
 * staying the same. Each thread keeps its own digest: looking MD5 up for every replica cost more
 * than hashing, and cloning one still allocated three objects per replica.
 */
final class ReplicaIds {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no MD5", e);
        }
    });

    private ReplicaIds() {}

    static String of(String idSeed, int i) {
        byte[] hash = MD5.get().digest((idSeed + "/" + i).getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30);   // version 3
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);   // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int b = 0; b < 8; b++) msb = (msb << 8) | (hash[b] & 0xff);
        for (int b = 8; b < 16; b++) lsb = (lsb << 8) | (hash[b] & 0xff);
        return new UUID(msb, lsb).toString();
    }
}
