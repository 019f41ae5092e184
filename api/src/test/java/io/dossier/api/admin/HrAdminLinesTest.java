package io.dossier.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import's line reader: line breaks, buffer boundaries and lines over the limit. */
class HrAdminLinesTest {

    static List<String> lines(String text) throws IOException {
        var reader = new HrAdmin.Lines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        var out = new ArrayList<String>();
        String line;
        while ((line = reader.next()) != null) {
            out.add(line);
        }
        return out;
    }

    @Test
    void linesEndAtLfOrCrLfAndTheLastNeedsNoBreak() throws IOException {
        assertThat(lines("a\r\nb\n\nc")).containsExactly("a", "b", "", "c");
        assertThat(lines("a\n")).containsExactly("a");
        assertThat(lines("")).isEmpty();
        assertThat(lines("é€\n𝄞")).containsExactly("é€", "𝄞");
    }

    @Test
    void linesAcrossBufferBoundariesComeWhole() throws IOException {
        var text = new StringBuilder();
        var expected = new ArrayList<String>();
        for (int i = 0; i < 3000; i++) {
            var line = "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}";
            expected.add(line);
            text.append(line).append(i % 2 == 0 ? "\n" : "\r\n");
        }
        assertThat(lines(text.toString())).isEqualTo(expected);
    }

    @Test
    void aLineOverTheLimitIsMarkedAndTheNextOneReadAsUsual() throws IOException {
        var huge = "y".repeat(HrAdmin.MAX_LINE_CHARS + 1);
        var exact = "z".repeat(HrAdmin.MAX_LINE_CHARS);
        var read = lines("a\n" + huge + "\n" + exact + "\nb\n" + huge);
        assertThat(read).hasSize(5);
        assertThat(read.get(0)).isEqualTo("a");
        assertThat(read.get(1)).startsWith("\u0000");
        assertThat(read.get(2)).isEqualTo(exact);
        assertThat(read.get(3)).isEqualTo("b");
        assertThat(read.get(4)).startsWith("\u0000");
    }
}
