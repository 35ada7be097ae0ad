package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({"1024,1024", "1b,1", "512k,524288", "512KB,524288", "512ki,524288", "256m,268435456",
            "256Mi,268435456", "64MB,67108864", "1g,1073741824", "1Gi,1073741824", "2 GB,2147483648"})
    void parses(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "1.5g", "-1", "1t", "1mib", "12 34", "99999999999999999999"})
    void refuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
    }
}
