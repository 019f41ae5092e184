package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The embedded database splits its pages at {@link Database#H2_PAGE_SIZE} (4 KB, H2's own is 16 KB):
 * every commit writes each page it changed whole, so smaller pages write less per small upload.
 */
class H2PageSizeTest {

    @Test
    void theStoreSplitsItsPagesAtFourKilobytes() throws SQLException {
        assertThat(TestDatabase.h2Setting("info.PAGE_SIZE")).isEqualTo(Database.H2_PAGE_SIZE).isEqualTo(4096);
    }

    @Test
    void aPageSizeInTheUrlIsKept() {
        assertThat(Database.withH2Settings("jdbc:h2:file:/x;PAGE_SIZE=16384")).contains(";PAGE_SIZE=16384").doesNotContain("PAGE_SIZE=4096");
    }
}
