package io.dossier.store.sql;

/** The runtime metadata contract on an H2 file database in a temporary folder. */
class MetadataH2Test extends MetadataTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
