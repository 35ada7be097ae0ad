package dev.cube.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentSignatureTest {
    private static final long NOW = 1_800_000_000L;
    private static final String QUERY = "task=t-1&attempt=1&follow=false";

    @Test
    void aSignatureFitsItsSessionWorkerAndQueryOnly() {
        String signed = AgentSignature.sign("session-1", "w-1", QUERY, NOW);
        assertTrue(AgentSignature.verify("session-1", "w-1", QUERY, signed, NOW));
        assertFalse(AgentSignature.verify("session-2", "w-1", QUERY, signed, NOW), "another session");
        assertFalse(AgentSignature.verify("session-1", "w-2", QUERY, signed, NOW), "another worker");
        assertFalse(AgentSignature.verify("session-1", "w-1", "task=t-2&attempt=1&follow=false", signed, NOW),
                "another task");
        assertFalse(AgentSignature.verify(null, "w-1", QUERY, signed, NOW), "a worker not registered");
    }

    @Test
    void aSignatureExpiresAndCannotBeStretched() {
        String signed = AgentSignature.sign("s", "w-1", QUERY, NOW);
        long expires = NOW + AgentSignature.LIFETIME_SECONDS;
        assertTrue(AgentSignature.verify("s", "w-1", QUERY, signed, expires + AgentSignature.SKEW_SECONDS));
        assertFalse(AgentSignature.verify("s", "w-1", QUERY, signed, expires + AgentSignature.SKEW_SECONDS + 1));
        String mac = signed.substring(signed.indexOf('.'));
        assertFalse(AgentSignature.verify("s", "w-1", QUERY, (expires + 3600) + mac, NOW), "a later expiry");
        String farFuture = AgentSignature.sign("s", "w-1", QUERY, NOW + 3600);
        assertFalse(AgentSignature.verify("s", "w-1", QUERY, farFuture, NOW), "good for too long");
    }

    @Test
    void malformedHeadersAreRefused() {
        for (String header : new String[] {null, "", ".", "abc", "12.zz", "x.00", ".00"}) {
            assertFalse(AgentSignature.verify("s", "w-1", QUERY, header, NOW), String.valueOf(header));
        }
    }
}
