package io.dossier.store.sql;

/** Full-text search on an H2 file database (its native full-text index). */
class FullTextSearchH2Test extends FullTextSearchTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
