package io.dossier.store.sql;

/** The FilesAndDocuments contract on a new PostgreSQL database (DOSSIER_TEST_POSTGRES; skipped without it). */
class FilesAndDocumentsPostgresTest extends FilesAndDocumentsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
