package io.dossier.store.sql;

/** The settings contract on an H2 file database in a temporary folder. */
class SettingsH2Test extends SettingsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
