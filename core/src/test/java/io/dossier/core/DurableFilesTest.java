package io.dossier.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path folder;

    @Test
    void aFileIsWrittenAndReplacedWholeWithNoTempFileLeft() throws Exception {
        var file = folder.resolve("credentials.json");
        DurableFiles.replace(file, "first".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("first");
        DurableFiles.replace(file, "second, longer".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("second, longer");
        try (var names = Files.list(folder)) {
            assertThat(names.map(p -> p.getFileName().toString()).toList()).containsExactly("credentials.json");
        }
    }

    @Test
    void aFolderThatCannotBeForcedIsLeftAsItIs() {
        DurableFiles.forceFolder(folder.resolve("missing"));
    }
}
