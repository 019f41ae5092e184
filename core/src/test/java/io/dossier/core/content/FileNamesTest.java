package io.dossier.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void keepsTheLastPathSegmentWithoutControlCharacters() {
        assertThat(FileNames.clean("C:\\Users\\x\\cv\u0000 2026.pdf")).isEqualTo("cv 2026.pdf");
        assertThat(FileNames.clean("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.clean(" .. ")).isEqualTo("file");
        assertThat(FileNames.clean(null)).isEqualTo("file");
    }

    @Test
    void aLongNameIsCutTo255Chars() {
        assertThat(FileNames.clean("a".repeat(300))).isEqualTo("a".repeat(255));
        assertThat(FileNames.clean("é".repeat(255))).isEqualTo("é".repeat(255));
    }

    /** An emoji is two chars: cut after 255 chars, the last one would be half of one. */
    @Test
    void aLongNameIsNeverCutInsideACharacter() {
        var emoji = "\uD83D\uDE42";   // 🙂
        var cut = FileNames.clean(emoji.repeat(300));
        assertThat(cut).isEqualTo(emoji.repeat(127)).hasSize(254);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();

        var shifted = FileNames.clean("x" + emoji.repeat(300));
        assertThat(shifted).isEqualTo("x" + emoji.repeat(127)).hasSize(255);
    }
}
