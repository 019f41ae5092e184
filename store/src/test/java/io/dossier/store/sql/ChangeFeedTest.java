package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The change feed's ordering under concurrent writers, windows, types and tombstones, once per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChangeFeedTest {

    protected abstract TestDatabase newDatabase();

    protected TestDatabase testDatabase;
    protected Database db;
    private SqlTenantRepository tenants;
    private final FilesAndDocumentsTest.TestClock clock = new FilesAndDocumentsTest.TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    protected ChangeFeed feed;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        db = testDatabase.database();
        tenants = new SqlTenantRepository(db);
        feed = testDatabase.changeFeed(clock);
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    protected long tenant() {
        return tenants.insert("c" + UUID.randomUUID().toString().substring(0, 8), "C", List.of("en"), "en").id();
    }

    /**
     * Eight writers commit changes in transactions that linger after taking their position (so
     * commits come late and out of step); a reader pages as fast as it can, remembering only the
     * last change it was given, as a client with a cursor would. It must see every change once, in
     * feed order: ever increasing (transaction, position), exactly the feed as it reads afterwards.
     */
    @Test
    void aReaderPagingDuringEightConcurrentWritersNeverSkipsOrRepeatsAChange() throws Exception {
        var tenant = tenant();
        var writing = new AtomicBoolean(true);
        var committed = ConcurrentHashMap.<Long>newKeySet();
        var seen = new ArrayList<Change>();
        try (var pool = Executors.newFixedThreadPool(9)) {
            var writers = new ArrayList<java.util.concurrent.Future<?>>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        int n = i;
                        long position = db.inTransaction(() -> {
                            long p = feed.record(tenant, "thing", writer + "-" + n, Change.Operation.CREATE, 1);
                            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                                sleep(ThreadLocalRandom.current().nextInt(3));
                            }
                            return p;
                        });
                        committed.add(position);
                    }
                    return null;
                }));
            }
            var reader = pool.submit(() -> {
                long afterTransaction = 0;
                long afterPosition = 0;
                while (true) {
                    boolean last = !writing.get();
                    if (last) {
                        testDatabase.settle();   // the writers are done: let what other runs have in flight end
                    }
                    var page = feed.read(tenant, Set.of(), afterTransaction, afterPosition, null, null, 7);
                    for (var change : page) {
                        seen.add(change);
                        afterTransaction = change.transaction();
                        afterPosition = change.position();
                    }
                    if (last && page.isEmpty()) {
                        return null;
                    }
                }
            });
            try {
                for (var writer : writers) {
                    writer.get();
                }
            } finally {
                writing.set(false);   // a writer that failed must not leave the reader waiting for ever
            }
            reader.get();
        }
        assertThat(committed).hasSize(480);
        var positions = seen.stream().map(Change::position).toList();
        assertThat(positions).as("every committed change once").hasSize(480).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(committed);
        assertThat(seen).as("in feed order").isSortedAccordingTo(FEED_ORDER);
        testDatabase.settle();
        assertThat(positions).as("as the feed reads afterwards").isEqualTo(
                feed.read(tenant, Set.of(), 0, 0, null, null, 1000).stream().map(Change::position).toList());
    }

    /**
     * The changes of one write (a bulk load queues thousands) go in together: in their order, each
     * as given, whatever its text holds (PostgreSQL copies them in as text, which escapes tabs,
     * line breaks and backslashes).
     */
    @Test
    void theChangesOfOneWriteAreAppendedTogetherInTheirOrderAsGiven() {
        var tenant = tenant();
        var other = tenant();
        var ids = List.of("tab\there", "line\nbreak", "return\rhere", "back\\slash", "\\N", "\\.", "ünïcødé 🙂 中文 \u00a0", "", " spaced ");
        feed.write(() -> {
            for (int i = 0; i < ids.size(); i++) {
                feed.created(tenant, "thing", ids.get(i), i + 1);
            }
            feed.deleted(other, "other\ttype", "gone", 7);
            feed.updated(tenant, "thing", "last", Long.MAX_VALUE);
            return null;
        });
        testDatabase.settle();

        var read = feed.read(tenant, Set.of(), 0, 0, null, null, 100);
        var expected = new ArrayList<String>(ids);
        expected.add("last");
        assertThat(read).extracting(Change::entityId).containsExactlyElementsOf(expected);
        assertThat(read).extracting(Change::entityType).containsOnly("thing");
        assertThat(read.subList(0, ids.size())).extracting(Change::version)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, ids.size()).boxed().toList());
        assertThat(read.getLast().version()).isEqualTo(Long.MAX_VALUE);
        assertThat(read.getLast().operation()).isEqualTo(Change.Operation.UPDATE);
        assertThat(read).extracting(Change::changedAt).containsOnly(clock.instant());
        assertThat(read).extracting(Change::position).isSorted().doesNotHaveDuplicates();
        assertThat(read).extracting(Change::transaction).containsOnly(read.getFirst().transaction());
        var gone = feed.read(other, Set.of(), 0, 0, null, null, 100);
        assertThat(gone).singleElement().satisfies(c -> {
            assertThat(c.entityType()).isEqualTo("other\ttype");
            assertThat(c.entityId()).isEqualTo("gone");
            assertThat(c.operation()).isEqualTo(Change.Operation.DELETE);
            assertThat(c.version()).isEqualTo(7);
        });
    }

    static final java.util.Comparator<Change> FEED_ORDER =
            java.util.Comparator.comparingLong(Change::transaction).thenComparingLong(Change::position);

    @Test
    void aRolledBackWriteLeavesNoChange() {
        var tenant = tenant();
        feed.record(tenant, "thing", "a", Change.Operation.CREATE, 1);
        try {
            db.inTransaction(() -> {
                feed.record(tenant, "thing", "b", Change.Operation.CREATE, 1);
                throw new IllegalStateException("the write failed");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        feed.record(tenant, "thing", "c", Change.Operation.UPDATE, 2);
        testDatabase.settle();
        assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("a", "c");
    }

    /** A bulk write queues thousands of changes: they are appended together, in the order queued, each tenant's after its last. */
    @Test
    void aWriteOfManyChangesAppendsThemInTheirOrder() {
        var tenant = tenant();
        var other = tenant();
        feed.record(tenant, "thing", "before", Change.Operation.CREATE, 1);
        feed.write(() -> {
            for (int i = 0; i < 6000; i++) {
                feed.created(i % 3 == 0 ? other : tenant, "thing", "t" + i, 1);
            }
            feed.updated(tenant, "thing", "before", 2);
            return null;
        });
        feed.record(tenant, "thing", "after", Change.Operation.DELETE, 3);
        testDatabase.settle();

        var read = new java.util.ArrayList<Change>();
        List<Change> page;
        long transaction = 0;
        long position = 0;
        do {
            page = feed.read(tenant, Set.of(), transaction, position, null, null, 1000);
            read.addAll(page);
            if (!page.isEmpty()) {
                transaction = page.getLast().transaction();
                position = page.getLast().position();
            }
        } while (!page.isEmpty());
        var expected = new java.util.ArrayList<String>();
        expected.add("before");
        for (int i = 0; i < 6000; i++) {
            if (i % 3 != 0) {
                expected.add("t" + i);
            }
        }
        expected.add("before");
        expected.add("after");
        assertThat(read).extracting(Change::entityId).containsExactlyElementsOf(expected);
        assertThat(read.get(read.size() - 2).version()).isEqualTo(2);
        assertThat(read.getLast().operation()).isEqualTo(Change.Operation.DELETE);
        assertThat(feed.read(other, Set.of(), 0, 0, null, null, 3000)).hasSize(2000).allMatch(c -> c.tenantId() == other);
    }

    @Test
    void readsFilterByTypeAndWindowAndNeverCrossTenants() {
        var tenant = tenant();
        var other = tenant();
        feed.record(other, "person", "x", Change.Operation.CREATE, 1);
        var t0 = clock.instant();
        feed.record(tenant, "person", "p1", Change.Operation.CREATE, 1);
        clock.advance(Duration.ofMinutes(1));
        feed.record(tenant, "employment", "e1", Change.Operation.CREATE, 1);
        clock.advance(Duration.ofMinutes(1));
        feed.record(tenant, "person", "p1", Change.Operation.DELETE, 2);
        testDatabase.settle();

        assertThat(feed.read(tenant, Set.of("person"), 0, 0, null, null, 10)).extracting(Change::operation)
                .containsExactly(Change.Operation.CREATE, Change.Operation.DELETE);
        assertThat(feed.read(tenant, Set.of(), 0, 0, t0, t0.plus(Duration.ofMinutes(1)), 10)).extracting(Change::entityId)
                .containsExactly("e1");
        assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).allMatch(c -> c.tenantId() == tenant).hasSize(3);
        assertThat(feed.read(other, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("x");
    }

    @Test
    void tombstonesAreCollectedAfterTheirLifetime() {
        var tenant = tenant();
        feed.record(tenant, "person", "gone", Change.Operation.DELETE, 3);
        feed.record(tenant, "person", "kept", Change.Operation.UPDATE, 2);
        clock.advance(Duration.ofDays(30).plusSeconds(1));
        while (feed.collectTombstones(100) == 100) {
            // other tests' tombstones go too
        }
        testDatabase.settle();
        assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("kept");
    }

    static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
