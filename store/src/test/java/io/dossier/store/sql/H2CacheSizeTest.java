package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The embedded database's page cache follows the heap ({@link Database#h2CacheKiB}): a thirty-second
 * of it, 4 to 64 MB. H2's own 16 MB, whatever the heap, was 16 of the ~37 MB that stayed live in the
 * 256 MB heap of {@code dossier dev} under small uploads, and G1 sizes the heap, so the resident memory,
 * from what stays live.
 */
class H2CacheSizeTest {

    @Test
    void theCacheIsAThirtySecondOfTheHeapBetweenFourAndSixtyFourMegabytes() {
        assertThat(Database.h2CacheKiB(256L << 20)).isEqualTo(8 * 1024);
        assertThat(Database.h2CacheKiB(64L << 20)).isEqualTo(4 * 1024);
        assertThat(Database.h2CacheKiB(8L << 30)).isEqualTo(64 * 1024);
    }

    @Test
    void theStoreUsesIt() throws SQLException {
        long expectedMiB = Database.h2CacheKiB(Runtime.getRuntime().maxMemory()) / 1024;
        assertThat(TestDatabase.h2Setting("info.CACHE_MAX_SIZE")).isEqualTo(expectedMiB);
    }

    @Test
    void aCacheSizeInTheUrlIsKeptAndTheParsedCommandsAreNotMistakenForIt() {
        assertThat(Database.withH2Settings("jdbc:h2:file:/x;CACHE_SIZE=1024")).contains(";CACHE_SIZE=1024").doesNotContain("CACHE_SIZE=4096");
        assertThat(Database.withH2Settings("jdbc:h2:file:/x;QUERY_CACHE_SIZE=16")).containsPattern(";CACHE_SIZE=\\d+");
    }
}
