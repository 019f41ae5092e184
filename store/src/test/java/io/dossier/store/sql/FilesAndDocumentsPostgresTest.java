package io.dossier.store.sql;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The files and documents contract on a new database of the PostgreSQL server named by
 * {@code DOSSIER_TEST_POSTGRES} (a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). Without it every test is
 * aborted, so reported as skipped.
 */
class FilesAndDocumentsPostgresTest extends FilesAndDocumentsTest {

    static final String ENV = "DOSSIER_TEST_POSTGRES";

    private String adminUrl;
    private String database;

    @Override
    protected Database openDatabase() {
        adminUrl = System.getenv(ENV);
        Assumptions.assumeTrue(adminUrl != null && !adminUrl.isBlank(), ENV + " is not set: the PostgreSQL run is skipped");
        // the name is ours: lower-case letters, digits and underscores only
        database = "documents_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + database);
        return Database.open(new Database.Settings(withDatabase(adminUrl, database), "", "", 8));
    }

    @Override
    protected void removeDatabase() {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void execute(String statement) {
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
}
