package io.dossier.store.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import javax.sql.DataSource;
import org.jooq.exception.DataAccessException;

/**
 * H2: tells the planner that a table's {@code tenant_id} tells few rows apart.
 *
 * <p>H2 weighs an index by the selectivity it keeps per column: 50 (of 100) until {@code ANALYZE}
 * has sampled the table, which H2 does by itself only after 2,000 changed rows. At 50 a look-up
 * such as {@code WHERE tenant_id = ? AND id = ?} looked cheaper through the index on
 * {@code tenant_id} than through the primary key, so on a young table H2 planned it as a walk
 * over every row of the tenant; and each connection keeps that plan with the parsed command. In
 * {@code bench/files.sh}'s small-file run, the document's version and tally rows (each an
 * {@code INSERT … SELECT} of the document by tenant and id) took 16% of the server's CPU that way,
 * more with every document added. A database holds few tenants, so {@code tenant_id} starts at
 * selectivity 1, as {@code ANALYZE} would find it; a later {@code ANALYZE} replaces that with what
 * it measures. The setting is kept in the database, so {@link #markFew} (10-40 ms, reading the
 * catalog) runs only where tables may have been made: after the migrations ran, once on a database
 * none marked yet ({@link #afterMigrations}), and after record tables' DDL. It touches only columns
 * still at H2's default. PostgreSQL measures its own statistics.
 */
final class H2TenantColumns {

    /** H2's selectivity of a column never analyzed. */
    private static final int UNMEASURED = 50;

    /** The {@link SchemaFingerprints} part that says the tables of the migrations were marked. */
    static final String PART = "h2 tenant columns";

    private H2TenantColumns() {
    }

    /** Marks the tables when the migrations just ran or none were ever marked; otherwise a start reads one row. */
    static void afterMigrations(DataSource dataSource, boolean migrated) {
        if (migrated || SchemaFingerprints.recorded(dataSource, PART) == null) {
            markFew(dataSource);
            SchemaFingerprints.record(dataSource, PART, "selectivity 1");
        }
    }

    /** Sets selectivity 1 on every {@code tenant_id} column of the current schema still at H2's default; returns how many. */
    static int markFew(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            var tables = new ArrayList<String>();
            try (var find = connection.prepareStatement("SELECT table_name FROM information_schema.columns"
                    + " WHERE table_schema = CURRENT_SCHEMA AND column_name = 'tenant_id' AND selectivity = ?")) {
                find.setInt(1, UNMEASURED);
                try (var rows = find.executeQuery()) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
            }
            try (var alter = connection.createStatement()) {
                for (var table : tables) {
                    alter.execute("ALTER TABLE \"" + table.replace("\"", "\"\"") + "\" ALTER COLUMN tenant_id SELECTIVITY 1");
                }
            }
            return tables.size();
        } catch (SQLException e) {
            throw new DataAccessException("marking tenant columns as few for H2's planner", e);
        }
    }
}
