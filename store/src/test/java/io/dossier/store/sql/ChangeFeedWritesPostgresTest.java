package io.dossier.store.sql;

/** The change feed as the services write it, on a PostgreSQL database of its own (DOSSIER_TEST_POSTGRES). */
class ChangeFeedWritesPostgresTest extends ChangeFeedWritesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
