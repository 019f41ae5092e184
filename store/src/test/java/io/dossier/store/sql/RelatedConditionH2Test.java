package io.dossier.store.sql;

/** {@link io.dossier.core.query.Condition.Related} on an H2 file database. */
class RelatedConditionH2Test extends RelatedConditionTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
