package io.dossier.store.sql;

/** Session attributes on an H2 file database in a temporary folder. */
class SessionAttributesH2Test extends SessionAttributesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
