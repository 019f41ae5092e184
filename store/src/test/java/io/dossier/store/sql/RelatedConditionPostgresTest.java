package io.dossier.store.sql;

/** {@link io.dossier.core.query.Condition.Related} on a new PostgreSQL database (DOSSIER_TEST_POSTGRES, skipped without it). */
class RelatedConditionPostgresTest extends RelatedConditionTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
