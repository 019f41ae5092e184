package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Times as the File API and Opus 2 show them: UTC, milliseconds, a Z. */
class UtcMillisTest {

    @Test
    void aTimeIsWrittenAsThePatternWritesIt() {
        assertThat(UtcMillis.format(Instant.parse("2026-12-04T09:05:07.008999Z"))).isEqualTo("2026-12-04T09:05:07.008Z");
        assertThat(UtcMillis.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(UtcMillis.format(Instant.parse("1969-12-31T23:59:59.999Z"))).isEqualTo("1969-12-31T23:59:59.999Z");
        var random = new SplittableRandom(4);
        for (int i = 0; i < 10_000; i++) {
            var instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L), random.nextInt(1_000_000_000));
            assertThat(UtcMillis.format(instant)).isEqualTo(UtcMillis.PATTERN.format(instant));
        }
    }
}
