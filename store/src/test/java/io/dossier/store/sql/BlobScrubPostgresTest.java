package io.dossier.store.sql;

/** The blob scrub on Postgres. */
class BlobScrubPostgresTest extends BlobScrubTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
