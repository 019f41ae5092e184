import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.paging.Cursor;
import io.dossier.store.sql.Database;
import io.dossier.store.sql.SqlChangeRepository;
import io.dossier.store.sql.SqlCursorKey;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reading a tenant's change feed from start to end, 1,000 changes a page, through the core reader
 * ({@link ChangeFeed#changes}: signed cursor in, page and next cursor out, via jOOQ) against the same
 * keyset query over plain JDBC on the same connection pool, building the same {@link Change} values.
 * Run by bench/changes.sh, which documents the command and the options:
 * {@code java -cp "server/target/dossier.jar:server/target/lib/*" bench/ChangeFeedBench.java [options]}.
 *
 * <p>The data: database {@code dossier_changes_bench} on PostgreSQL at 127.0.0.1:5432 (created when
 * missing, reused afterwards; no other database is touched), a tenant with --rows changes (a mix of
 * record, document and file changes, a tenth of them tombstones) and another tenant with a fifth as
 * many, so the index holds more than the tenant read. Loaded once with generate_series.
 */
public class ChangeFeedBench {

    static final String DATABASE = "dossier_changes_bench";
    static final String SLUG = "changes-bench";
    static final String OTHER_SLUG = "changes-bench-other";
    /** The keyset query the core reader issues on PostgreSQL (SqlChangeRepository): feed order, below the snapshot's xmin. */
    static final String KEYSET = "SELECT writer_transaction, position, entity_type, entity_id, operation, entity_version, changed_at"
            + " FROM change_log WHERE tenant_id = ? AND (writer_transaction, position) > (?, ?)"
            + " AND writer_transaction < (SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint))"
            + " ORDER BY writer_transaction, position LIMIT ?";
    /** For information: the keyset by position alone that the reader used before V13 (no transaction order, no xmin). */
    static final String POSITION_KEYSET = "SELECT 0, position, entity_type, entity_id, operation, entity_version, changed_at FROM change_log"
            + " WHERE tenant_id = ? AND 0 = ? AND position > ? ORDER BY position LIMIT ?";

    record Options(boolean fresh, int rows, int page, int rounds, String pg) {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(parse(args));
        } catch (Throwable e) {
            Harness.fail(e);
        }
    }

    static Options parse(String[] arguments) {
        var args = new Harness.Args(arguments, "bench/changes.sh [--fresh] [--rows 1000000] [--page 1000] [--rounds 3] [--pg 127.0.0.1:5432]");
        var options = new Options(args.flag("--fresh"), args.integer("--rows", 1_000_000, 1000, 20_000_000),
                args.integer("--page", 1_000, 1, ChangeFeed.MAX_PAGE), args.integer("--rounds", 3, 1, 20), args.text("--pg", "127.0.0.1:5432"));
        args.done();
        if (!options.pg().startsWith("127.0.0.1:") && !options.pg().startsWith("localhost:")) {
            args.usage("--pg must be on 127.0.0.1");
        }
        return options;
    }

    static void run(Options o) throws Exception {
        System.out.printf("change feed read bench: %d cores, java %s, PostgreSQL %s/%s, %,d changes, pages of %,d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), o.pg(), DATABASE, o.rows(), o.page());
        Harness.prepareDatabase("jdbc:postgresql://" + o.pg() + "/postgres?user=postgres", DATABASE, o.fresh());
        try (var db = Database.open(new Database.Settings("jdbc:postgresql://" + o.pg() + "/" + DATABASE, "postgres", "", 4))) {
            long tenant = load(db, o);
            var feed = new ChangeFeed(new SqlChangeRepository(db), db, new Cursor(new SqlCursorKey(db)), Clock.systemUTC(),
                    Duration.ofDays(30));
            System.out.println("warm-up, not measured: one full read each");
            check(o, readCore(feed, tenant, o.page()), readJdbc(db, KEYSET, tenant, o.page()));
            var core = new ArrayList<Double>();
            var jdbc = new ArrayList<Double>();
            for (int round = 1; round <= o.rounds(); round++) {
                System.out.printf("round %d (load average %s)%n", round, Harness.loadAverage());
                // the order turns each round, so that none of the three always comes first after a pause
                Read j = null, c = null, r = null, p = null;
                for (int k = 0; k < 4; k++) {
                    switch ((round + k) % 4) {
                        case 0 -> j = readJdbc(db, KEYSET, tenant, o.page());
                        case 1 -> c = readCore(feed, tenant, o.page());
                        case 2 -> r = readRepository(new SqlChangeRepository(db), tenant, o.page());
                        default -> p = readJdbc(db, POSITION_KEYSET, tenant, o.page());
                    }
                }
                check(o, c, j);
                jdbc.add(j.perSecond());
                core.add(c.perSecond());
                System.out.printf("  plain JDBC keyset  %,12.0f changes/s  (%.2f s)%n", j.perSecond(), j.seconds());
                System.out.printf("  core reader        %,12.0f changes/s  (%.2f s)%n", c.perSecond(), c.seconds());
                System.out.printf("  (its repository    %,12.0f changes/s  (%.2f s): the query through jOOQ, no cursor)%n", r.perSecond(),
                        r.seconds());
                System.out.printf("  (plain JDBC by position alone %,12.0f changes/s  (%.2f s): the keyset before V13, for comparison)%n",
                        p.perSecond(), p.seconds());
            }
            double bestCore = core.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double bestJdbc = jdbc.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double ratio = bestCore / bestJdbc;
            System.out.printf("%nbest of %d: core %,.0f changes/s, plain JDBC %,.0f changes/s; ratio %.2f (target >= 0.7: %s)%n",
                    o.rounds(), bestCore, bestJdbc, ratio, ratio >= 0.7 ? "met" : "MISSED");
            System.out.println("(one JVM, one reader thread, the same HikariCP pool; PostgreSQL shares the machine's cores)");
        }
    }

    record Read(long changes, long lastPosition, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        double perSecond() {
            return changes / seconds();
        }
    }

    /** Every change of the tenant through the core reader, page after page, as a client with a cursor would. */
    static Read readCore(ChangeFeed feed, long tenant, int page) {
        long start = System.nanoTime();
        long n = 0, last = 0;
        String cursor = null;
        while (true) {
            var result = feed.changes(tenant, Set.of(), cursor, null, null, page);
            if (result.changes().isEmpty()) {
                break;
            }
            n += result.changes().size();
            last = result.changes().getLast().position();
            cursor = result.next();
        }
        return new Read(n, last, System.nanoTime() - start);
    }

    /** The repository under the reader alone: the jOOQ query, positions instead of signed cursors. */
    static Read readRepository(SqlChangeRepository repository, long tenant, int page) {
        long start = System.nanoTime();
        long n = 0, afterTransaction = 0, after = 0;
        while (true) {
            var changes = repository.read(tenant, Set.of(), afterTransaction, after, null, null, page);
            if (changes.isEmpty()) {
                break;
            }
            n += changes.size();
            afterTransaction = changes.getLast().transaction();
            after = changes.getLast().position();
        }
        return new Read(n, after, System.nanoTime() - start);
    }

    /** A keyset query over plain JDBC, building the same values, (transaction, position) of the last row as the cursor. */
    static Read readJdbc(Database db, String keyset, long tenant, int page) throws SQLException {
        long start = System.nanoTime();
        long n = 0, afterTransaction = 0, after = 0;
        while (true) {
            var changes = new ArrayList<Change>(page);
            try (var c = db.dataSource().getConnection(); var s = c.prepareStatement(keyset)) {
                s.setLong(1, tenant);
                s.setLong(2, afterTransaction);
                s.setLong(3, after);
                s.setInt(4, page);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new Change(tenant, rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                Change.Operation.valueOf(rs.getString(5)), rs.getLong(6),
                                rs.getObject(7, java.time.OffsetDateTime.class).toInstant()));
                    }
                }
            }
            if (changes.isEmpty()) {
                break;
            }
            n += changes.size();
            afterTransaction = changes.getLast().transaction();
            after = changes.getLast().position();
        }
        return new Read(n, after, System.nanoTime() - start);
    }

    static void check(Options o, Read core, Read jdbc) {
        if (core.changes() != o.rows() || jdbc.changes() != o.rows() || core.lastPosition() != jdbc.lastPosition()) {
            throw new IllegalStateException("the two reads differ: core " + core + ", jdbc " + jdbc + ", expected " + o.rows());
        }
    }

    /** The bench tenant with exactly --rows changes, loaded when it has another number; returns its id. */
    static long load(Database db, Options o) throws SQLException {
        long tenant = tenant(db, SLUG);
        long other = tenant(db, OTHER_SLUG);
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            long have, transactions;
            try (var rs = s.executeQuery("SELECT count(*), COALESCE(MAX(writer_transaction), 0) FROM change_log WHERE tenant_id = " + tenant)) {
                rs.next();
                have = rs.getLong(1);
                transactions = rs.getLong(2);
            }
            if (have == o.rows() && transactions > 0) {   // none: loaded before changes had their transaction (V13)
                System.out.printf("reusing %,d changes of tenant %s (--fresh reloads)%n", have, SLUG);
                return tenant;
            }
            long started = System.nanoTime();
            s.execute("DELETE FROM change_log WHERE tenant_id IN (" + tenant + ", " + other + ")");
            // transaction ids as the server writes them, increasing with the position and all ended
            // (below the current one): several changes a transaction when the server has handed
            // out fewer ids than --rows
            long xid;
            try (var rs = s.executeQuery("SELECT CAST(CAST(pg_current_xact_id() AS text) AS bigint)")) {
                rs.next();
                xid = rs.getLong(1);
            }
            for (var t : List.of(new long[] {tenant, o.rows()}, new long[] {other, o.rows() / 5})) {
                s.execute(String.format(Locale.ROOT, """
                        INSERT INTO change_log (tenant_id, writer_transaction, position, entity_type, entity_id, operation,
                                                entity_version, changed_at)
                        SELECT %d, 1 + CAST(g AS bigint) * %d / %d, g,
                               CASE g %% 10 WHEN 0 THEN 'document' WHEN 1 THEN 'file' ELSE 'record:Candidate' END,
                               md5(g::text),
                               CASE WHEN g %% 10 = 9 THEN 'DELETE' WHEN g %% 3 = 0 THEN 'CREATE' ELSE 'UPDATE' END,
                               1 + g %% 7,
                               timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
                        FROM generate_series(1, %d) g""", t[0], xid - 2, t[1] + 1, t[1]));
            }
            s.execute("SELECT setval('change_position', (SELECT MAX(position) FROM change_log))");
            s.execute("ANALYZE change_log");
            System.out.printf("loaded %,d changes (and %,d of another tenant) in %.1f s%n", o.rows(), o.rows() / 5,
                    (System.nanoTime() - started) / 1e9);
        }
        return tenant;
    }

    static long tenant(Database db, String slug) throws SQLException {
        try (var c = db.dataSource().getConnection()) {
            try (var s = c.prepareStatement("SELECT id FROM tenant WHERE slug = ?")) {
                s.setString(1, slug);
                try (var rs = s.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
            }
        }
        var repository = new io.dossier.store.sql.SqlTenantRepository(db);
        return repository.insert(slug, "Change feed bench", List.of("en"), "en").id();
    }
}
