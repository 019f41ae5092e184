package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Every pooled H2 connection keeps {@link Database#H2_PARSED_COMMANDS} parsed commands
 * ({@link Database#withH2Settings}): with H2's own 8, an OWS upload and bind parsed most of its
 * statements again on every request (5% of the server's CPU in the small-file bench, 0.3% with 256).
 * They go with their connection after {@link Database#H2_CONNECTION_LIFETIME}, so that plans made
 * for young tables do not last.
 */
class H2ParsedCommandsTest {

    @Test
    void everyConnectionOfThePoolKeepsItsParsedCommands() throws SQLException {
        assertThat(TestDatabase.h2Setting("QUERY_CACHE_SIZE")).isEqualTo(Database.H2_PARSED_COMMANDS);
    }

    @Test
    void connectionsAndTheirPlansAreReplacedEveryMinute() {
        try (var test = TestDatabase.h2()) {
            var pool = (com.zaxxer.hikari.HikariDataSource) test.database().dataSource();
            assertThat(pool.getMaxLifetime()).isEqualTo(Database.H2_CONNECTION_LIFETIME.toMillis()).isEqualTo(60_000);
            // Hikari would warn at every start of a keep-alive as long as the lifetime (its default is 2 minutes)
            var config = Database.poolConfig(new Database.Settings("jdbc:h2:mem:x", "", "", 4), org.jooq.SQLDialect.H2);
            assertThat(config.getKeepaliveTime()).satisfiesAnyOf(k -> assertThat(k).isZero(), k -> assertThat(k).isLessThan(config.getMaxLifetime()));
        }
    }

    @Test
    void aSizeInTheUrlIsKept() {
        assertThat(Database.withH2Settings("jdbc:h2:file:/x;QUERY_CACHE_SIZE=16")).contains(";QUERY_CACHE_SIZE=16").doesNotContain("QUERY_CACHE_SIZE=256");
        assertThat(Database.withH2Settings("jdbc:postgresql://h/d")).isEqualTo("jdbc:postgresql://h/d");
    }
}
