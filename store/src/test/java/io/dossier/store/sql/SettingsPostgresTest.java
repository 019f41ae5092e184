package io.dossier.store.sql;

/** The settings contract on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class SettingsPostgresTest extends SettingsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
