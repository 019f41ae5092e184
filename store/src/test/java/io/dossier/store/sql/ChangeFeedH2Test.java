package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.change.Change;
import java.util.Set;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The change feed contract on an H2 file database in a temporary folder. */
class ChangeFeedH2Test extends ChangeFeedTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    /**
     * A change committed and seen but not yet forced to disk (its writer is between its commit and
     * its wait for the store) is in the file once the feed has handed it out, by a read or as the
     * feed's head: after a crash its position would otherwise go to the next change, and a client
     * holding a cursor past it would never see that one.
     */
    @Test
    void whatTheFeedHandsOutIsInTheFileFirst() throws Exception {
        var tenant = tenant();
        db.inTransaction(() -> feed.record(tenant, "thing", "a", Change.Operation.CREATE, 1));
        long first = positionsInACopy(tenant).getFirst();

        commitWithoutWaiting("INSERT INTO change_log (tenant_id, position, entity_type, entity_id, operation, entity_version, changed_at)"
                + " VALUES (" + tenant + ", " + (first + 1) + ", 'thing', 'b', 'CREATE', 1, CURRENT_TIMESTAMP)");
        assertThat(positionsInACopy(tenant)).as("seen, not yet in the file").containsExactly(first);
        assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("a", "b");
        assertThat(positionsInACopy(tenant)).containsExactly(first, first + 1);

        commitWithoutWaiting("INSERT INTO change_log (tenant_id, position, entity_type, entity_id, operation, entity_version, changed_at)"
                + " VALUES (" + tenant + ", " + (first + 2) + ", 'thing', 'c', 'CREATE', 1, CURRENT_TIMESTAMP)");
        assertThat(feed.head(tenant).minor()).isEqualTo(first + 2);
        assertThat(positionsInACopy(tenant)).containsExactly(first, first + 1, first + 2);
    }

    /** Commits {@code sql} as a writer of the node does (under the gate, with a ticket), without waiting for it to be forced to disk. */
    private void commitWithoutWaiting(String sql) throws Exception {
        var gate = H2WriteGate.of(db.dataSource()).orElseThrow();
        try (var writer = db.dataSource().getConnection(); var statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            assertThat(gate.enter()).isTrue();
            try {
                statement.execute(sql);
                db.durableCommits().ticket();
                writer.commit();
            } finally {
                gate.leave();
            }
        }
    }

    private int copies;

    /** The tenant's positions in a copy of the database's file taken now, as a node finds them after a crash. */
    private java.util.List<Long> positionsInACopy(long tenant) throws Exception {
        var file = java.nio.file.Path.of(testDatabase.url().substring("jdbc:h2:file:".length()) + ".mv.db");
        try (var connection = H2DurableCommitsTest.openCopy(file, file.resolveSibling("copy-" + copies++))) {
            return DSL.using(connection).fetch("SELECT position FROM change_log WHERE tenant_id = " + tenant + " ORDER BY position")
                    .getValues(0, Long.class);
        }
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
     * Rows of the log from the counter's next position on that no transaction will ever commit (as
     * H2 once held after a kill -9: every write of the tenant waited on the first until the lock
     * timeout, then took the same position again). Here a transaction holds three open without the
     * counter's lock, which no writer of ours does: the write waits out the lock once, leaps past
     * them with short waits, and the counter follows, so the next write does not wait at all; the
     * session's lock timeout is as it was.
     */
    @Test
    void positionsHeldByNoWriterArePassedOnce() throws Exception {
        var tenant = tenant();
        db.inTransaction(() -> feed.record(tenant, "thing", "a", Change.Operation.CREATE, 1));
        try (var stranger = db.dataSource().getConnection(); var statement = stranger.createStatement()) {
            stranger.setAutoCommit(false);
            for (int position = 2; position <= 4; position++) {
                statement.execute("INSERT INTO change_log (tenant_id, position, entity_type, entity_id, operation, entity_version, changed_at)"
                        + " VALUES (" + tenant + ", " + position + ", 'thing', 'ghost', 'CREATE', 1, CURRENT_TIMESTAMP)");
            }
            var timeoutAfter = new int[1];
            long position = db.inTransaction(() -> {
                db.sql().execute("SET LOCK_TIMEOUT 300");
                long taken = feed.record(tenant, "thing", "b", Change.Operation.CREATE, 1);
                timeoutAfter[0] = db.sql().fetchValue(DSL.field("LOCK_TIMEOUT()", Integer.class));
                db.sql().execute("SET LOCK_TIMEOUT 10000");
                return taken;
            });
            long next = db.inTransaction(() -> feed.record(tenant, "thing", "c", Change.Operation.CREATE, 1));

            assertThat(position).isEqualTo(5);
            assertThat(next).isEqualTo(6);
            assertThat(timeoutAfter[0]).isEqualTo(300);
            assertThat(db.sql().fetchValue("SELECT last_position FROM change_counter WHERE tenant_id = " + tenant)).isEqualTo(6L);
            assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("a", "b", "c");
            stranger.rollback();
        }
    }
}
