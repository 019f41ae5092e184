package io.dossier.store.sql;

/** {@link ValueRefusalsTest} on an H2 file database. */
class ValueRefusalsH2Test extends ValueRefusalsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
