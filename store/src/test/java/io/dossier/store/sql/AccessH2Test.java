package io.dossier.store.sql;

/** The access contract on an H2 file database in a temporary folder. */
class AccessH2Test extends AccessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
