package io.dossier.store.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database for one store test class: an H2 file database in a temporary folder, or a new
 * database on the PostgreSQL server named by {@code DOSSIER_TEST_POSTGRES} (a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). Without that variable the
 * PostgreSQL tests are aborted, so reported as skipped. Closing removes the database.
 */
final class TestDatabase implements AutoCloseable {

    static final String ENV = "DOSSIER_TEST_POSTGRES";

    private final Database database;
    private final String url;
    private final Runnable remove;

    private TestDatabase(Database database, String url, Runnable remove) {
        this.database = database;
        this.url = url;
        this.remove = remove;
    }

    /** What a piece of work returned and how many statements it sent on its thread. */
    record Counted<T>(T result, int statements) {
    }

    /** What {@code work} returns and how many statements it issued on this thread, through jOOQ or around it ({@link Database#read}). */
    <T> Counted<T> statements(java.util.function.Supplier<T> work) {
        var configuration = database.sql().configuration();
        var saved = configuration.executeListenerProviders();
        var thread = Thread.currentThread();
        var count = new java.util.concurrent.atomic.AtomicInteger();
        var with = java.util.Arrays.copyOf(saved, saved.length + 1);
        with[saved.length] = new org.jooq.impl.DefaultExecuteListenerProvider(new org.jooq.impl.DefaultExecuteListener() {
            @Override
            public void executeStart(org.jooq.ExecuteContext ctx) {
                if (Thread.currentThread() == thread) {
                    count.incrementAndGet();
                }
            }
        });
        configuration.set(with);
        try (var plain = database.watch((sql, binds) -> {
            if (Thread.currentThread() == thread) {
                count.incrementAndGet();
            }
            return () -> { };
        })) {
            return new Counted<>(work.get(), count.get());
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            configuration.set(saved);
        }
    }

    static TestDatabase h2() {
        try {
            var folder = Files.createTempDirectory("dossier-store-db-");
            var url = "jdbc:h2:file:" + folder.resolve("db");
            return new TestDatabase(Database.open(new Database.Settings(url, "sa", "", 8)), url, () -> delete(folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A setting of a new embedded database as H2 reports it ({@code information_schema.settings}). */
    static int h2Setting(String name) throws java.sql.SQLException {
        try (var test = h2(); var connection = test.database().dataSource().getConnection();
             var statement = connection.prepareStatement("SELECT setting_value FROM information_schema.settings WHERE setting_name = ?")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                org.assertj.core.api.Assertions.assertThat(rows.next()).as("H2 reports " + name).isTrue();
                return rows.getInt(1);
            }
        }
    }

    static TestDatabase postgres() {
        var adminUrl = System.getenv(ENV);
        Assumptions.assumeTrue(adminUrl != null && !adminUrl.isBlank(), ENV + " is not set: the PostgreSQL run is skipped");
        // the name is ours: lower-case letters, digits and underscores only
        var name = "store_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(adminUrl, "CREATE DATABASE " + name);
        var url = withDatabase(adminUrl, name);
        return new TestDatabase(Database.open(new Database.Settings(url, "", "", 8)), url,
                () -> execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    Database database() {
        return database;
    }

    /** The JDBC URL of this database (for a connection of its own, outside the pool). */
    String url() {
        return url;
    }

    /** The change feed over this database, as the server builds it, with tombstones kept 30 days by {@code clock}. */
    io.dossier.core.change.ChangeFeed changeFeed(java.time.Clock clock) {
        return new io.dossier.core.change.ChangeFeed(new SqlChangeRepository(database), database,
                new io.dossier.core.paging.Cursor(new SqlCursorKey(database)), clock, java.time.Duration.ofDays(30));
    }

    /**
     * Waits until every transaction running now, on the whole server, has ended: on PostgreSQL the
     * change feed shows a change only once every transaction older than its own has ended (see
     * ChangeFeed), and other test runs may share the server, so a test that reads back what it
     * just wrote calls this first. Nothing to wait for on H2, whose feed shows a change at commit.
     */
    void settle() {
        if (database.dialect().family() != org.jooq.SQLDialect.POSTGRES) {
            return;
        }
        var sql = database.sql();
        var xmax = org.jooq.impl.DSL.field("CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint)", Long.class);
        long next = sql.fetchValue(xmax);
        while (sql.fetchValue(SqlChangeRepository.HORIZON) < next) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for transactions to end", e);
            }
        }
    }

    @Override
    public void close() {
        database.close();
        remove.run();
    }

    private static void execute(String adminUrl, String statement) {
        try (var connection = DriverManager.getConnection(adminUrl); var s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("on " + adminUrl + ": " + statement + ": " + e.getMessage(), e);
        }
    }

    /** Swaps the database of a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String url, String database) {
        var query = url.indexOf('?');
        var base = query < 0 ? url : url.substring(0, query);
        var params = query < 0 ? "" : url.substring(query);
        var slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + params;
    }

    private static void delete(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
