package io.dossier.store.sql;

/** The FilesAndDocuments contract on an H2 file database in a temporary folder. */
class FilesAndDocumentsH2Test extends FilesAndDocumentsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
