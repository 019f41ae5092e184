package io.dossier.store.sql;

/** The rate limit contract on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class RateLimitsPostgresTest extends RateLimitsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
