package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.change.Change;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The change feed contract on an H2 file database in a temporary folder. */
class ChangeFeedH2Test extends ChangeFeedTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    /**
     * A tenant's counter found behind its log (as once after a kill -9): the next change neither
     * collides nor is lost, it goes on after the log's last position, and the counter catches up.
     */
    @Test
    void aCounterBehindTheLogIsPassedAndCaughtUp() {
        var tenant = tenant();
        for (var id : new String[] {"a", "b", "c"}) {
            db.inTransaction(() -> feed.record(tenant, "thing", id, Change.Operation.CREATE, 1));
        }
        db.sql().execute("UPDATE change_counter SET last_position = 1 WHERE tenant_id = " + tenant);

        long position = db.inTransaction(() -> feed.record(tenant, "thing", "d", Change.Operation.CREATE, 1));
        long next = db.inTransaction(() -> feed.record(tenant, "thing", "e", Change.Operation.CREATE, 1));

        assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("a", "b", "c", "d", "e");
        assertThat(position).isEqualTo(4);
        assertThat(next).isEqualTo(5);
        assertThat(db.sql().fetchValue("SELECT last_position FROM change_counter WHERE tenant_id = " + tenant)).isEqualTo(5L);
    }

    /**
     * A row of the log at the counter's next position that no transaction will ever commit (as H2
     * once held after a kill -9: every write of the tenant waited on it until the lock timeout, then
     * took the same position again). Here a transaction holds it open without the counter's lock,
     * which no writer of ours does: the write waits out the lock once, goes on past it, and the
     * counter follows, so the next write does not wait at all.
     */
    @Test
    void aPositionHeldByNoWriterIsPassedOnce() throws Exception {
        var tenant = tenant();
        db.inTransaction(() -> feed.record(tenant, "thing", "a", Change.Operation.CREATE, 1));
        try (var stranger = db.dataSource().getConnection(); var statement = stranger.createStatement()) {
            stranger.setAutoCommit(false);
            statement.execute("INSERT INTO change_log (tenant_id, position, entity_type, entity_id, operation, entity_version, changed_at)"
                    + " VALUES (" + tenant + ", 2, 'thing', 'ghost', 'CREATE', 1, CURRENT_TIMESTAMP)");
            long position = db.inTransaction(() -> {
                db.sql().execute("SET LOCK_TIMEOUT 300");
                return feed.record(tenant, "thing", "b", Change.Operation.CREATE, 1);
            });
            long next = db.inTransaction(() -> feed.record(tenant, "thing", "c", Change.Operation.CREATE, 1));

            assertThat(position).isEqualTo(3);
            assertThat(next).isEqualTo(4);
            assertThat(db.sql().fetchValue("SELECT last_position FROM change_counter WHERE tenant_id = " + tenant)).isEqualTo(4L);
            assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("a", "b", "c");
            stranger.rollback();
        }
    }
}
