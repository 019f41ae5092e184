package io.dossier.store.sql;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration V13 (run by {@link Migrations}), in Java because its PostgreSQL half needs a statement H2 lacks ({@code setval}
 * with a value read from a table), while the migration files are shared by both databases.
 *
 * <p>Both: {@code change_log.writer_transaction}, the id of the transaction that wrote the change
 * (0 for every change written before, and for every change on H2, which keeps ordering its feed
 * by position under the tenant's counter lock). PostgreSQL only: the sequence {@code change_position}
 * that positions now come from, started after every position already taken, so that no new change
 * collides with an old one of its tenant; and the indexes the reader pages by, ordered
 * (writer_transaction, position), instead of the one ordered by position within a type. See
 * {@link SqlChangeRepository} and {@code ChangeFeed} for why. Every node of an installation must
 * run this version: an older node would still take positions as max + 1, which the sequence may
 * hand out again (the insert then fails on the primary key; nothing is lost silently).
 */
final class ChangeFeedWithoutLockMigration implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("13");
    }

    @Override
    public String getDescription() {
        return "change feed without lock";
    }

    @Override
    public Integer getChecksum() {
        return 13_001;   // change it when the statements change
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        boolean postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        try (var s = connection.createStatement()) {
            s.execute("ALTER TABLE change_log ADD COLUMN writer_transaction BIGINT DEFAULT 0 NOT NULL");
            if (postgres) {
                s.execute("CREATE SEQUENCE change_position");
                s.execute("SELECT setval('change_position', COALESCE((SELECT MAX(position) FROM change_log), 0) + 1, false)");
                s.execute("DROP INDEX change_log_type");
                s.execute("CREATE INDEX change_log_order ON change_log (tenant_id, writer_transaction, position)");
                s.execute("CREATE INDEX change_log_type_order ON change_log (tenant_id, entity_type, writer_transaction, position)");
            }
        }
    }
}
