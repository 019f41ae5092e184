package io.dossier.store.sql;

/** The outbox on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class MailOutboxPostgresTest extends MailOutboxTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
