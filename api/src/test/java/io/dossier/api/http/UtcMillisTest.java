package io.dossier.api.opus2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Opus 2 times as the wire shows them: UTC, milliseconds, a Z. */
class Opus2TimeTest {

    private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void aTimeIsWrittenAsThePatternWritesIt() {
        assertThat(Opus2Api.time(Instant.parse("2026-12-04T09:05:07.008999Z"))).isEqualTo("2026-12-04T09:05:07.008Z");
        assertThat(Opus2Api.time(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Opus2Api.time(Instant.parse("1969-12-31T23:59:59.999Z"))).isEqualTo("1969-12-31T23:59:59.999Z");
        var random = new SplittableRandom(4);
        for (int i = 0; i < 10_000; i++) {
            var instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L), random.nextInt(1_000_000_000));
            assertThat(Opus2Api.time(instant)).isEqualTo(PATTERN.format(instant));
        }
    }
}
