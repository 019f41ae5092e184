package io.dossier.store.sql;

/** {@link BusyDatabaseTest} on an H2 file database: a lock wait that runs out is H2's {@code HYT00}. */
class BusyDatabaseH2Test extends BusyDatabaseTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    @Override
    protected String shortLockWait() {
        return "SET LOCK_TIMEOUT 200";
    }
}
