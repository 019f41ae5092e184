package io.dossier.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dossier.core.ComputeTurn;
import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The SQL database: a HikariCP pool, the migrations ({@link Migrations}), and the jOOQ context that
 * repositories use. Inside {@link #inTransaction} every repository call on that thread joins the
 * same transaction.
 */
public final class Database implements Transactions, AutoCloseable {

    private final HikariDataSource pool;
    private final DSLContext base;
    /** This thread's transaction's connection, while it is in {@link #inTransaction}. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /** On embedded H2 only: forces each commit to disk before it is acknowledged (PostgreSQL does so itself). */
    private final H2DurableCommits durable;
    /** On embedded H2 only: lets one transaction write at a time, for H2 can lose a committed update to a rollback ({@link H2WriteGate}). */
    private final H2WriteGate gate;
    /** Marks a jOOQ statement outside a transaction that took {@link #gate}, to give it back when the statement ends. */
    private static final String GATE_TAKEN = "dossier.gate-taken";

    /** What a value with the NUL character is told: PostgreSQL cannot hold it in text (SQLSTATE 22021). */
    static final String NUL_REFUSED = "text must not contain the NUL character (U+0000)";

    /** What a text longer than the column that holds it is told (SQLSTATE 22001). */
    static final String TOO_LONG_REFUSED = "a text value is longer than the field that holds it allows";

    /**
     * Where the database is and how many connections to it a node pools; an embedded database's file
     * of at least {@code compactFromBytes} that is mostly free is compacted before it opens ({@link H2Compaction}).
     */
    public record Settings(String jdbcUrl, String user, String password, int maxPoolSize, long compactFromBytes) {

        public Settings(String jdbcUrl, String user, String password, int maxPoolSize) {
            this(jdbcUrl, user, password, maxPoolSize, (long) COMPACT_FROM_MB << 20);
        }
    }

    /**
     * By default ({@code db.compact-from-mb}), an embedded database's file smaller than this many MB
     * is not compacted at start, however much of it is free, nor opened to find out ({@link H2Compaction}).
     */
    public static final int COMPACT_FROM_MB = 64;

    private Database(HikariDataSource pool, SQLDialect dialect, H2DurableCommits durable, H2WriteGate gate) {
        this.pool = pool;
        this.durable = durable;
        this.gate = gate;
        var settings = new org.jooq.conf.Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withExecuteLogging(false);
        var configuration = DSL.using(new Connections(), dialect, settings).configuration();
        if (gate != null || durable != null) {
            configuration = configuration.derive(ExecuteListener.onExecuteStart(ctx -> {
                if (gate != null && (writes(ctx) || ctx.sql() != null && H2WriteGate.writes(ctx.sql())) && enterGate() && current.get() == null) {
                    // a write on its own (auto-commit): the gate is given back when it ends, and it commits
                    // as it runs, so it takes its ticket to be made durable now
                    ctx.data(GATE_TAKEN, durable != null ? durable.ticket() : 0L);
                }
            }).onEnd(ctx -> {
                if (ctx.data(GATE_TAKEN) instanceof Long ticket) {
                    gate.leave();
                    if (ticket > 0 && ctx.exception() == null) {
                        awaitDurable(ticket);   // it committed on its own: durable before it returns
                    }
                }
            }));
        }
        // PostgreSQL cannot hold the NUL character in text (SQLSTATE 22021); a value with one comes
        // from a request (an id, a name, a condition), so it is bad input, not a failure of ours.
        // So is a text longer than its column (22001 on both databases): core checks the lengths
        // it knows of, and this answers one it missed as bad input (a resumable File API
        // publication's name once reached its column as sent, and was a 500).
        configuration = configuration.deriveAppending(ExecuteListener.onException(ctx -> {
            if (ctx.sqlException() != null && "22021".equals(ctx.sqlException().getSQLState())) {
                ctx.exception(Failure.invalid(NUL_REFUSED));
            } else if (ctx.sqlException() != null && "22001".equals(ctx.sqlException().getSQLState())) {
                ctx.exception(Failure.invalid(TOO_LONG_REFUSED));
            } else if (ctx.sqlException() != null && busy(ctx.sqlException())) {
                ctx.exception(busyFailure(ctx.sqlException()));
            }
        }));
        this.base = DSL.using(configuration);
    }

    /** How long a client is told to wait before it tries again after {@link #busyFailure}. */
    static final java.time.Duration BUSY_RETRY_AFTER = java.time.Duration.ofSeconds(1);

    /**
     * Whether {@code e} says that the database could not do the work now, not that the work is
     * wrong: a lock wait that ran out or a deadlock (H2: {@code HYT00}, {@code 40001}; PostgreSQL:
     * {@code 40001}, {@code 40P01}, {@code 55P03}), or no connection (the pool's wait ran out, the
     * server out of reach: class {@code 08}, {@code 53300}). Those were answered as a bug's 500.
     */
    static boolean busy(SQLException e) {
        var next = e;
        for (int depth = 0; next != null && depth < 10; depth++, next = next.getNextException()) {   // a chain may loop
            var state = next.getSQLState();
            if (next instanceof java.sql.SQLTransientConnectionException || next instanceof java.sql.SQLTransactionRollbackException
                    || state != null && (state.equals("HYT00") || state.equals("40001") || state.equals("40P01") || state.equals("55P03")
                    || state.equals("53300") || state.startsWith("08"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code failure} is {@link #busyFailure} for a row lock that H2 waited for until its lock timeout ({@code HYT00}). */
    static boolean lockWaitRanOut(Failure failure) {
        return failure.kind() == Failure.Kind.UNAVAILABLE && failure.getCause() instanceof SQLException e && "HYT00".equals(e.getSQLState());
    }

    /** The refusal for a {@link #busy} exception: the dialect's "unavailable" (503, try again in a second), with {@code e} its cause. */
    static Failure busyFailure(SQLException e) {
        return Failure.unavailable("the database is busy; try again shortly", BUSY_RETRY_AFTER, e);
    }

    /** Opens the pool and migrates the schema; fails with a message naming what is wrong. */
    public static Database open(Settings settings) {
        var dialect = dialectOf(settings.jdbcUrl());
        var config = poolConfig(settings, dialect);
        if (dialect == SQLDialect.H2) {
            H2Compaction.beforeOpen(config.getJdbcUrl(), settings.user(), settings.password(), settings.compactFromBytes());
        }
        // jOOQ's classes (its data types above all) take ~75 ms of a core to initialise: they do it
        // on a thread of their own while the pool opens the database
        Thread.ofPlatform().name("dossier-jooq-classes").daemon().start(() -> DSL.using(dialect));
        var pool = new HikariDataSource(config);
        H2DurableCommits durable = null;
        try {
            boolean migrated = Migrations.apply(pool);
            if (dialect == SQLDialect.H2) {
                H2TenantColumns.afterMigrations(pool, migrated);
            }
            var gate = dialect == SQLDialect.H2 ? H2WriteGate.of(pool).orElse(null) : null;
            if (gate != null) {
                durable = H2DurableCommits.attach(config.getJdbcUrl(), settings.user(), settings.password(), gate).orElse(null);
            }
            return new Database(pool, dialect, durable, gate);
        } catch (RuntimeException e) {
            if (durable != null) {
                durable.close();
            }
            pool.close();
            throw e;
        }
    }

    /** The pool's settings; on H2 its connections are replaced every {@link #H2_CONNECTION_LIFETIME}. */
    static HikariConfig poolConfig(Settings settings, SQLDialect dialect) {
        var config = new HikariConfig();
        config.setJdbcUrl(withH2Settings(settings.jdbcUrl()));
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("dossier");
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(10_000);
        if (dialect == SQLDialect.H2) {
            config.setMaxLifetime(H2_CONNECTION_LIFETIME.toMillis());
            // nothing to keep alive in an embedded database; Hikari warns at every start when keep-alive >= lifetime
            config.setKeepaliveTime(0);
        }
        return config;
    }

    /** The size at which H2 splits a page of its store ({@link #withH2Settings}); H2's own is 16 KB. */
    static final int H2_PAGE_SIZE = 4096;

    /** The commands each H2 connection keeps parsed ({@link #withH2Settings}). */
    static final int H2_PARSED_COMMANDS = 256;

    /**
     * How long an H2 connection is used before the pool replaces it. A parsed command keeps the plan
     * H2 made for it, for the tables as they were then: H2's {@code ANALYZE} (run by itself as a
     * table grows) changes no plan already made. A new connection parses, and so plans, afresh.
     */
    static final java.time.Duration H2_CONNECTION_LIFETIME = java.time.Duration.ofMinutes(1);

    /** H2 as Dossier needs it: lower-case names as PostgreSQL folds them, lock waits as long as a busy node needs, closed by Dossier only. */
    static String withH2Settings(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return jdbcUrl;
        }
        var url = jdbcUrl;
        var upper = jdbcUrl.toUpperCase(java.util.Locale.ROOT);
        if (!upper.contains("DATABASE_TO_LOWER")) {
            url += ";DATABASE_TO_LOWER=TRUE";
        }
        // H2 gives up on a row lock after 1 s; writers queue on a tenant's change-feed counter, and
        // on a busy machine that wait can be longer. PostgreSQL waits as long as it takes.
        if (!upper.contains("LOCK_TIMEOUT")) {
            url += ";LOCK_TIMEOUT=10000";
        }
        // H2 closes a database at JVM exit by a shutdown hook of its own, which runs beside Dossier's:
        // on SIGTERM it closed the database under the requests that Dossier's hook lets finish (they
        // failed with 500s) and under a start still seeding the demo. Dossier closes it, after them.
        if (!upper.contains("DB_CLOSE_ON_EXIT")) {
            url += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        // WRITE_DELAY is left alone (0 would have every commit store its transaction on its own):
        // H2DurableCommits turns H2's background writer off and stores what writers committed in one go.

        // Every store writes each page changed since the last one whole, and a small upload and its
        // attachment change a few pages in each of some ten tables and indexes: with H2's 16 KB pages
        // that was 55-67 KB written to the file per upload and attachment, with 4 KB pages 35-42 KB.
        if (!upper.contains("PAGE_SIZE")) {
            url += ";PAGE_SIZE=" + H2_PAGE_SIZE;
        }
        // Each connection keeps the commands it parsed, by their SQL text; H2 keeps 8, fewer than the
        // statements of one OWS upload and bind, so it parsed most of them again on every request.
        if (!upper.contains("QUERY_CACHE_SIZE")) {
            url += ";QUERY_CACHE_SIZE=" + H2_PARSED_COMMANDS;
        }
        // H2 caches 16 MB of pages whatever the heap: in the 256 MB heap of `dossier dev` that was 16
        // of the ~37 MB that stayed live under 16 clients uploading small files, and G1 sizes the heap
        // from what stays live (bench/files.sh: resident memory peaked at 302-310 MB with 8 MB against
        // 314-319 with 16, at the same uploads a second). A thirty-second of the heap, 4 to 64 MB.
        if (!upper.contains(";CACHE_SIZE=")) {
            url += ";CACHE_SIZE=" + h2CacheKiB(Runtime.getRuntime().maxMemory());
        }
        return url;
    }

    /** H2's page cache for a heap of at most {@code maxHeapBytes} ({@link #withH2Settings}), in KiB. */
    static long h2CacheKiB(long maxHeapBytes) {
        return Math.clamp(maxHeapBytes / 32 / 1024, 4 * 1024, 64 * 1024);
    }

    /**
     * Whether a statement changes data. jOOQ calls an INSERT … RETURNING a read on H2 (it runs as
     * {@code SELECT … FROM FINAL TABLE (INSERT …)}), so the statement's kind decides, not the call.
     */
    private static boolean writes(org.jooq.ExecuteContext ctx) {
        var query = ctx.query();
        return query instanceof org.jooq.Insert<?> || query instanceof org.jooq.Update<?> || query instanceof org.jooq.Delete<?>
                || query instanceof org.jooq.Merge<?> || ctx.type() != ExecuteType.READ;
    }

    static SQLDialect dialectOf(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return SQLDialect.H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return SQLDialect.POSTGRES;
        }
        throw new IllegalArgumentException("only jdbc:h2: and jdbc:postgresql: URLs are supported");
    }

    /**
     * The jOOQ context: its statements run on this thread's transaction's connection, or on one of
     * the pool's when there is none.
     */
    public DSLContext sql() {
        return base;
    }

    /**
     * Hands jOOQ this thread's transaction's connection, else one of the pool's for the statement.
     * One context serves every transaction, where one was derived for each with its connection (a
     * copy of the configuration and of all its settings a transaction; jOOQ still makes one for
     * every statement it runs, 12 KB an OWS upload and attachment).
     */
    private final class Connections implements ConnectionProvider {

        @Override
        public Connection acquire() {
            var transaction = current.get();
            if (transaction != null) {
                return transaction;
            }
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                throw busy(e) ? busyFailure(e) : new DataAccessException("no connection: " + e.getMessage(), e);
            }
        }

        @Override
        public void release(Connection connection) {
            if (connection == current.get()) {
                return;   // the transaction's: inTransaction gives it back when the transaction ends
            }
            try {
                connection.close();
            } catch (SQLException e) {
                throw new DataAccessException("connection not released: " + e.getMessage(), e);
            }
        }
    }

    public SQLDialect dialect() {
        return base.dialect();
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        // begun and ended here over plain JDBC, not by jOOQ's transaction provider: that asks the
        // driver for the connection's isolation level at every begin, which PostgreSQL's driver
        // answers with a round trip (SHOW TRANSACTION ISOLATION LEVEL), one more for every write
        T result;
        long ticket = 0;   // on H2, a transaction that wrote: its place among the commits to make durable
        try (var connection = pool.getConnection()) {
            connection.setAutoCommit(false);   // the pool restores auto-commit when the connection is returned
            current.set(connection);
            try {
                result = work.get();
                if (durable != null && gate.held()) {
                    ticket = durable.ticket();
                }
                connection.commit();
            } catch (RuntimeException | Error | SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                current.remove();
                if (gate != null) {
                    gate.leaveIfHeld();   // after the commit or the rollback: no other writer runs beside a rollback
                }
            }
        } catch (SQLException e) {
            throw busy(e) ? busyFailure(e) : new DataAccessException("transaction: " + e.getMessage(), e);
        }
        if (ticket > 0) {
            awaitDurable(ticket);   // a transaction that only read has nothing to store, and would wait for the gate
        }
        return result;
    }

    /**
     * How PostgreSQL plans a statement {@link #read} sends. The JDBC driver prepares a statement on
     * the server after its fifth run on a connection, and PostgreSQL may then plan it once for any
     * values, and skip planning from then on (0.5 ms of a look-up by key that runs in 0.2).
     */
    public enum Plan {
        /** Planned once for any values when PostgreSQL finds that plan as good: look-ups by key. */
        REUSED,
        /**
         * Planned for its own values on every run: pages and counts whose best plan depends on a
         * range, an offset or a limit. A plan made for any afterDate, offset and limit sorted every
         * match of an Opus 2 poll (50-900 ms a page instead of 2) on the connections that had switched to it.
         */
        EACH_RUN
    }

    /** Reads a statement's rows. */
    @FunctionalInterface
    public interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    /**
     * Told of each statement {@link #read} runs, which jOOQ's execute listeners do not see (tests
     * and benches count statements through both); what it returns is run when the statement is done.
     */
    @FunctionalInterface
    public interface PlainStatements {
        Runnable started(String sql, List<Object> binds);
    }

    private final List<PlainStatements> plainStatements = new CopyOnWriteArrayList<>();

    /** Adds a {@link PlainStatements} listener until the returned handle is closed. */
    public AutoCloseable watch(PlainStatements listener) {
        plainStatements.add(listener);
        return () -> plainStatements.remove(listener);
    }

    /**
     * Runs {@code sql} (with {@code ?} for each of {@code binds}, in order) over plain JDBC on this
     * thread's transaction's connection, or one of the pool's, and hands its rows to {@code rows}
     * ({@code what} names the reading in an error). For the few statements a page of a walk sends on
     * every page: jOOQ's plain-SQL path parses the
     * text for its placeholders, types every bind value and reads the result's metadata on each run,
     * a tenth of the server's time in a walk. A NUL character in a text bind is refused as jOOQ's
     * path refuses it.
     */
    public void read(Plan plan, String what, String sql, Object[] binds, Rows rows) {
        run(plan, what, sql, binds, statement -> {
            try (var rs = statement.executeQuery()) {
                rows.read(rs);
            }
        });
    }

    /** What {@link #run} does with its prepared statement, its parameters bound: execute it and read what it gives. */
    @FunctionalInterface
    private interface Execution {
        void execute(java.sql.PreparedStatement statement) throws SQLException;
    }

    /** Prepares {@code sql} on this thread's transaction's connection or a pooled one, binds {@code binds} and hands it to {@code execution}. */
    private void run(Plan plan, String what, String sql, Object[] binds, Execution execution) {
        var done = new ArrayList<Runnable>(plainStatements.size());
        for (var listener : plainStatements) {
            done.add(listener.started(sql, Arrays.asList(binds)));
        }
        boolean alone = false;   // a write on its own (auto-commit) that took the gate
        long ticket = 0;
        try {
            alone = gate != null && H2WriteGate.writes(sql) && enterGate() && current.get() == null;
            if (alone && durable != null) {
                ticket = durable.ticket();   // it commits as it runs
            }
            sql().connection(connection -> {
                try (var statement = connection.prepareStatement(sql)) {
                    if (plan == Plan.EACH_RUN && statement.isWrapperFor(org.postgresql.PGStatement.class)) {
                        // never prepared on the server: PostgreSQL plans an unnamed statement for its values
                        statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
                    }
                    for (int i = 0; i < binds.length; i++) {
                        statement.setObject(i + 1, binds[i]);
                    }
                    execution.execute(statement);
                } catch (SQLException e) {
                    if ("22021".equals(e.getSQLState())) {
                        throw Failure.invalid(NUL_REFUSED);
                    }
                    if ("22001".equals(e.getSQLState())) {
                        throw Failure.invalid(TOO_LONG_REFUSED);
                    }
                    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        throw new org.jooq.exception.IntegrityConstraintViolationException(what + ": " + e.getMessage(), e);
                    }
                    if (busy(e)) {
                        throw busyFailure(e);
                    }
                    throw new DataAccessException(what + ": " + e.getMessage(), e);
                }
            });
        } finally {
            if (alone) {
                gate.leave();
            }
            done.forEach(Runnable::run);
        }
        if (ticket > 0) {
            awaitDurable(ticket);   // it committed on its own (auto-commit)
        }
    }

    /** The embedded database's forced commits ({@link H2DurableCommits}); null on any other. For the tests of this package. */
    H2DurableCommits durableCommits() {
        return durable;
    }

    /**
     * Returns once every commit a read just made may have seen is durable. For a read that must not
     * hand out a write a crash could still undo: the change feed, whose positions a crash undid are
     * given again to the next changes, which a reader that saw the first ones would pass by. H2
     * shows a commit before it is forced to disk ({@link H2DurableCommits}); PostgreSQL shows none
     * before it is, so there this returns at once.
     */
    public void awaitCommitsDurable() {
        if (durable != null) {
            durable.awaitCommitted();
        }
    }

    /**
     * Waits until the commit that took {@code ticket} is on disk: the group commit of
     * {@link H2DurableCommits}, after giving the request's turn to compute back ({@link ComputeTurn}).
     */
    private void awaitDurable(long ticket) {
        if (!durable.isDurable(ticket)) {
            ComputeTurn.giveBackToWait();
            durable.awaitDurable(ticket);
        }
    }

    /** Takes {@link #gate} for this thread's write ({@link H2WriteGate#enter}); a wait that runs out is {@link #busyFailure}. */
    private boolean enterGate() {
        try {
            return gate.enter();
        } catch (SQLException e) {
            throw busyFailure(e);
        }
    }

    /**
     * Runs {@code statement} (an insert, update or delete without a result) as jOOQ rendered it the
     * first time for {@code shape}, over plain JDBC ({@link #read(Plan, String, String, Object[], Rows)}),
     * {@code binds} its parameters in their order in that text; returns how many rows it changed. For
     * the writes of every upload and attachment: jOOQ rendered each of them anew, 7% of the server's
     * CPU under 16 clients uploading and attaching files. A shape is as for
     * {@link #read(Plan, Object, Supplier, Object[], String, Rows)}; every value that is not a
     * constant of the statement must be a parameter of it, so that the text serves any values (a
     * statement rendered with another count of parameters than {@code binds} fails at once). A
     * refused constraint is thrown as jOOQ throws it.
     */
    public int execute(Object shape, Supplier<? extends org.jooq.Query> statement, Object[] binds, String what) {
        int[] changed = new int[1];
        run(Plan.REUSED, what, renderedOnce(shape, statement, binds, what), binds, prepared -> changed[0] = prepared.executeUpdate());
        return changed[0];
    }

    /** A statement's text with {@code ?} placeholders, and the names of its parameters in their order. */
    record Rendered(String sql, List<String> names) {
    }

    /** Statements rendered once per shape ({@link #read(Plan, Object, Supplier, Map, String, Rows)}), at most {@link #RENDERED_MAX} kept. */
    private final Map<Object, Rendered> rendered = new ConcurrentHashMap<>();
    private static final int RENDERED_MAX = 5_000;

    /**
     * Runs {@code query} as jOOQ rendered it the first time for {@code shape}, over plain JDBC
     * ({@link #read(Plan, String, String, Object[], Rows)}), its parameters named ({@code DSL.param(name,
     * type)}) and bound from {@code binds} by name; a parameter without a name, or one missing from
     * {@code binds}, fails at once. For the statements sent on every request of a hot path (a token's
     * look-up, a project's access, a page of a poll): rendering through jOOQ and reading its records
     * cost more CPU than the statement itself. A shape names its statement among all of this
     * database's (so its repository too) and everything that changes the text (the length of an IN
     * list, a column chosen or left out), never a value; it is hashed and compared on every call, so
     * keep it small.
     */
    public void read(Plan plan, Object shape, Supplier<? extends org.jooq.ResultQuery<?>> query, Map<String, ?> binds, String what,
                     Rows rows) {
        Supplier<Rendered> render = () -> positional(sql().renderNamedParams(query.get()));
        var statement = rendered(shape, render);
        var values = new Object[statement.names().size()];
        for (int i = 0; i < values.length; i++) {
            var name = statement.names().get(i);
            if (!binds.containsKey(name)) {
                throw new IllegalStateException(what + ": no value for the parameter :" + name);
            }
            values[i] = binds.get(name);
        }
        verify(shape, statement, render);   // after the values: building the query again must not be what gives them
        read(plan, what, statement.sql(), values, rows);
    }

    /**
     * {@link #read(Plan, Object, Supplier, Map, String, Rows)} for a query whose parameters are not named:
     * {@code binds} are its parameters in their order in the text jOOQ renders (tests that run it on
     * both databases check them).
     */
    public void read(Plan plan, Object shape, Supplier<? extends org.jooq.ResultQuery<?>> query, Object[] binds, String what, Rows rows) {
        read(plan, what, renderedOnce(shape, query, binds, what), binds, rows);
    }

    /** The text jOOQ renders for {@code query} the first time for {@code shape}, checked to have a parameter for each of {@code binds}. */
    private String renderedOnce(Object shape, Supplier<? extends org.jooq.Query> query, Object[] binds, String what) {
        Supplier<Rendered> render = () -> {
            var rendering = query.get();
            var text = sql().render(rendering);
            int parameters = sql().extractBindValues(rendering).size();
            if (parameters != binds.length) {
                throw new IllegalStateException(what + ": " + parameters + " parameters rendered for " + binds.length + " values: " + text);
            }
            return new Rendered(text, List.of());
        };
        var statement = rendered(shape, render);
        verify(shape, statement, render);
        return statement.sql();
    }

    /**
     * Set (the system property {@code dossier.sql.verify-shapes=true}, as the test suites set it):
     * a statement is rendered again each time it runs and must read as the text kept for its shape, so that a
     * shape that leaves out something that changes the text fails the first test that sends two
     * such statements, instead of sending one's text with the other's values.
     */
    private static final boolean VERIFY_SHAPES = Boolean.getBoolean("dossier.sql.verify-shapes");

    /** With {@link #VERIFY_SHAPES}: {@code statement}, kept for {@code shape}, must be what {@code render} makes of this statement. */
    private static void verify(Object shape, Rendered statement, Supplier<Rendered> render) {
        if (VERIFY_SHAPES) {
            var again = render.get();
            if (!again.equals(statement)) {
                throw new IllegalStateException("one shape, two statements: " + shape + "\n" + statement.sql() + "\n" + again.sql());
            }
        }
    }

    /** How many shapes have a statement rendered (for tests). */
    int renderedShapes() {
        return rendered.size();
    }

    private Rendered rendered(Object shape, Supplier<Rendered> render) {
        var statement = rendered.get(shape);
        if (statement == null) {
            if (rendered.size() >= RENDERED_MAX) {
                rendered.clear();
            }
            statement = render.get();
            rendered.put(shape, statement);
        }
        return statement;
    }

    /** {@code sql} with each {@code :name} outside quotes turned into {@code ?}, and those names in order. */
    static Rendered positional(String sql) {
        var out = new StringBuilder(sql.length());
        var names = new ArrayList<String>();
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                out.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                out.append(c);
            } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                out.append("::");
                i++;
            } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierPart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                var name = sql.substring(i + 1, end);
                if (Character.isDigit(name.charAt(0))) {
                    throw new IllegalStateException("a parameter without a name in " + sql);
                }
                names.add(name);
                out.append('?');
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return new Rendered(out.toString(), List.copyOf(names));
    }

    /**
     * Runs {@code reads} (each a statement or more that reads through this database) at the same
     * time, each on a pooled connection of its own, when this thread is not in a transaction and
     * the pool has a connection idle for each read beyond the first; one after another otherwise (a
     * transaction's reads share its connection). For reads a request sends together, such as the
     * collections of a page of records: the database answers them on several cores while this
     * thread reads the first one's rows. The first failure is thrown once all have ended.
     */
    public void together(List<Runnable> reads) {
        if (reads.size() < 2 || current.get() != null || idle() < reads.size() - 1) {
            reads.forEach(Runnable::run);
            return;
        }
        var others = new ArrayList<Future<?>>(reads.size() - 1);
        RuntimeException failed = null;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var read : reads.subList(1, reads.size())) {
                others.add(threads.submit(read));
            }
            try {
                reads.getFirst().run();
            } catch (RuntimeException e) {
                failed = e;
            }
            for (var other : others) {
                try {
                    other.get();
                } catch (ExecutionException e) {
                    if (failed == null) {
                        failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (failed == null) {
                        failed = new IllegalStateException("interrupted while reading", e);
                    }
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private int idle() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getIdleConnections();
    }

    /** Whether the database answers a trivial query now. */
    public boolean reachable() {
        try (var connection = pool.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
        if (durable != null) {
            durable.close();
        }
    }
}
