package io.dossier.store.sql;

/** The change feed as the services write it, on an H2 file database in a temporary folder. */
class ChangeFeedWritesH2Test extends ChangeFeedWritesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
