package io.dossier.store.sql;

/** Writes rendered once per shape, on an H2 file database in a temporary folder. */
class PlainWritesH2Test extends PlainWritesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
