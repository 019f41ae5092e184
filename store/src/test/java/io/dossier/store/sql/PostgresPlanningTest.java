package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every pooled PostgreSQL connection plans each run of a statement for its own values
 * ({@link Database#open}): once the driver prepared a page's statement on the server, a plan made
 * for any parameters sorted every match of an Opus 2 poll (50-900 ms instead of 2) on the
 * connections that had switched to it. Skipped without DOSSIER_TEST_POSTGRES.
 */
class PostgresPlanningTest {

    @Test
    void everyConnectionOfThePoolPlansEachRunForItsOwnValues() throws SQLException {
        try (var test = TestDatabase.postgres()) {
            var connections = new ArrayList<Connection>();
            try {
                for (int i = 0; i < 4; i++) {
                    var connection = test.database().dataSource().getConnection();
                    connections.add(connection);
                    try (var statement = connection.createStatement(); var rows = statement.executeQuery("SHOW plan_cache_mode")) {
                        rows.next();
                        assertThat(rows.getString(1)).isEqualTo("force_custom_plan");
                    }
                }
            } finally {
                for (var connection : connections) {
                    connection.close();
                }
            }
        }
    }
}
