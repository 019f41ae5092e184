package io.dossier.store.sql;

/** The SqlRecordRepository contract on an H2 file database in a temporary folder. */
class SqlRecordRepositoryH2Test extends SqlRecordRepositoryTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
