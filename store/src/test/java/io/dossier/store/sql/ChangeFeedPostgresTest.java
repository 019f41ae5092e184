package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.change.Change;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The change feed contract on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES),
 * and what only PostgreSQL allows: writers of a tenant that do not wait for each other, so a
 * change can commit long after later ones. The reader must neither skip it nor see anything twice.
 */
class ChangeFeedPostgresTest extends ChangeFeedTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }

    /** A transaction takes its position and stays open while three later ones take theirs and commit. */
    @Test
    void aChangeThatCommitsAfterLaterOnesIsNotSkipped() throws Exception {
        var tenant = tenant();
        var holding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var pool = Executors.newSingleThreadExecutor(); Closeable released = release::countDown) {
            var late = pool.submit(() -> db.inTransaction(() -> {
                feed.record(tenant, "thing", "late", Change.Operation.CREATE, 1);
                holding.countDown();
                await(release);
                return null;
            }));
            await(holding);
            for (var id : List.of("after-1", "after-2", "after-3")) {
                db.inTransaction(() -> feed.record(tenant, "thing", id, Change.Operation.CREATE, 1));
            }
            assertThat(late.isDone()).as("the later writers did not wait for the open transaction").isFalse();

            var seen = new ArrayList<Change>();
            var cursor = readToTheEnd(tenant, null, seen);
            assertThat(seen).as("while it is open, nothing that sorts after it is given").isEmpty();

            release.countDown();
            late.get();
            testDatabase.settle();
            readToTheEnd(tenant, cursor, seen);
            assertThat(seen).extracting(Change::entityId).as("every change once, the late one first: its transaction is the oldest")
                    .containsExactly("late", "after-1", "after-2", "after-3");
        }
    }

    /**
     * Another application's long transaction in another database of the same server (here: one
     * that has written, so it holds a transaction id below the changes that follow) does not hold
     * this database's feed back; one open in this database still does, as it might append.
     */
    @Test
    void aTransactionOpenInAnotherDatabaseDoesNotHoldTheFeedBack() throws Exception {
        var tenant = tenant();
        try (var elsewhere = java.sql.DriverManager.getConnection(System.getenv(TestDatabase.ENV));
             var here = java.sql.DriverManager.getConnection(testDatabase.url())) {
            elsewhere.setAutoCommit(false);
            try (var s = elsewhere.createStatement()) {
                s.execute("SELECT pg_current_xact_id()");
            }
            db.inTransaction(() -> feed.record(tenant, "thing", "first", Change.Operation.CREATE, 1));
            var seen = new ArrayList<Change>();
            var cursor = readToTheEnd(tenant, null, seen);
            assertThat(seen).extracting(Change::entityId).as("the other database's transaction is not waited for").containsExactly("first");

            here.setAutoCommit(false);
            try (var s = here.createStatement()) {
                s.execute("SELECT pg_current_xact_id()");
            }
            db.inTransaction(() -> feed.record(tenant, "thing", "second", Change.Operation.CREATE, 1));
            readToTheEnd(tenant, cursor, seen);
            assertThat(seen).extracting(Change::entityId).as("a transaction open in this database holds the feed back").containsExactly("first");
            here.rollback();
            elsewhere.rollback();
            testDatabase.settle();
            readToTheEnd(tenant, cursor, seen);
            assertThat(seen).extracting(Change::entityId).containsExactly("first", "second");
        }
    }

    /**
     * A transaction that began writing before the late one takes three positions after the late
     * one took its own, and commits while the late one stays open: committed changes above a
     * position still in flight. A reader paging by position would pass over the late change's
     * place; by (transaction, position), the late one sorts after them and is read when it commits.
     */
    @Test
    void aChangeWithALowerPositionThatCommitsAfterOnesAboveItIsNotSkipped() throws Exception {
        var tenant = tenant();
        var holding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var lateStart = new CountDownLatch(1);
        try (var pool = Executors.newSingleThreadExecutor(); Closeable released = release::countDown) {
            var late = pool.submit(() -> {
                await(lateStart);
                return db.inTransaction(() -> {
                    long position = feed.record(tenant, "thing", "late", Change.Operation.CREATE, 1);
                    holding.countDown();
                    await(release);
                    return position;
                });
            });
            var positions = db.inTransaction(() -> {
                db.sql().fetchValue("SELECT pg_current_xact_id()");   // this transaction writes (has its id) first
                lateStart.countDown();
                await(holding);
                var taken = new ArrayList<Long>();
                for (var id : List.of("after-1", "after-2", "after-3")) {
                    taken.add(feed.record(tenant, "thing", id, Change.Operation.CREATE, 1));
                }
                return taken;
            });
            assertThat(late.isDone()).as("the other writer did not wait for the open transaction").isFalse();

            var seen = new ArrayList<Change>();
            var cursor = readToTheEnd(tenant, null, seen);
            assertThat(seen).extracting(Change::entityId).as("while it is open").doesNotContain("late");

            release.countDown();
            long latePosition = late.get();
            assertThat(latePosition).as("the late change's position is below theirs").isLessThan(positions.getFirst());
            testDatabase.settle();
            readToTheEnd(tenant, cursor, seen);
            assertThat(seen).extracting(Change::entityId).as("every change once, the late one last: its transaction is the younger")
                    .containsExactly("after-1", "after-2", "after-3", "late");
        }
    }

    /**
     * A database with changes from before V13 (positions taken as max + 1, no transaction):
     * migrated, its changes read first (transaction 0), and a new change of a tenant takes a
     * position above every one already taken, so nothing collides and nothing reads twice.
     */
    @Test
    void aDatabaseWithChangesFromBeforeV13KeepsThemAndGoesOnAboveThem() throws Exception {
        var adminUrl = System.getenv(TestDatabase.ENV);
        var name = "store_test_v12_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = java.sql.DriverManager.getConnection(adminUrl); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        var url = TestDatabase.withDatabase(adminUrl, name);
        try {
            org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:" + Migrations.LOCATION)
                    .target("12").load().migrate();
            try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
                s.execute("INSERT INTO tenant (id, slug, name, content_languages, default_language, created_at)"
                        + " VALUES (1, 'old', 'Old', 'en', 'en', now())");
                for (int p = 1; p <= 3; p++) {
                    s.execute("INSERT INTO change_log (tenant_id, position, entity_type, entity_id, operation, entity_version, changed_at)"
                            + " VALUES (1, " + p + ", 'thing', 'old-" + p + "', 'CREATE', 1, now())");
                }
                s.execute("INSERT INTO change_counter (tenant_id, last_position) VALUES (1, 3)");
            }
            try (var migrated = Database.open(new Database.Settings(url, "", "", 2))) {
                var upgraded = new io.dossier.core.change.ChangeFeed(new SqlChangeRepository(migrated), migrated,
                        new io.dossier.core.paging.Cursor(new SqlCursorKey(migrated)), java.time.Clock.systemUTC(),
                        java.time.Duration.ofDays(30));
                long position = migrated.inTransaction(() -> upgraded.record(1, "thing", "new", Change.Operation.CREATE, 1));
                assertThat(position).isGreaterThan(3);
                testDatabase.settle();
                assertThat(upgraded.read(1, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId)
                        .containsExactly("old-1", "old-2", "old-3", "new");
                assertThat(upgraded.read(1, Set.of(), 0, 2, null, null, 10)).as("after old position 2, as a cursor of before V13 reads")
                        .extracting(Change::entityId).containsExactly("old-3", "new");
            }
        } finally {
            try (var c = java.sql.DriverManager.getConnection(adminUrl); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    /** Pages of 2 from {@code cursor} (null: the start) until a page is empty; returns the cursor to go on from. */
    private String readToTheEnd(long tenant, String cursor, List<Change> seen) {
        while (true) {
            var page = feed.changes(tenant, Set.of(), cursor, null, null, 2);
            seen.addAll(page.changes());
            cursor = page.next();
            if (page.changes().isEmpty()) {
                return cursor;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
