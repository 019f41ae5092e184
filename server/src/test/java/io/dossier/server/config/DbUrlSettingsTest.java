package io.dossier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * db.url: PostgreSQL, or an H2 database of this process alone. One that other processes write too
 * (an H2 server, AUTO_SERVER) is refused with the setting's name: their writes would be
 * acknowledged without being forced to disk.
 */
class DbUrlSettingsTest {

    private static Settings with(String url) {
        var file = new HashMap<>(Map.of("blob.store", "folder", "blob.folder", "/tmp/x"));
        file.put("db.url", url);
        return Settings.production(file, Map.of());
    }

    @Test
    void oneProcesssDatabasesAreTaken() {
        for (var url : new String[] {"jdbc:postgresql://db/dossier", "jdbc:h2:file:/var/lib/dossier/db", "jdbc:h2:./data/db;MODE=Regular",
                "jdbc:h2:mem:x", "jdbc:h2:file:/x;AUTO_SERVER=FALSE"}) {
            assertThat(with(url).dbUrl()).isEqualTo(url);
        }
    }

    @Test
    void databasesSharedWithOtherProcessesAreRefused() {
        for (var url : new String[] {"jdbc:h2:tcp://localhost/~/dossier", "jdbc:h2:ssl://db:9092/dossier", "jdbc:h2:file:/x;AUTO_SERVER=TRUE",
                "jdbc:h2:/x;auto_server = true;AUTO_RECONNECT=TRUE"}) {
            assertThatThrownBy(() -> with(url)).as(url).hasMessageContaining("db.url").hasMessageContaining("shared with other processes");
        }
    }
}
