package io.dossier.store.sql;

/** Projects on an H2 file database in a temporary folder. */
class ProjectsH2Test extends ProjectsTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
