package io.dossier.store.sql;

import static io.dossier.store.sql.SqlRecordRepositoryTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * H2's full-text indexes built after their rows ({@link SqlRecordRepository#buildFullText}), and
 * what a later start does with what a build left: nothing when it ended, all again when it did not.
 */
class H2FullTextBuildTest {

    private static final List<io.dossier.core.schema.RecordType> TYPES = List.of(FullTextSearchTest.PERSON);
    private static final Set<String> TABLES = Set.of("rec_searchable", "rec_searchable_text", "rec_searchable__emails");

    private static void add(SqlRecordRepository records, String uid, String name) {
        records.insert(1, FullTextSearchTest.PERSON, new RecordRow(uid, values("name", name, "email", uid + "@example.nl", "city", "Utrecht"),
                Map.of("en", values("headline", "Developer " + name)), Map.of()));
    }

    /** A start on {@code db} that adds one person, Jan Jansen (uid a), after it prepared its tables. */
    private static SqlRecordRepository startedWithJan(Database db, boolean fullTextLater) {
        var records = new SqlRecordRepository(db);
        records.prepare(TYPES, fullTextLater);
        add(records, "a", "Jan Jansen");
        return records;
    }

    private static List<String> search(SqlRecordRepository records, String word) {
        var page = records.search(1, FullTextSearchTest.PERSON, new Query(new Condition.Matches(List.of("name"), List.of(word), true),
                List.of(new SortKey("uid", false)), Set.of("uid"), new Page(0, 50, true), null));
        var uids = new ArrayList<String>();
        page.rows().forEach(r -> uids.add(r.uid()));
        return uids;
    }

    private static long firstRow(Database db) {
        return db.sql().resultQuery("SELECT MIN(id) FROM ft.rows").fetchSingle(0, Long.class);
    }

    /** The first number the index of {@code table} gave a row: a build gives new ones. */
    private static long firstRow(Database db, String table) {
        return db.sql().resultQuery("SELECT MIN(r.id) FROM ft.rows r JOIN ft.indexes i ON i.id = r.indexid WHERE i.\"table\" = {0}", table)
                .fetchSingle(0, Long.class);
    }

    @Test
    void anIndexBuiltAfterItsRowsFindsThemAndTheRowsAddedLater() {
        try (var test = TestDatabase.h2()) {
            var db = test.database();
            var records = startedWithJan(db, true);
            assertThat(search(records, "jansen")).containsExactly("a");
            assertThat(H2FullText.existing(db.sql())).isEmpty();

            records.buildFullText();
            assertThat(H2FullText.existing(db.sql())).containsOnlyKeys(TABLES);
            assertThat(H2FullText.recordIds(db.sql(), "jansen", Set.of("rec_searchable"))).hasSize(1);
            add(records, "b", "Piet Jansen");
            assertThat(H2FullText.recordIds(db.sql(), "jansen", Set.of("rec_searchable"))).hasSize(2);
            assertThat(search(records, "jansen")).containsExactly("a", "b");
            assertThat(SchemaFingerprints.recorded(db.dataSource(), H2FullText.PART)).isEqualTo(H2FullText.BUILT);
        }
    }

    @Test
    void aStartAfterABuildThatEndedBuildsNothing() {
        try (var test = TestDatabase.h2()) {
            var db = test.database();
            var first = startedWithJan(db, true);
            first.buildFullText();
            long firstRow = firstRow(db);

            new SqlRecordRepository(db).prepare(TYPES, false);
            assertThat(firstRow(db)).as("the rows indexed before, not again").isEqualTo(firstRow);
        }
    }

    @Test
    void aStartAfterABuildCutOffBuildsEveryIndexAgain() {
        try (var test = TestDatabase.h2()) {
            var db = test.database();
            var first = startedWithJan(db, true);
            // cut off as a crash would: every index made, but the words of the rows there lost (FT_CREATE_INDEX
            // commits its trigger before it indexes the rows), and the end of the build never recorded
            H2FullText.record(db, H2FullText.BUILDING);
            db.run(() -> {
                H2FullText.init(db.sql());
                H2FullText.build(db.sql(), "rec_searchable", "f_name,f_email", false);
                H2FullText.build(db.sql(), "rec_searchable_text", "f_headline", false);
                H2FullText.build(db.sql(), "rec_searchable__emails", "f_email", false);
            });
            db.sql().execute("DELETE FROM ft.map");
            assertThat(H2FullText.existing(db.sql())).containsOnlyKeys(TABLES);
            assertThat(H2FullText.recordIds(db.sql(), "jansen", Set.of("rec_searchable"))).isEmpty();

            var next = new SqlRecordRepository(db);
            next.prepare(TYPES, false);
            assertThat(H2FullText.existing(db.sql())).containsOnlyKeys(TABLES);
            assertThat(H2FullText.recordIds(db.sql(), "jansen", Set.of("rec_searchable"))).hasSize(1);
            assertThat(search(next, "jansen")).containsExactly("a");
            assertThat(SchemaFingerprints.recorded(db.dataSource(), H2FullText.PART)).isEqualTo(H2FullText.BUILT);
        }
    }

    @Test
    void aDefinitionThatSearchesOtherColumnsHasOnlyItsTableIndexedAgain() {
        try (var test = TestDatabase.h2()) {
            var db = test.database();
            var first = startedWithJan(db, false);
            long textRow = firstRow(db, "rec_searchable_text");
            assertThat(H2FullText.recordIds(db.sql(), "utrecht", Set.of("rec_searchable"))).isEmpty();

            var citySearchable = io.dossier.core.schema.DefinitionParser.parse("searchable.def",
                    FullTextSearchTest.DEFINITION.replace("city           string     LFSUI\n", "city           string     LFSUIX\n"));
            new SqlRecordRepository(db).prepare(List.of(citySearchable), false);
            assertThat(H2FullText.existing(db.sql())).containsEntry("rec_searchable", "f_name,f_email,f_city");
            assertThat(H2FullText.recordIds(db.sql(), "utrecht", Set.of("rec_searchable"))).hasSize(1);
            assertThat(firstRow(db, "rec_searchable_text")).as("the other tables' rows, not indexed again").isEqualTo(textRow);
        }
    }

    @Test
    void indexesMadeBeforeTheirBuildWasRecordedAreKept() {
        try (var test = TestDatabase.h2()) {
            var db = test.database();
            var first = startedWithJan(db, false);
            long firstRow = firstRow(db);
            // as a database of a version that built them at open and kept no record of it
            db.sql().execute("DELETE FROM " + SchemaFingerprints.TABLE + " WHERE part = '" + H2FullText.PART + "'");

            new SqlRecordRepository(db).prepare(TYPES, false);
            assertThat(firstRow(db)).isEqualTo(firstRow);
        }
    }
}
