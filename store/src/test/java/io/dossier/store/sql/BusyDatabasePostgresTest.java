package io.dossier.store.sql;

/** {@link BusyDatabaseTest} on PostgreSQL (skipped without DOSSIER_TEST_POSTGRES): a lock wait that runs out is {@code 55P03}. */
class BusyDatabasePostgresTest extends BusyDatabaseTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }

    @Override
    protected String shortLockWait() {
        return "SET LOCAL lock_timeout = '200ms'";
    }
}
