package io.dossier.store.sql;

/** The rate limit contract on an H2 file database in a temporary folder. */
class RateLimitsH2Test extends RateLimitsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
