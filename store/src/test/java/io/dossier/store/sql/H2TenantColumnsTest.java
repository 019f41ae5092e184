package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a young H2 database a look-up by tenant and id goes through the primary key, not through the
 * index on {@code tenant_id} ({@link H2TenantColumns}): that way H2 walked every document of the
 * tenant for each version and tally row an upload wrote.
 */
class H2TenantColumnsTest {

    @Test
    void aDocumentLookedUpByTenantAndIdUsesThePrimaryKey() throws SQLException {
        try (var test = TestDatabase.h2()) {
            assertThat(plan(test, "SELECT id FROM document WHERE tenant_id = ? AND id = ?")).contains("PRIMARY_KEY");
            assertThat(plan(test, "SELECT version FROM document_version WHERE document_id = ?")).doesNotContain("tableScan");
        }
    }

    @Test
    void recordTablesMadeLaterAreMarkedToo() throws SQLException {
        try (var test = TestDatabase.h2()) {
            new SqlRecordRepository(test.database()).prepare(List.of(SqlRecordRepositoryTest.CANDIDATE));
            assertThat(unmeasured(test)).isEmpty();
            assertThat(plan(test, "SELECT uid FROM rec_candidate WHERE tenant_id = ? AND id = ?")).contains("PRIMARY_KEY");
        }
    }

    @Test
    void whatAnalyzeMeasuresIsKeptAtTheNextStart() throws SQLException {
        try (var test = TestDatabase.h2()) {
            try (var connection = test.database().dataSource().getConnection(); var statement = connection.createStatement()) {
                statement.execute("ALTER TABLE document ALTER COLUMN tenant_id SELECTIVITY 7");
            }
            assertThat(H2TenantColumns.markFew(test.database().dataSource())).isZero();
            try (var connection = test.database().dataSource().getConnection(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT selectivity FROM information_schema.columns"
                         + " WHERE table_name = 'document' AND column_name = 'tenant_id'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void aStartReadsTheCatalogOnlyForADatabaseNeverMarked() throws SQLException {
        try (var test = TestDatabase.h2()) {
            var dataSource = test.database().dataSource();
            execute(test, "ALTER TABLE document ALTER COLUMN tenant_id SELECTIVITY 50");
            H2TenantColumns.afterMigrations(dataSource, false);
            assertThat(unmeasured(test)).containsExactly("document");   // marked before: a restart leaves the catalog alone

            execute(test, "DELETE FROM " + SchemaFingerprints.TABLE + " WHERE part = '" + H2TenantColumns.PART + "'");
            H2TenantColumns.afterMigrations(dataSource, false);
            assertThat(unmeasured(test)).isEmpty();   // a database an older build made is marked once

            execute(test, "ALTER TABLE document ALTER COLUMN tenant_id SELECTIVITY 50");
            H2TenantColumns.afterMigrations(dataSource, true);
            assertThat(unmeasured(test)).isEmpty();   // migrations that ran may have made tables
        }
    }

    private static void execute(TestDatabase test, String sql) throws SQLException {
        try (var connection = test.database().dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String plan(TestDatabase test, String select) throws SQLException {
        try (var connection = test.database().dataSource().getConnection(); var explain = connection.prepareStatement("EXPLAIN " + select)) {
            for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
                explain.setLong(i, i);
            }
            try (var rows = explain.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    private static List<String> unmeasured(TestDatabase test) throws SQLException {
        var tables = new ArrayList<String>();
        try (var connection = test.database().dataSource().getConnection(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT table_name FROM information_schema.columns"
                     + " WHERE table_schema = CURRENT_SCHEMA AND column_name = 'tenant_id' AND selectivity = 50")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
