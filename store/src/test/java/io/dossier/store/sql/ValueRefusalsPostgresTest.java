package io.dossier.store.sql;

/** {@link ValueRefusalsTest} on PostgreSQL (skipped without DOSSIER_TEST_POSTGRES). */
class ValueRefusalsPostgresTest extends ValueRefusalsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
