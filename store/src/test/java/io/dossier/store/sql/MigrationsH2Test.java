package io.dossier.store.sql;

/** The migrations on an H2 file database in a temporary folder. */
class MigrationsH2Test extends MigrationsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
