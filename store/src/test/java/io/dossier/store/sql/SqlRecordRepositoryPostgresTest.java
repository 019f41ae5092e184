package io.dossier.store.sql;

/** The SqlRecordRepository contract on a new PostgreSQL database (DOSSIER_TEST_POSTGRES; skipped without it). */
class SqlRecordRepositoryPostgresTest extends SqlRecordRepositoryTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
