package io.dossier.store.sql;

/** The Deliveries contract on an H2 file database in a temporary folder. */
class DeliveriesH2Test extends DeliveriesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
