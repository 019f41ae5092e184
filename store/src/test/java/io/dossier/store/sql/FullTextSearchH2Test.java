package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Full-text search on an H2 file database (its native full-text index). */
class FullTextSearchH2Test extends FullTextSearchTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    @Test
    void recordsAndTheIndexsWordsAndRowsAreNumberedAThousandAtATime() {
        var caches = db.sql().resultQuery("SELECT table_schema || '.' || table_name, identity_cache FROM information_schema.columns"
                + " WHERE is_identity = 'YES' AND table_name IN ('rec_searchable', 'words', 'rows')").fetchMap(0, 1);
        assertThat(caches).isEqualTo(Map.of("public.rec_searchable", (long) RecordTables.IDENTITY_CACHE,
                "ft.words", (long) RecordTables.IDENTITY_CACHE, "ft.rows", (long) RecordTables.IDENTITY_CACHE));
    }
}
