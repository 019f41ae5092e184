package io.dossier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** db.compact-from-mb: 64 by default, also for {@code dev}, from the file or the environment, refused with its name when not a positive number. */
class DbCompactionSettingsTest {

    private static final Map<String, String> BASE = Map.of("db.url", "jdbc:h2:mem:x", "blob.store", "folder", "blob.folder", "/tmp/x");

    @Test
    void sixtyFourMegabytesUnlessSet() {
        assertThat(Settings.production(BASE, Map.of()).dbCompactFromBytes()).isEqualTo(64L << 20);
        assertThat(Settings.dev(Path.of("/tmp/dossier-data"), 8080, Map.of()).dbCompactFromBytes()).isEqualTo(64L << 20);
        var file = new java.util.HashMap<>(BASE);
        file.put("db.compact-from-mb", "8");
        assertThat(Settings.production(file, Map.of()).dbCompactFromBytes()).isEqualTo(8L << 20);
        assertThat(Settings.dev(Path.of("/tmp/dossier-data"), 8080, Map.of("DOSSIER_DB_COMPACT_FROM_MB", "1")).dbCompactFromBytes())
                .isEqualTo(1L << 20);
    }

    @Test
    void aBadValueNamesTheSetting() {
        var file = new java.util.HashMap<>(BASE);
        file.put("db.compact-from-mb", "big");
        assertThatThrownBy(() -> Settings.production(file, Map.of())).hasMessageContaining("db.compact-from-mb");
    }
}
