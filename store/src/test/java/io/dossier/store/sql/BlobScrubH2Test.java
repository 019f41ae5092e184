package io.dossier.store.sql;

/** The blob scrub on H2. */
class BlobScrubH2Test extends BlobScrubTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
