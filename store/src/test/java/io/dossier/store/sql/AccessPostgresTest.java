package io.dossier.store.sql;

/** The access contract on an new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class AccessPostgresTest extends AccessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
