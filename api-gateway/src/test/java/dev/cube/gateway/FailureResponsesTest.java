package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureResponsesTest {
    private static String body(ApiResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aWriteWithoutAnswerInTimeSaysItsOutcomeIsUnknown() {
        ApiResponse write = FailureResponses.of(new CompletionException(new TimeoutException()), "POST", "/tasks");
        ApiResponse read = FailureResponses.of(new TimeoutException(), "GET", "/tasks");

        assertEquals(503, write.status());
        assertEquals("1", write.headers().get("Retry-After"));
        assertTrue(body(write).contains("may still take effect"), body(write));
        assertEquals(503, read.status());
        assertFalse(body(read).contains("may still take effect"), body(read));
    }
}
