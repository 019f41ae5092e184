package io.dossier.store.sql;

/** The Deliveries contract on a new PostgreSQL database (DOSSIER_TEST_POSTGRES; skipped without it). */
class DeliveriesPostgresTest extends DeliveriesTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
