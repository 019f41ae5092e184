package io.dossier.store.sql;

/** Full-text search on a new PostgreSQL database (tsvector + GIN; DOSSIER_TEST_POSTGRES, skipped without it). */
class FullTextSearchPostgresTest extends FullTextSearchTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
