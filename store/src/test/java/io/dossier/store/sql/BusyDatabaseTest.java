package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A database that cannot do the work now (a row lock held past the lock wait, no connection) is
 * refused as {@link Failure.Kind#UNAVAILABLE} with a time to try again, which every dialect answers
 * as its own "unavailable", not as a bug's 500; and the work it refused leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BusyDatabaseTest {

    protected abstract TestDatabase newDatabase();

    /** The statement that makes this transaction's lock waits short. */
    protected abstract String shortLockWait();

    private TestDatabase testDatabase;
    protected Database db;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        db = testDatabase.database();
        db.sql().execute("CREATE TABLE busy_test (id INT PRIMARY KEY, v INT NOT NULL)");
        db.sql().execute("INSERT INTO busy_test (id, v) VALUES (1, 0)");
        db.sql().execute("CREATE TABLE busy_other (id INT PRIMARY KEY)");
    }

    @AfterAll
    void close() {
        testDatabase.close();
    }

    @Test
    void aLockWaitThatRunsOutIsUnavailableAndLeavesNothing() throws Exception {
        var holding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var pool = Executors.newSingleThreadExecutor()) {
            var holder = pool.submit(() -> db.inTransaction(() -> {
                db.sql().execute("UPDATE busy_test SET v = 1 WHERE id = 1");
                holding.countDown();
                await(release);
                return null;
            }));
            try {
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> db.inTransaction(() -> {
                    db.sql().execute(shortLockWait());
                    db.sql().execute("INSERT INTO busy_other (id) VALUES (7)");
                    return db.sql().update(DSL.table("busy_test")).set(DSL.field("v", Integer.class), 2)
                            .where(DSL.field("id", Integer.class).eq(1)).execute();
                })).isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
                    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(f.getMessage()).isEqualTo("the database is busy; try again shortly");
                });
            } finally {
                release.countDown();
            }
            holder.get(30, TimeUnit.SECONDS);
        }
        assertThat(db.sql().fetchCount(DSL.table("busy_other"))).as("the refused transaction's insert").isZero();
        assertThat(db.sql().fetchValue("SELECT v FROM busy_test WHERE id = 1")).isEqualTo(1);
    }

    @Test
    void whatSaysBusyAndWhatDoesNot() {
        assertThat(Database.busy(new SQLTransientConnectionException("dossier - Connection is not available, request timed out"))).isTrue();
        assertThat(Database.busy(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(Database.busy(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(Database.busy(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(Database.busy(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Database.busy(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(Database.busy(new SQLException("no state"))).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
