package io.dossier.store.sql;

/** The runtime metadata contract on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class MetadataPostgresTest extends MetadataTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
