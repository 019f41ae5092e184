package io.dossier.store.sql;

/** Projects on a new PostgreSQL database (skipped without DOSSIER_TEST_POSTGRES). */
class ProjectsPostgresTest extends ProjectsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
