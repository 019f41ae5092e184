package io.dossier.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    void whereTheRootCanBeForcedAFolderThatFailsToBeForcedFailsTheWrite() throws Exception {
        var folders = DurableFiles.Folders.under(folder);
        assertThat(folders.forces()).isTrue();
        var shard = Files.createDirectory(folder.resolve("ab"));
        folders.force(shard);
        assertThatThrownBy(() -> folders.force(folder.resolve("gone"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void whereTheRootCannotBeForcedFoldersAreLeftToTheFileSystem() throws Exception {
        var folders = DurableFiles.Folders.under(folder.resolve("cannot-open"));
        assertThat(folders.forces()).isFalse();
        folders.force(folder.resolve("cannot-open"));
    }
}
