package io.dossier.store.sql;

/** The jobs contract on an H2 file database in a temporary folder. */
class JobsH2Test extends JobsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
