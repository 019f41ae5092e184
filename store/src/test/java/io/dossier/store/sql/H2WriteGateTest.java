package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On embedded H2 one transaction writes at a time ({@link H2WriteGate}): H2 can lose a committed
 * update to the rollback of another writer of its row.
 */
class H2WriteGateTest {

    @TempDir
    Path folder;

    private Database db;

    @BeforeEach
    void open() {
        db = open("jdbc:h2:file:" + folder.resolve("db") + ";LOCK_TIMEOUT=2000");
        db.sql().execute("CREATE TABLE gate_counter (id INT PRIMARY KEY, v BIGINT NOT NULL)");
        db.sql().execute("INSERT INTO gate_counter (id, v) VALUES (1, 0)");
        db.sql().execute("CREATE TABLE gate_other (id INT PRIMARY KEY)");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Database open(String url) {
        return Database.open(new Database.Settings(url, "sa", "", 16));
    }

    /**
     * The failure itself: writers adding one to a row, one in ten of them rolled back. Without the
     * gate H2 lost committed increments here (two committed transactions read the same new value);
     * it is a race, so a run without the gate may also pass, but a run with it never loses one.
     */
    @Test
    void noCommittedUpdateIsLostToAnotherWritersRollback() throws Exception {
        var committed = new AtomicLong();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        var twice = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var writers = new ArrayList<Future<?>>();
            for (int i = 0; i < 8; i++) {
                writers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            long v = db.inTransaction(() -> {
                                db.sql().execute("UPDATE gate_counter SET v = v + 1 WHERE id = 1");
                                long now = counter();
                                if (ThreadLocalRandom.current().nextInt(10) == 0) {
                                    throw new IllegalStateException("rolled back");
                                }
                                return now;
                            });
                            committed.incrementAndGet();
                            if (!seen.add(v)) {
                                twice.incrementAndGet();
                            }
                        } catch (IllegalStateException rolledBack) {
                            // as meant
                        }
                    }
                    return null;
                }));
            }
            for (var writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(committed.get()).isPositive();
        assertThat(twice.get()).as("values two committed transactions both read").isZero();
        assertThat(counter()).isEqualTo(committed.get());
    }

    @Test
    void aWriterWaitsForTheTransactionThatWroteFirstToEnd() throws Exception {
        try (var pool = Executors.newFixedThreadPool(2); var first = holdWrite(pool, "INSERT INTO gate_other (id) VALUES (1)")) {
            // another row entirely: H2 would not make it wait, the gate does
            var second = pool.submit(() -> db.inTransaction(() -> db.sql().execute("INSERT INTO gate_other (id) VALUES (2)")));
            Thread.sleep(300);
            assertThat(second.isDone()).as("the second writer is done before the first ended").isFalse();
            // a read does not wait, nor does a transaction that only reads
            assertThat(db.sql().fetchCount(DSL.table("gate_other"))).isZero();
            assertThat(db.inTransaction(this::counter)).isZero();
            first.end();
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(db.sql().fetchCount(DSL.table("gate_other"))).isEqualTo(2);
    }

    @Test
    void aWriteOnItsOwnAlsoWaitsAndGivesTheGateBackWhenItFails() throws Exception {
        try (var pool = Executors.newFixedThreadPool(3); var first = holdWrite(pool, "UPDATE gate_counter SET v = 5 WHERE id = 1")) {
            var jooq = pool.submit(() -> db.sql().execute("INSERT INTO gate_other (id) VALUES (3)"));
            var plain = pool.submit(() -> plainInsert(4));
            Thread.sleep(300);
            assertThat(jooq.isDone()).as("a jOOQ write on its own").isFalse();
            assertThat(plain.isDone()).as("a plain JDBC write on its own").isFalse();
            first.end();
            jooq.get(30, TimeUnit.SECONDS);
            plain.get(30, TimeUnit.SECONDS);
        }
        // refused writes on their own, by either path, give the gate back
        assertThatThrownBy(() -> db.sql().execute("INSERT INTO gate_other (id) VALUES (3)")).isNotNull();
        assertThatThrownBy(() -> plainInsert(4)).isNotNull();
        try (var pool = Executors.newSingleThreadExecutor()) {
            assertThat(pool.submit(() -> db.sql().execute("INSERT INTO gate_other (id) VALUES (5)")).get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(counter()).isEqualTo(5);
    }

    @Test
    void aWriterKeptWaitingPastTheLockTimeoutIsToldTheDatabaseIsBusyAndLeavesNothing() throws Exception {
        try (var pool = Executors.newSingleThreadExecutor(); var first = holdWrite(pool, "INSERT INTO gate_other (id) VALUES (1)")) {
            assertThatThrownBy(() -> db.inTransaction(() -> db.sql().execute("UPDATE gate_counter SET v = 9 WHERE id = 1")))
                    .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
            first.end();
        }
        assertThat(counter()).isZero();
    }

    @Test
    void twoPoolsOnOneDatabaseShareTheGate() throws Exception {
        try (var other = open("jdbc:h2:file:" + folder.resolve("db") + ";LOCK_TIMEOUT=2000");
             var pool = Executors.newFixedThreadPool(2); var first = holdWrite(pool, "INSERT INTO gate_other (id) VALUES (1)")) {
            var second = pool.submit(() -> other.inTransaction(() -> other.sql().execute("INSERT INTO gate_other (id) VALUES (2)")));
            Thread.sleep(300);
            assertThat(second.isDone()).isFalse();
            first.end();
            second.get(30, TimeUnit.SECONDS);
        }
    }

    /** A transaction on a thread of {@code pool} that has run {@code sql} and stays open until {@link Held#end}. */
    private Held holdWrite(ExecutorService pool, String sql) throws InterruptedException {
        var wrote = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var transaction = pool.submit(() -> db.inTransaction(() -> {
            db.sql().execute(sql);
            wrote.countDown();
            await(release);
            return null;
        }));
        assertThat(wrote.await(30, TimeUnit.SECONDS)).as("the first transaction wrote").isTrue();
        return new Held(release, transaction);
    }

    /** A transaction {@link #holdWrite} keeps open; closing it ends it too. */
    private record Held(CountDownLatch release, Future<?> transaction) implements AutoCloseable {

        void end() throws Exception {
            release.countDown();
            transaction.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    private int plainInsert(int id) {
        Object[] binds = {id};
        return db.execute("gate test", () -> DSL.insertInto(DSL.table("gate_other"), DSL.field("id", Integer.class))
                .values(DSL.param("id", Integer.class)), binds, "inserting");
    }

    @Test
    void whichPlainStatementsWrite() {
        assertThat(H2WriteGate.writes("insert into t values (?)")).isTrue();
        assertThat(H2WriteGate.writes("  UPDATE t SET v = ?")).isTrue();
        assertThat(H2WriteGate.writes("delete from t where id = ?")).isTrue();
        assertThat(H2WriteGate.writes("MERGE INTO t KEY (id) VALUES (?)")).isTrue();
        assertThat(H2WriteGate.writes("select v from final table (update t set v = v + ? where id = ?)")).isTrue();
        assertThat(H2WriteGate.writes("select v from t where id = ? for update")).isTrue();
        assertThat(H2WriteGate.writes("select v from t where id = ?")).isFalse();
        assertThat(H2WriteGate.writes("SET LOCK_TIMEOUT 50")).isFalse();
    }

    @Test
    void postgresHasNoGate() {
        try (var postgres = TestDatabase.postgres()) {
            assertThat(H2WriteGate.of(postgres.database().dataSource())).isEmpty();
        }
    }

    private long counter() {
        return ((Number) db.sql().fetchValue("SELECT v FROM gate_counter WHERE id = 1")).longValue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
