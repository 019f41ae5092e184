package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How PostgreSQL plans what {@link Database#read} sends ({@link Database.Plan}): a statement read
 * {@code EACH_RUN} is never prepared on the server, so it is planned for its own values every time
 * (a plan made once for any afterDate, offset and limit sorted every match of an Opus 2 poll: 50-900
 * ms a page instead of 2); one read {@code REUSED} is prepared after the driver's fifth run, and
 * PostgreSQL may keep one plan for it (a look-up by key planned each time paid 0.5 ms for 0.2 ms of
 * work). Skipped without DOSSIER_TEST_POSTGRES.
 */
class PostgresPlanningTest {

    private static final String EACH_RUN = "SELECT count(*) FROM tenant WHERE id > ?";
    private static final String REUSED = "SELECT count(*) FROM tenant WHERE id = ?";

    @Test
    void aStatementReadEachRunIsNeverPreparedOnTheServerAndALookUpIs() {
        try (var test = TestDatabase.postgres()) {
            var db = test.database();
            var prepared = db.inTransaction(() -> {
                for (int i = 0; i < 10; i++) {
                    db.read(Database.Plan.EACH_RUN, "a range", EACH_RUN, new Object[] {(long) i}, rows -> rows.next());
                    db.read(Database.Plan.REUSED, "a look-up", REUSED, new Object[] {(long) i}, rows -> rows.next());
                }
                var statements = new ArrayList<String>();
                db.read(Database.Plan.EACH_RUN, "prepared statements", "SELECT statement FROM pg_prepared_statements", new Object[0], rows -> {
                    while (rows.next()) {
                        statements.add(rows.getString(1));
                    }
                });
                return List.copyOf(statements);
            });

            assertThat(prepared).anyMatch(sql -> sql.contains("WHERE id = $1")).noneMatch(sql -> sql.contains("WHERE id > $1"));
        }
    }

    @Test
    void postgresqlChoosesHowToPlanWhatJooqSends() {
        try (var test = TestDatabase.postgres()) {
            var mode = test.database().sql().fetchValue("SHOW plan_cache_mode");
            assertThat(mode).isEqualTo("auto");
        }
    }
}
