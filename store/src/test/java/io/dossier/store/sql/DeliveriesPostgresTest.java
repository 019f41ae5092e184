package io.dossier.store.sql;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The deliveries and tokens contract on a new database of the PostgreSQL server named by
 * {@code DOSSIER_TEST_POSTGRES}; without it every test is aborted, so reported as skipped.
 */
class DeliveriesPostgresTest extends DeliveriesTest {

    private String adminUrl;
    private String database;

    @Override
    protected Database openDatabase() {
        adminUrl = System.getenv(FilesAndDocumentsPostgresTest.ENV);
        Assumptions.assumeTrue(adminUrl != null && !adminUrl.isBlank(),
                FilesAndDocumentsPostgresTest.ENV + " is not set: the PostgreSQL run is skipped");
        // the name is ours: lower-case letters, digits and underscores only
        database = "deliveries_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + database);
        return Database.open(new Database.Settings(FilesAndDocumentsPostgresTest.withDatabase(adminUrl, database), "", "", 8));
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
}
