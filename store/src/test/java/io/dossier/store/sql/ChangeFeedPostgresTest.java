package io.dossier.store.sql;

/** The change feed contract on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class ChangeFeedPostgresTest extends ChangeFeedTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
