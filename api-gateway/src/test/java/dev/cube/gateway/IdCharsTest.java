package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdCharsTest {

    @ParameterizedTest(name = "''{0}'' (at most {1}) -> {2}")
    @CsvSource(delimiter = '|', value = {
            "sim-0001|128|true",
            "1efbab90-e8b3-3bba-a120-afd75b337da5|128|true",
            "A.Z_a.z-0.9|128|true",
            "abc|3|true",
            "abcd|3|false",
            "''|128|false",
            "a b|128|false",
            "a/b|128|false",
            "a:b|128|false",
            "é|128|false",
            "a\tb|128|false",
    })
    void acceptsOnlyLettersDigitsDotUnderscoreAndDash(String value, int maxLength, boolean expected) {
        assertEquals(expected, IdChars.isId(value, maxLength));
    }
}
