package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import org.junit.jupiter.api.Test;

/** {@link SqlFileRepository#fit} counts as H2 counts a column's length, in chars, so what passes fits both databases. */
class FitTest {

    static final String EMOJI = "\uD83D\uDE42";

    @Test
    void aValueFitsByItsChars() {
        assertThat(SqlFileRepository.fit("file name", "a".repeat(255), 255)).hasSize(255);
        assertThat(SqlFileRepository.fit("file name", EMOJI.repeat(127) + "a", 255)).hasSize(255);
        assertThat(SqlFileRepository.fit("file name", null, 255)).isNull();
    }

    /** 185 emoji are 185 characters for PostgreSQL but 370 chars for H2: the fuzzer's name that overflowed H2's column. */
    @Test
    void aValueOfMoreCharsThanTheColumnHoldsIsInvalidEvenWithFewerCharacters() {
        var refused = catchThrowableOfType(Failure.class, () -> SqlFileRepository.fit("file name", EMOJI.repeat(185), 255));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.INVALID);
        assertThat(refused.getMessage()).isEqualTo("file name is longer than 255 characters");
        assertThat(catchThrowableOfType(Failure.class, () -> SqlFileRepository.fit("file name", "a".repeat(256), 255)).kind())
                .isEqualTo(Failure.Kind.INVALID);
    }
}
