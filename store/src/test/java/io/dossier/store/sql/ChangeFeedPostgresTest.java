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
