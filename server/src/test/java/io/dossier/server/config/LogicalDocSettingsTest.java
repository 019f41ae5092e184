package io.dossier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** logicaldoc.session-minutes: 30 by default, from the file or the environment, refused with its name when not a positive number. */
class LogicalDocSettingsTest {

    private static final Map<String, String> BASE = Map.of("db.url", "jdbc:h2:mem:x", "blob.store", "folder", "blob.folder", "/tmp/x");

    @Test
    void thirtyMinutesUnlessSet() {
        assertThat(Settings.production(BASE, Map.of()).logicaldocSessionIdle()).isEqualTo(Duration.ofMinutes(30));
        var file = new java.util.HashMap<>(BASE);
        file.put("logicaldoc.session-minutes", "5");
        assertThat(Settings.production(file, Map.of()).logicaldocSessionIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Settings.production(BASE, Map.of("DOSSIER_LOGICALDOC_SESSION_MINUTES", "90")).logicaldocSessionIdle())
                .isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void aBadValueNamesTheSetting() {
        var file = new java.util.HashMap<>(BASE);
        file.put("logicaldoc.session-minutes", "soon");
        assertThatThrownBy(() -> Settings.production(file, Map.of())).hasMessageContaining("logicaldoc.session-minutes");
    }
}
