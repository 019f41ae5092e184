package io.dossier.store.sql;

/** The change feed contract on an H2 file database in a temporary folder. */
class ChangeFeedH2Test extends ChangeFeedTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
