package io.dossier.store.sql;

/** The outbox on an H2 file database in a temporary folder. */
class MailOutboxH2Test extends MailOutboxTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
