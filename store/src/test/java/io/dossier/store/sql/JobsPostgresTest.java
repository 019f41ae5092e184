package io.dossier.store.sql;

/** The jobs contract on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class JobsPostgresTest extends JobsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
