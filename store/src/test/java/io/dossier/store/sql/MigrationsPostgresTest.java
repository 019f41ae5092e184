package io.dossier.store.sql;

/** The migrations on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class MigrationsPostgresTest extends MigrationsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
