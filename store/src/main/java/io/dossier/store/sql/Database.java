package io.dossier.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The SQL database: a HikariCP pool, the migrations ({@link Migrations}), and a jOOQ context per thread that
 * repositories use. Inside {@link #inTransaction} every repository call on that thread joins the
 * same transaction.
 */
public final class Database implements Transactions, AutoCloseable {

    private final HikariDataSource pool;
    private final DSLContext base;
    private final ThreadLocal<DSLContext> current = new ThreadLocal<>();
    /** On embedded H2 only: forces each commit to disk before it is acknowledged (PostgreSQL does so itself). */
    private final H2DurableCommits durable;

    /** What a value with the NUL character is told: PostgreSQL cannot hold it in text (SQLSTATE 22021). */
    static final String NUL_REFUSED = "text must not contain the NUL character (U+0000)";

    public record Settings(String jdbcUrl, String user, String password, int maxPoolSize) {
    }

    private Database(HikariDataSource pool, SQLDialect dialect, H2DurableCommits durable) {
        this.pool = pool;
        this.durable = durable;
        var settings = new org.jooq.conf.Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withExecuteLogging(false);
        var configuration = DSL.using(pool, dialect, settings).configuration();
        if (durable != null) {
            // a write outside inTransaction commits on its own (auto-commit): make it durable before it returns
            configuration = configuration.derive(ExecuteListener.onExecuteEnd(ctx -> {
                if (current.get() == null && writes(ctx)) {
                    durable.awaitDurable();
                }
            }));
        }
        // PostgreSQL cannot hold the NUL character in text (SQLSTATE 22021); a value with one comes
        // from a request (an id, a name, a condition), so it is bad input, not a failure of ours.
        configuration = configuration.deriveAppending(ExecuteListener.onException(ctx -> {
            if (ctx.sqlException() != null && "22021".equals(ctx.sqlException().getSQLState())) {
                ctx.exception(Failure.invalid(NUL_REFUSED));
            }
        }));
        this.base = DSL.using(configuration);
    }

    /** Opens the pool and migrates the schema; fails with a message naming what is wrong. */
    public static Database open(Settings settings) {
        var dialect = dialectOf(settings.jdbcUrl());
        var config = new HikariConfig();
        config.setJdbcUrl(withH2Settings(settings.jdbcUrl()));
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("dossier");
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(10_000);
        var pool = new HikariDataSource(config);
        H2DurableCommits durable = null;
        try {
            Migrations.apply(pool);
            durable = H2DurableCommits.attach(config.getJdbcUrl(), settings.user(), settings.password()).orElse(null);
            return new Database(pool, dialect, durable);
        } catch (RuntimeException e) {
            if (durable != null) {
                durable.close();
            }
            pool.close();
            throw e;
        }
    }

    /** H2 as Dossier needs it: lower-case names as PostgreSQL folds them, lock waits as long as a busy node needs, no write delay. */
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
        // With a write delay H2 stores in the background and hands the bytes to other threads after
        // releasing its store lock, so a forced commit could find nothing left to store and fsync
        // before the bytes were written. Without one, every store is written under the lock.
        if (!upper.contains("WRITE_DELAY") && !upper.startsWith("JDBC:H2:MEM:")) {
            url += ";WRITE_DELAY=0";
        }
        return url;
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

    /** The jOOQ context of this thread's transaction, or of the pool when there is none. */
    public DSLContext sql() {
        var tx = current.get();
        return tx != null ? tx : base;
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
        var result = base.transactionResult(configuration -> {
            current.set(configuration.dsl());
            try {
                return work.get();
            } finally {
                current.remove();
            }
        });
        if (durable != null) {
            durable.awaitDurable();
        }
        return result;
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
