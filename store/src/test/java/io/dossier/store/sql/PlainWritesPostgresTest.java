package io.dossier.store.sql;

/** Writes rendered once per shape, on a PostgreSQL database of its own (DOSSIER_TEST_POSTGRES). */
class PlainWritesPostgresTest extends PlainWritesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
