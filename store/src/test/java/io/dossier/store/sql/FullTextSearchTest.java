package io.dossier.store.sql;

import static io.dossier.store.sql.SqlRecordRepositoryTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordChanges;
import io.dossier.core.record.RecordRow;
import io.dossier.core.schema.DefinitionParser;
import io.dossier.core.schema.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Full-text search ({@link Condition.Matches}) in {@link SqlRecordRepository}, once per database:
 * PostgreSQL from generated tsvector columns with GIN indexes, H2 from its native full-text index.
 * Both give the same answers for words, phrases, fields, languages, collection items and tenants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FullTextSearchTest {

    static final String DEFINITION = """
            record   test.Searchable
            storage  Searchable
            fields
            uid            string     LFSB
            name           string     LFSUIX
            email          string     LFSUIX
            city           string     LFSUI
            headline       string     LUITX
            entryDate      date       LFS
            Emails         collection LUID
              email        string     LFUIX
            """;
    static final RecordType PERSON = DefinitionParser.parse("searchable.def", DEFINITION);

    Database db;
    SqlRecordRepository records;
    private TestDatabase testDatabase;
    private final AtomicLong tenants = new AtomicLong();

    protected abstract TestDatabase newDatabase();

    /** Whether the suite runs before H2's full-text indexes are built ({@link SqlRecordRepository#prepare(List, boolean)}). */
    protected boolean fullTextLater() {
        return false;
    }

    @BeforeEach
    void open() {
        if (db == null) {
            testDatabase = newDatabase();
            db = testDatabase.database();
            records = new SqlRecordRepository(db);
            records.prepare(List.of(PERSON), fullTextLater());
        }
    }

    @AfterAll
    void close() {
        if (db != null) {
            testDatabase.close();
        }
    }

    long tenant() {
        return tenants.incrementAndGet();
    }

    void add(long tenant, String uid, String name, String email, String headlineEn, String... otherEmails) {
        var items = new java.util.LinkedHashMap<String, Map<String, Object>>();
        for (int i = 0; i < otherEmails.length; i++) {
            items.put(Integer.toString(i + 1), values("email", otherEmails[i]));
        }
        records.insert(tenant, PERSON, new RecordRow(uid, values("name", name, "email", email, "city", "Utrecht"),
                headlineEn == null ? Map.of() : Map.of("en", values("headline", headlineEn)), Map.of("Emails", items)));
    }

    List<String> search(long tenant, Condition condition, String language) {
        var page = records.search(tenant, PERSON, new Query(condition, List.of(SortKey.relevance(), new SortKey("uid", false)),
                Set.of("uid"), new Page(0, 50, true), language));
        var uids = new ArrayList<String>();
        page.rows().forEach(r -> uids.add(r.uid()));
        assertThat(page.total()).isEqualTo(uids.size());
        return uids;
    }

    static Condition.Matches match(List<String> paths, boolean all, String... terms) {
        return new Condition.Matches(paths, List.of(terms), all);
    }

    @Test
    void aRankedPageCountsEveryMatchWhetherItHoldsSomeOrNone() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", null);
        add(t, "b", "Jan de Vries", "vries@example.nl", null);
        add(t, "c", "Jan Bakker", "bakker@example.nl", null);
        add(t, "d", "Piet Smit", "smit@example.nl", null);
        var jan = match(List.of("name"), false, "jan");
        for (var page : List.of(new Page(0, 1, true), new Page(2, 1, true), new Page(3, 5, true), new Page(10, 5, true))) {
            var answer = records.search(t, PERSON, new Query(jan, List.of(SortKey.relevance(), new SortKey("uid", false)), Set.of("uid"), page, null));
            assertThat(answer.total()).as("total at %s", page).isEqualTo(3);
            assertThat(answer.rows()).hasSize(Math.max(0, Math.min(page.limit(), 3 - page.offset())));
        }
        var none = records.search(t, PERSON, new Query(match(List.of("name"), false, "klaas"), List.of(SortKey.relevance()), Set.of("uid"),
                new Page(0, 5, true), null));
        assertThat(none.total()).isZero();
        assertThat(none.rows()).isEmpty();
    }

    @Test
    void findsWordsInAnyCaseAsWholeWords() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", null);
        add(t, "b", "Piet Janssen", "piet@example.nl", null);
        add(t, "c", "Janneke de Vries", "janneke@example.nl", null);

        assertThat(search(t, match(List.of("name"), true, "JANSEN"), null)).containsExactly("a");
        assertThat(search(t, match(List.of("name"), true, "jan"), null)).containsExactly("a");
        assertThat(search(t, match(List.of("name"), true, "vries"), null)).containsExactly("c");
        assertThat(search(t, match(List.of("name"), true, "nobody"), null)).isEmpty();
    }

    @Test
    void allTermsOrAnyTerm() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "a@example.nl", null);
        add(t, "b", "Jan de Boer", "b@example.nl", null);
        add(t, "c", "Kees Jansen", "c@example.nl", null);

        assertThat(search(t, match(List.of("name"), true, "jan", "jansen"), null)).containsExactly("a");
        // one: a holds both terms, so it ranks first
        assertThat(search(t, match(List.of("name"), false, "jan", "jansen"), null)).containsExactly("a", "b", "c");
    }

    @Test
    void aPhraseIsItsWordsInOrder() {
        var t = tenant();
        add(t, "a", "Anna Maria Smit", "a@example.nl", null);
        add(t, "b", "Maria Anna Smit", "b@example.nl", null);

        assertThat(search(t, match(List.of("name"), true, "anna maria"), null)).containsExactly("a");
        assertThat(search(t, match(List.of("name"), true, "Maria   Anna"), null)).containsExactly("b");
    }

    @Test
    void anEmailAddressMatchesExactlyAndOnlyInTheFieldsAsked() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", null);
        add(t, "b", "Anjan Smit", "anjan@example.nl", null);
        add(t, "c", "jan@example.nl", "c@example.nl", null); // the address, but in the name
        add(t, "d", "Dirk Dekker", "d@example.nl", null, "old@example.com", "JAN@example.nl");

        assertThat(search(t, match(List.of("email", "Emails.email"), true, "jan@example.nl"), null)).containsExactly("a", "d");
        assertThat(search(t, match(List.of("email"), true, "jan@example.nl"), null)).containsExactly("a");
        assertThat(search(t, match(List.of("Emails.email"), true, "old@example.com"), null)).containsExactly("d");
    }

    @Test
    void translatedFieldsAreSearchedInTheQuerysLanguage() {
        var t = tenant();
        add(t, "a", "Anna", "a@example.nl", "Senior software developer");
        records.update(t, PERSON, "a", new RecordChanges(Map.of(), "nl", values("headline", "Ervaren ontwikkelaar"), Map.of()));
        add(t, "b", "Bert", "b@example.nl", "Warehouse worker");

        assertThat(search(t, match(List.of("headline"), true, "developer"), "en")).containsExactly("a");
        assertThat(search(t, match(List.of("headline"), true, "developer"), "nl")).isEmpty();
        assertThat(search(t, match(List.of("headline"), true, "ontwikkelaar"), "nl")).containsExactly("a");
    }

    @Test
    void moreMatchesRankFirst() {
        var t = tenant();
        add(t, "a", "Kees Bakker", "kees@example.nl", "Baker");
        add(t, "b", "Bakker Bakker", "bakker@example.nl", "Bakker and bakker");
        add(t, "c", "Kees Bakker", "x@example.nl", "Bakker wanted");

        var ranked = search(t, match(List.of("name", "headline", "email"), false, "bakker"), "en");
        assertThat(ranked).hasSize(3);
        assertThat(ranked.getFirst()).isEqualTo("b");
        assertThat(ranked.getLast()).isEqualTo("a");
    }

    @Test
    void theIndexFollowsUpdatesAndDeletes() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", null, "first@example.nl");
        records.update(t, PERSON, "a", new RecordChanges(values("name", "Johan Jansen"), null, Map.of(),
                Map.of("Emails", new RecordChanges.CollectionChanges(Map.of("1", values("email", "second@example.nl")), Set.of()))));

        assertThat(search(t, match(List.of("name"), true, "jan"), null)).isEmpty();
        assertThat(search(t, match(List.of("name"), true, "johan"), null)).containsExactly("a");
        assertThat(search(t, match(List.of("Emails.email"), true, "first@example.nl"), null)).isEmpty();
        assertThat(search(t, match(List.of("Emails.email"), true, "second@example.nl"), null)).containsExactly("a");

        records.delete(t, PERSON, "a");
        assertThat(search(t, match(List.of("name"), true, "johan"), null)).isEmpty();
    }

    @Test
    void anotherTenantsRecordsAreNeverFound() {
        var mine = tenant();
        var theirs = tenant();
        add(mine, "a", "Jan Jansen", "jan@example.nl", "Developer");
        add(theirs, "b", "Jan Jansen", "jan@example.nl", "Developer", "jan@example.nl");

        assertThat(search(mine, match(List.of("name", "email", "headline", "Emails.email"), false, "jan", "jan@example.nl", "developer"), "en"))
                .containsExactly("a");
        assertThat(search(tenant(), match(List.of("name"), true, "jan"), null)).isEmpty();
    }

    @Test
    void combinesWithOtherConditions() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", null);
        add(t, "b", "Jan de Boer", "", null);
        var hasEmail = new Condition.And(List.of(new Condition.Compare("email", Condition.Op.NE, null),
                new Condition.Compare("email", Condition.Op.NE, "")));

        assertThat(search(t, new Condition.And(List.of(hasEmail, match(List.of("name"), true, "jan"))), null)).containsExactly("a");
        assertThat(search(t, new Condition.Not(match(List.of("name"), true, "jansen")), null)).containsExactly("b");
    }

    @Test
    void searchesUseTheFullTextIndex() throws Exception {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", "Developer");
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            // a search over two fields can be answered from their GIN indexes alone
            var plan = new ArrayList<String>();
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                s.execute("INSERT INTO rec_searchable (tenant_id, uid, f_name, f_email) SELECT " + tenant()
                        + ", 'filler' || g, 'Filler ' || g, 'filler' || g || '@example.nl' FROM generate_series(1, 5000) g");
                s.execute("ANALYZE rec_searchable");
                s.execute("SET enable_seqscan = off"); // a table this small is cheaper to scan; the index must be usable
                try (var rs = s.executeQuery("EXPLAIN SELECT id FROM rec_searchable r"
                        + " WHERE r.fts_name @@ phraseto_tsquery('simple', 'jansen') OR r.fts_email @@ phraseto_tsquery('simple', 'jansen')")) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            assertThat(String.join("\n", plan)).contains("ix_rec_searchable_fts_name").contains("ix_rec_searchable_fts_email");
            assertThat(columnsOf("rec_searchable")).contains("fts_name", "fts_email").doesNotContain("fts_city");
            // no pending list: every search reads the index itself
            assertThat(db.sql().resultQuery("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'ix_rec_searchable_fts_name'")
                    .fetchSingle(0, String.class)).isEqualTo("fastupdate=off");
            assertThat(columnsOf("rec_searchable_text")).contains("fts_headline");
            assertThat(columnsOf("rec_searchable__emails")).contains("fts_email");
        } else {
            var indexed = db.sql().resultQuery("SELECT \"table\", \"columns\" FROM ft.indexes ORDER BY \"table\"").fetchMap(r -> r.get(0, String.class), r -> r.get(1, String.class));
            assertThat(indexed).containsEntry("rec_searchable", "f_name,f_email")
                    .containsEntry("rec_searchable_text", "f_headline")
                    .containsEntry("rec_searchable__emails", "f_email");
            assertThat(H2FullText.recordIds(db.sql(), "jansen", Set.of("rec_searchable"))).isNotEmpty();
            assertThat(H2FullText.recordIds(db.sql(), "developer", Set.of("rec_searchable_text"))).isNotEmpty();
        }
    }

    private List<String> columnsOf(String table) {
        return db.sql().resultQuery("SELECT column_name FROM information_schema.columns WHERE table_name = {0}", table)
                .fetch(0, String.class);
    }
}
