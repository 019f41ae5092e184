package io.dossier.store.sql;

/** Session attributes on a new PostgreSQL database (DOSSIER_TEST_POSTGRES; skipped without it). */
class SessionAttributesPostgresTest extends SessionAttributesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
