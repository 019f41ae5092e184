package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Condition.Op;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordChanges;
import io.dossier.core.record.RecordChanges.CollectionChanges;
import io.dossier.core.record.RecordRow;
import io.dossier.core.record.RowPage;
import io.dossier.core.schema.DefinitionParser;
import io.dossier.core.schema.RecordType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.ExecuteContext;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link SqlRecordRepository}, run once per database (H2, PostgreSQL) by the
 * subclasses. One database per class; every test works in tenants of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlRecordRepositoryTest {

    static final RecordType CANDIDATE = DefinitionParser.parse("candidate.def", """
            record   test.Candidate
            storage   Candidate
            description Test candidates.

            fields
            uid            string     LFSB
            Person         container  LUIB
              firstName    string     LFSUIB
              lastName     string     LFSUIB
            title          string     LFSUIT     # kept per content language
            statusId       int        LFSUI
            active         boolean    LFSUI
            birthDate      date       LFSUI
            entryDateTime  datetime   LFS
            salary         double     LFSUI
            remarks        text       LUI
            PhoneNumbers   collection LUID
              type         int        LFSUI
              phoneNumber  string     LFUI
              Extra        container  LUI
                note       string     LFUI
            """);

    private Database db;
    private SqlRecordRepository records;
    private final AtomicLong tenants = new AtomicLong();
    private final AtomicInteger statements = new AtomicInteger();

    /** A new, empty database; aborts the test (reported as skipped) when this kind of database is not available. */
    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;

    @BeforeEach
    void open() {
        if (db == null) {
            testDatabase = newDatabase();
            db = testDatabase.database();
            // counted beside the database's own listeners (which make a NUL character in text INVALID on PostgreSQL)
            var configuration = db.sql().configuration();
            var listeners = java.util.Arrays.copyOf(configuration.executeListenerProviders(), configuration.executeListenerProviders().length + 1);
            listeners[listeners.length - 1] = new org.jooq.impl.DefaultExecuteListenerProvider(new DefaultExecuteListener() {
                @Override
                public void executeStart(ExecuteContext ctx) {
                    statements.incrementAndGet();
                }
            });
            configuration.set(listeners);
            db.watch((sql, binds) -> {   // the statements a walk sends on every page go around jOOQ on PostgreSQL
                statements.incrementAndGet();
                return () -> { };
            });
            records = new SqlRecordRepository(db);
            records.prepare(List.of(CANDIDATE));
        }
    }

    @AfterAll
    void close() {
        if (db != null) {
            testDatabase.close();
        }
    }

    // ---- schema

    @Test
    void twoDialectsMayEachDeclareAPerson() {
        var hr = DefinitionParser.parse("hr-person.def", """
                record hr.Person
                fields
                uid        string LFSB
                employeeNr string LFSUI
                """);
        var recruiting = DefinitionParser.parse("recruiting-person.def", """
                record recruiting.Person
                fields
                uid        string LFSB
                lastName   string LFSUI
                """);
        records.prepare(List.of(hr, recruiting));
        var tenant = tenant();
        records.insert(tenant, hr, new RecordRow("p1", values("employeeNr", "E-1"), Map.of(), Map.of()));
        records.insert(tenant, recruiting, new RecordRow("p1", values("lastName", "Jansen"), Map.of(), Map.of()));

        assertThat(records.find(tenant, hr, "p1", null, Set.of("employeeNr")).orElseThrow().values()).containsEntry("employeeNr", "E-1");
        assertThat(records.find(tenant, recruiting, "p1", null, Set.of("lastName")).orElseThrow().values()).containsEntry("lastName", "Jansen");
        assertThat(records.delete(tenant, hr, "p1")).isPresent();
        assertThat(records.exists(tenant, recruiting, "p1")).isTrue();
        assertThat(columns("rec_hr_person")).contains("f_employee_nr");
        assertThat(columns("rec_recruiting_person")).contains("f_last_name");
    }

    @Test
    void prepareTwiceIsHarmless() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, candidate("c1", "Anna", "Adams"));

        records.prepare(List.of(CANDIDATE));
        var before = statements.get();
        new SqlRecordRepository(db).prepare(List.of(CANDIDATE));
        assertThat(statements.get() - before).as("the tables are the ones the last prepare made: the catalog is not even read").isZero();

        assertThat(records.exists(tenant, CANDIDATE, "c1")).isTrue();
        assertThat(columns("rec_candidate")).contains("id", "tenant_id", "uid", "f_person__first_name", "f_person__last_name",
                "f_status_id", "f_active", "f_birth_date", "f_entry_date_time", "f_salary", "f_remarks").doesNotContain("f_title", "f_uid");
        assertThat(columns("rec_candidate_text")).contains("record_id", "tenant_id", "lang", "f_title");
        assertThat(columns("rec_candidate__phone_numbers")).contains("record_id", "tenant_id", "item_key", "f_type",
                "f_phone_number", "f_extra__note");
    }

    @Test
    void prepareAddsWhatADefinitionGainedAndKeepsTheData() {
        var v1 = DefinitionParser.parse("widget-v1.def", """
                record  test.Widget
                storage  Widget
                fields
                uid     string LFSB
                name    string LFSUI
                """);
        var v2 = DefinitionParser.parse("widget-v2.def", """
                record  test.Widget
                storage  Widget
                fields
                uid     string LFSB
                name    string LFSUI
                size    int    LFSUI
                label   string LFSUIT
                Parts   collection LUID
                  code  string LFUI
                """);
        var tenant = tenant();
        records.prepare(List.of(v1));
        records.insert(tenant, v1, new RecordRow("w1", values("name", "first"), Map.of(), Map.of()));

        records.prepare(List.of(v2));
        records.prepare(List.of(v2));

        var before = records.find(tenant, v2, "w1", "en", Set.of("Parts")).orElseThrow();
        assertThat(before.values()).isEqualTo(values("uid", "w1", "name", "first", "size", null, "label", null));
        assertThat(before.collections()).isEqualTo(Map.of("Parts", Map.of()));

        records.insert(tenant, v2, new RecordRow("w2", values("name", "second", "size", 3L), Map.of("en", values("label", "Big")),
                Map.of("Parts", Map.of("1", values("code", "P-1")))));
        assertThat(records.update(tenant, v2, "w1", new RecordChanges(values("size", 7L), "en", values("label", "Small"), Map.of()))).isPresent();
        var page = records.search(tenant, v2, new Query(null, List.of(new SortKey("size", true)), Set.of("label", "Parts"), new Page(0, 10, true), "en"));
        assertThat(page.rows()).extracting(r -> r.values().get("label")).containsExactly("Small", "Big");
        assertThat(page.rows().getFirst().values()).as("a search reads the columns of its fields only").doesNotContainKey("name");
        assertThat(page.rows().get(1).collections().get("Parts")).isEqualTo(Map.of("1", values("code", "P-1")));
    }

    @Test
    void longNamesAreShortenedDeterministically() {
        var type = DefinitionParser.parse("long.def", """
                record  test.ExtraordinarilyLongRecordTypeNameForTestingIdentifierLimits
                storage  ExtraordinarilyLongRecordTypeNameForTestingIdentifierLimits
                fields
                uid     string LFSB
                AnotherRatherLongContainerNameForNesting container LUI
                  someVeryLongFieldNameThatKeepsGoingAndGoing string LFSUI
                  translatedVeryLongFieldNameThatKeepsGoingOn string LFSUIT
                CollectionOfThingsWithAnUnreasonablyLongName collection LUI
                  theChildFieldWithAnEvenLongerNameThanBefore string LFSUI
                """);
        var tables = RecordTables.of(type);
        assertThat(tables.tableNames()).allSatisfy(name -> assertThat(name.length()).isLessThanOrEqualTo(63));
        assertThat(RecordTables.of(type).tableNames()).isEqualTo(tables.tableNames());

        records.prepare(List.of(type));
        records.prepare(List.of(type));
        var tenant = tenant();
        var field = "AnotherRatherLongContainerNameForNesting.someVeryLongFieldNameThatKeepsGoingAndGoing";
        var translated = "AnotherRatherLongContainerNameForNesting.translatedVeryLongFieldNameThatKeepsGoingOn";
        var collection = "CollectionOfThingsWithAnUnreasonablyLongName";
        records.insert(tenant, type, new RecordRow("l1", values(field, "value"), Map.of("en", values(translated, "text")),
                Map.of(collection, Map.of("1", values("theChildFieldWithAnEvenLongerNameThanBefore", "child")))));

        var page = records.search(tenant, type, new Query(new Condition.And(List.of(
                new Condition.Compare(field, Op.EQ, "value"),
                new Condition.Compare(translated, Op.EQ, "text"),
                new Condition.Compare(collection + ".theChildFieldWithAnEvenLongerNameThanBefore", Op.EQ, "child"))),
                List.of(new SortKey(field, false), new SortKey(translated, true)), Set.of(field, translated, collection), new Page(0, 10, true), "en"));
        assertThat(page.total()).isEqualTo(1);
        var row = page.rows().getFirst();
        assertThat(row.values()).containsEntry(field, "value").containsEntry(translated, "text");
        assertThat(row.collections().get(collection).get("1")).containsEntry("theChildFieldWithAnEvenLongerNameThanBefore", "child");
    }

    // ---- insert and find

    @Test
    void insertAndFindRoundTripEveryType() {
        var tenant = tenant();
        var remarks = "long remarks ".repeat(500);
        var entry = Instant.parse("2024-03-01T10:15:30.123456Z");
        records.insert(tenant, CANDIDATE, new RecordRow("c1",
                values("uid", "c1", "Person.firstName", "Anna", "Person.lastName", "Adams", "statusId", 2L, "active", false,
                        "birthDate", LocalDate.of(1990, 5, 17), "entryDateTime", entry, "salary", 1234.5, "remarks", remarks),
                Map.of("nl", values("title", "Ontwikkelaar")),
                Map.of("PhoneNumbers", Map.of(
                        "1", values("type", 1L, "phoneNumber", "0611", "Extra.note", "after five"),
                        "10", values("type", 2L, "phoneNumber", "0610"),
                        "2", values("type", 3L, "phoneNumber", "0612")))));

        var row = records.find(tenant, CANDIDATE, "c1", "nl", Set.of("PhoneNumbers")).orElseThrow();

        assertThat(row.uid()).isEqualTo("c1");
        assertThat(row.values()).isEqualTo(values("uid", "c1", "Person.firstName", "Anna", "Person.lastName", "Adams",
                "statusId", 2L, "active", false, "birthDate", LocalDate.of(1990, 5, 17), "entryDateTime", entry,
                "salary", 1234.5, "remarks", remarks, "title", "Ontwikkelaar"));
        assertThat(row.values().get("statusId")).isInstanceOf(Long.class);
        assertThat(row.values().get("salary")).isInstanceOf(Double.class);
        assertThat(row.values().get("entryDateTime")).isInstanceOf(Instant.class);
        assertThat(row.values().get("birthDate")).isInstanceOf(LocalDate.class);
        var phones = row.collections().get("PhoneNumbers");
        assertThat(phones.keySet()).containsExactly("1", "2", "10");
        assertThat(phones.get("1")).isEqualTo(values("type", 1L, "phoneNumber", "0611", "Extra.note", "after five"));
        assertThat(phones.get("10")).isEqualTo(values("type", 2L, "phoneNumber", "0610", "Extra.note", null));

        assertThat(records.find(tenant, CANDIDATE, "nope", "nl", Set.of())).isEmpty();
        assertThat(records.exists(tenant, CANDIDATE, "c1")).isTrue();
        assertThat(records.exists(tenant, CANDIDATE, "nope")).isFalse();
    }

    @Test
    void aRecordIsReadByUidInItsOwnTenantAndLanguageOnly() {
        var mine = tenant();
        var theirs = tenant();
        records.insert(mine, CANDIDATE, new RecordRow("same", values("Person.firstName", "Anna"),
                Map.of("nl", values("title", "Ontwikkelaar"), "en", values("title", "Developer")), Map.of()));
        records.insert(theirs, CANDIDATE, new RecordRow("same", values("Person.firstName", "Zoe"),
                Map.of("nl", values("title", "Tester")), Map.of()));

        // the same statement, read again and again with other values
        assertThat(records.find(mine, CANDIDATE, "same", "nl", Set.of()).orElseThrow().values())
                .containsEntry("Person.firstName", "Anna").containsEntry("title", "Ontwikkelaar");
        assertThat(records.find(mine, CANDIDATE, "same", "en", Set.of()).orElseThrow().values()).containsEntry("title", "Developer");
        assertThat(records.find(mine, CANDIDATE, "same", null, Set.of()).orElseThrow().values()).containsEntry("title", null);
        assertThat(records.find(theirs, CANDIDATE, "same", "nl", Set.of()).orElseThrow().values())
                .containsEntry("Person.firstName", "Zoe").containsEntry("title", "Tester");
        assertThat(records.find(theirs, CANDIDATE, "same", "en", Set.of()).orElseThrow().values()).containsEntry("title", null);
        assertThat(records.find(tenant(), CANDIDATE, "same", "nl", Set.of())).isEmpty();
        assertThat(records.find(mine, CANDIDATE, null, "nl", Set.of())).isEmpty();
    }

    @Test
    void aRowIsReadWithItsVersion() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, candidate("v1", "Anna", "Adams"));
        records.insert(tenant, CANDIDATE, candidate("v2", "Bert", "Brown"));
        records.update(tenant, CANDIDATE, "v2", new RecordChanges(values("Person.firstName", "Bart"), null, null, null));

        assertThat(records.find(tenant, CANDIDATE, "v1", null, Set.of()).orElseThrow().version()).isEqualTo(1);
        assertThat(records.find(tenant, CANDIDATE, "v2", null, Set.of()).orElseThrow().version()).isEqualTo(2);
        assertThat(records.versions(tenant, CANDIDATE, List.of("v1", "v2"))).isEqualTo(Map.of("v1", 1L, "v2", 2L));
    }

    @Test
    void aRecordWithNoValuesReadsAsNulls() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, new RecordRow("empty", Map.of(), Map.of(), Map.of()));

        var row = records.find(tenant, CANDIDATE, "empty", "nl", Set.of("PhoneNumbers")).orElseThrow();

        assertThat(row.values()).containsEntry("uid", "empty").containsEntry("statusId", null).containsEntry("title", null)
                .containsEntry("Person.firstName", null).hasSize(10);
        assertThat(row.collections()).isEqualTo(Map.of("PhoneNumbers", Map.of()));
    }

    @Test
    void insertingAUidTwiceInATenantIsAConflict() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, candidate("c1", "Anna", "Adams"));

        assertThatThrownBy(() -> records.insert(tenant, CANDIDATE, candidate("c1", "Bert", "Baker")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.CONFLICT));
        assertThat(records.find(tenant, CANDIDATE, "c1", "nl", Set.of()).orElseThrow().values()).containsEntry("Person.firstName", "Anna");
    }

    @Test
    void insertAllWritesWhatInsertWouldInAFewStatements() {
        var tenant = tenant();
        var entry = Instant.parse("2024-03-01T10:15:30.123456Z");
        var rows = new ArrayList<RecordRow>();
        rows.add(new RecordRow("c1",
                values("uid", "c1", "Person.firstName", "Anna", "statusId", 2L, "active", false, "birthDate", LocalDate.of(1990, 5, 17),
                        "entryDateTime", entry, "salary", 1234.5),
                Map.of("nl", values("title", "Ontwikkelaar"), "en", values("title", "Developer")),
                Map.of("PhoneNumbers", Map.of(
                        "1", values("type", 1L, "phoneNumber", "0611", "Extra.note", "after five"),
                        "2", values("type", 3L)))));
        rows.add(new RecordRow("c2", values("Person.lastName", "Baker"), Map.of(), Map.of()));
        for (int i = 3; i <= 1500; i++) {
            rows.add(new RecordRow("c" + i, values("Person.firstName", "N" + i, "statusId", (long) i), Map.of(),
                    Map.of("PhoneNumbers", Map.of("1", values("type", 1L, "phoneNumber", "06" + i)))));
        }
        int before = statements.get();

        db.run(() -> records.insertAll(tenant, CANDIDATE, rows));

        assertThat(statements.get() - before).as("rows, translations and items: a few statements each").isLessThanOrEqualTo(6);
        var c1 = records.find(tenant, CANDIDATE, "c1", "en", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(c1.values()).isEqualTo(values("uid", "c1", "Person.firstName", "Anna", "Person.lastName", null,
                "statusId", 2L, "active", false, "birthDate", LocalDate.of(1990, 5, 17), "entryDateTime", entry,
                "salary", 1234.5, "remarks", null, "title", "Developer"));
        assertThat(c1.collections().get("PhoneNumbers")).isEqualTo(Map.of(
                "1", values("type", 1L, "phoneNumber", "0611", "Extra.note", "after five"),
                "2", values("type", 3L, "phoneNumber", null, "Extra.note", null)));
        assertThat(records.find(tenant, CANDIDATE, "c1", "nl", Set.of()).orElseThrow().values()).containsEntry("title", "Ontwikkelaar");
        var c2 = records.find(tenant, CANDIDATE, "c2", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(c2.values()).containsEntry("Person.lastName", "Baker").containsEntry("Person.firstName", null);
        assertThat(c2.collections()).isEqualTo(Map.of("PhoneNumbers", Map.of()));
        var last = records.find(tenant, CANDIDATE, "c1500", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(last.values()).containsEntry("Person.firstName", "N1500").containsEntry("statusId", 1500L);
        assertThat(last.collections().get("PhoneNumbers").get("1")).containsEntry("phoneNumber", "061500");
        assertThat(records.versions(tenant, CANDIDATE, List.of("c1", "c2", "c1500"))).isEqualTo(Map.of("c1", 1L, "c2", 1L, "c1500", 1L));
        assertThat(records.search(tenant, CANDIDATE, new Query(null, List.of(), Set.of("uid"), Page.first(10).counted(), null)).total())
                .isEqualTo(1500L);
        // an update of a bulk-inserted record works as on any other
        records.update(tenant, CANDIDATE, "c2", new RecordChanges(values("Person.firstName", "Bert"), null, Map.of(),
                Map.of("PhoneNumbers", new CollectionChanges(Map.of("7", values("type", 7L)), Set.of()))));
        assertThat(records.find(tenant, CANDIDATE, "c2", "nl", Set.of("PhoneNumbers")).orElseThrow().collections().get("PhoneNumbers"))
                .containsOnlyKeys("7");
    }

    /**
     * What insertAll writes reads back exactly as given, and as {@link SqlRecordRepository#insert}
     * stores it, whatever its text holds: PostgreSQL copies the rows in as text, where tabs, line
     * breaks and backslashes are escaped and null is {@code \N}.
     */
    @Test
    void insertAllKeepsAwkwardValuesExactlyAsInsertDoes() {
        var bulk = tenant();
        var single = tenant();
        var awkward = List.of("tab\there", "line\nbreak\r\nand return\r", "back\\slash \\N \\. \\t", "\\N", "\\.", "\\",
                "ünïcødé 🙂 中文 \u00a0 \u2028 \u00ff", "", " spaced ", "'quoted' \"double\" `tick`", "a,b;c|d\u0001\u007f");
        Long[] numbers = {Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, null};
        Boolean[] flags = {true, false, null};
        LocalDate[] dates = {LocalDate.of(1900, 1, 1), LocalDate.of(2000, 2, 29), LocalDate.of(9999, 12, 31), null};
        Instant[] instants = {Instant.parse("2024-03-01T10:15:30.123456Z"), Instant.EPOCH, Instant.parse("2099-12-31T23:59:59.999999Z"), null};
        Double[] doubles = {1234.5, 1e-300, Double.MAX_VALUE, 0.1 + 0.2, -42.0, null};
        var rows = new ArrayList<RecordRow>();
        for (int i = 0; i < awkward.size(); i++) {
            var text = awkward.get(i);
            var items = new LinkedHashMap<String, Map<String, Object>>();
            items.put("1", values("type", 1L, "phoneNumber", text, "Extra.note", text + "\t" + i));
            items.put("k\t\\\n" + i, values("type", null, "phoneNumber", null, "Extra.note", "n\\N"));
            rows.add(new RecordRow("a" + i,
                    values("uid", "a" + i, "Person.firstName", text, "Person.lastName", i % 2 == 0 ? null : text + "!",
                            "statusId", numbers[i % numbers.length], "active", flags[i % flags.length], "birthDate", dates[i % dates.length],
                            "entryDateTime", instants[i % instants.length], "salary", doubles[i % doubles.length],
                            "remarks", text + "\n" + text.repeat(50)),
                    Map.of("nl", values("title", text), "en", values("title", i % 3 == 0 ? null : text + " (en)")),
                    Map.of("PhoneNumbers", items)));
        }

        db.run(() -> records.insertAll(bulk, CANDIDATE, rows));
        rows.forEach(row -> records.insert(single, CANDIDATE, row));

        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            for (var language : List.of("nl", "en")) {
                var found = records.find(bulk, CANDIDATE, row.uid(), language, Set.of("PhoneNumbers")).orElseThrow();
                var expected = new LinkedHashMap<>(row.values());
                expected.put("title", row.translations().get(language).get("title"));
                assertThat(found.values()).as("%s in %s", row.uid(), language).isEqualTo(expected);
                assertThat(found.collections()).as("%s's items", row.uid()).isEqualTo(row.collections());
                assertThat(found).as("%s as insert stores it", row.uid())
                        .isEqualTo(records.find(single, CANDIDATE, row.uid(), language, Set.of("PhoneNumbers")).orElseThrow());
            }
        }
    }

    /**
     * A date or time before year 1 (year 0 is 1 BC) goes in through insertAll as insert stores it
     * (PostgreSQL's text reads such a year counted back, with "BC"); on PostgreSQL, as given.
     */
    @Test
    void insertAllOfDatesBeforeYearOneStoresThemAsInsertDoes() {
        var bulk = tenant();
        var single = tenant();
        var rows = List.of(
                new RecordRow("bc1", values("uid", "bc1", "birthDate", LocalDate.of(0, 2, 29), "entryDateTime", Instant.parse("0000-02-29T23:59:59.5Z")),
                        Map.of(), Map.of()),
                new RecordRow("bc2", values("uid", "bc2", "birthDate", LocalDate.of(-44, 3, 15), "entryDateTime", Instant.parse("-0044-03-15T12:00:00Z")),
                        Map.of(), Map.of()));

        db.run(() -> records.insertAll(bulk, CANDIDATE, rows));
        rows.forEach(row -> records.insert(single, CANDIDATE, row));

        for (var row : rows) {
            var found = records.find(bulk, CANDIDATE, row.uid(), "nl", Set.of()).orElseThrow();
            assertThat(found).isEqualTo(records.find(single, CANDIDATE, row.uid(), "nl", Set.of()).orElseThrow());
            if (db.dialect().family() == org.jooq.SQLDialect.POSTGRES) {
                assertThat(found.values()).containsEntry("birthDate", row.values().get("birthDate"))
                        .containsEntry("entryDateTime", row.values().get("entryDateTime"));
            }
        }
    }

    /** Text with the NUL character is treated by insertAll as by insert: refused (INVALID, nothing written) where the database cannot hold it. */
    @Test
    void insertAllOfTextWithTheNulCharacterFaresAsInsertDoes() {
        var bulk = tenant();
        var single = tenant();
        var withNul = new RecordRow("n2", values("uid", "n2", "Person.firstName", "before\u0000after"), Map.of(), Map.of());
        var rows = List.of(candidate("n1", "Anna", "Adams"), withNul);
        RuntimeException refused = null;
        try {
            records.insert(single, CANDIDATE, withNul);
        } catch (RuntimeException e) {
            refused = e;
        }
        var insertFailed = refused;
        if (insertFailed == null) {
            db.run(() -> records.insertAll(bulk, CANDIDATE, rows));
            assertThat(records.find(bulk, CANDIDATE, "n2", "nl", Set.of()).orElseThrow().values())
                    .containsEntry("Person.firstName", "before\u0000after");
        } else {
            assertThat(insertFailed).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID));
            assertThatThrownBy(() -> db.run(() -> records.insertAll(bulk, CANDIDATE, rows)))
                    .isInstanceOfSatisfying(Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID);
                        assertThat(f.getMessage()).isEqualTo(insertFailed.getMessage());
                    });
            assertThat(records.exists(bulk, CANDIDATE, "n1")).isFalse();
        }
        // the connection is good for what comes next
        db.run(() -> records.insertAll(bulk, CANDIDATE, List.of(candidate("n3", "Cees", "Cox"))));
        assertThat(records.exists(bulk, CANDIDATE, "n3")).isTrue();
    }

    @Test
    void insertAllOfAUidThatExistsIsAConflictAndWritesNothing() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, candidate("c2", "Anna", "Adams"));
        var rows = List.of(candidate("c1", "Bert", "Baker"), candidate("c2", "Cees", "Cox"), candidate("c3", "Dirk", "Dekker"));

        assertThatThrownBy(() -> db.run(() -> records.insertAll(tenant, CANDIDATE, rows)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.CONFLICT));
        assertThat(records.exists(tenant, CANDIDATE, "c1")).isFalse();
        assertThat(records.exists(tenant, CANDIDATE, "c3")).isFalse();
        assertThat(records.find(tenant, CANDIDATE, "c2", "nl", Set.of()).orElseThrow().values()).containsEntry("Person.firstName", "Anna");
    }

    @Test
    void translationsAreKeptPerLanguage() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, new RecordRow("c1", values("Person.firstName", "Anna"),
                Map.of("nl", values("title", "Ontwikkelaar"), "en", values("title", "Developer")), Map.of()));

        assertThat(records.find(tenant, CANDIDATE, "c1", "nl", Set.of()).orElseThrow().values()).containsEntry("title", "Ontwikkelaar");
        assertThat(records.find(tenant, CANDIDATE, "c1", "en", Set.of()).orElseThrow().values()).containsEntry("title", "Developer");
        assertThat(records.find(tenant, CANDIDATE, "c1", "de", Set.of()).orElseThrow().values())
                .containsEntry("title", null).containsEntry("Person.firstName", "Anna");
        assertThat(records.find(tenant, CANDIDATE, "c1", null, Set.of()).orElseThrow().values()).containsEntry("title", null);
    }

    // ---- search

    @Test
    void everyOperatorOnEveryScalarType() {
        var tenant = fixture();

        assertThat(uids(tenant, cmp("statusId", Op.EQ, 2L))).containsExactly("c2");
        assertThat(uids(tenant, cmp("statusId", Op.NE, 2L))).containsExactly("c1", "c3", "c4");
        assertThat(uids(tenant, cmp("statusId", Op.GE, 2L))).containsExactly("c2", "c4");
        assertThat(uids(tenant, cmp("statusId", Op.GT, 2L))).containsExactly("c4");
        assertThat(uids(tenant, cmp("statusId", Op.LE, 2L))).containsExactly("c1", "c2");
        assertThat(uids(tenant, cmp("statusId", Op.LT, 2L))).containsExactly("c1");
        assertThat(uids(tenant, cmp("statusId", Op.EQ, null))).containsExactly("c3");
        assertThat(uids(tenant, cmp("statusId", Op.NE, null))).containsExactly("c1", "c2", "c4");

        assertThat(uids(tenant, new Condition.Compare("active", Op.TRUE, null))).containsExactly("c1", "c4");
        assertThat(uids(tenant, new Condition.Compare("active", Op.FALSE, null))).containsExactly("c2");
        assertThat(uids(tenant, cmp("active", Op.NE, true))).containsExactly("c2", "c3");

        assertThat(uids(tenant, cmp("birthDate", Op.EQ, LocalDate.of(1990, 6, 15)))).containsExactly("c2");
        assertThat(uids(tenant, cmp("birthDate", Op.GT, LocalDate.of(1985, 1, 1)))).containsExactly("c2", "c4");
        assertThat(uids(tenant, cmp("birthDate", Op.LE, LocalDate.of(1990, 6, 15)))).containsExactly("c1", "c2");

        assertThat(uids(tenant, cmp("entryDateTime", Op.GE, Instant.parse("2024-06-01T12:00:00Z")))).containsExactly("c2", "c4");
        assertThat(uids(tenant, cmp("entryDateTime", Op.LT, Instant.parse("2024-06-01T12:00:00Z")))).containsExactly("c1");
        assertThat(uids(tenant, cmp("entryDateTime", Op.EQ, Instant.parse("2024-06-01T12:00:00Z")))).containsExactly("c2");

        assertThat(uids(tenant, cmp("salary", Op.GT, 1500.0))).containsExactly("c2", "c4");
        assertThat(uids(tenant, cmp("salary", Op.EQ, 2000.5))).containsExactly("c2");
        assertThat(uids(tenant, cmp("salary", Op.LT, 2000.5))).containsExactly("c1");

        assertThat(uids(tenant, cmp("Person.firstName", Op.EQ, "Anna"))).containsExactly("c1");
        assertThat(uids(tenant, cmp("Person.lastName", Op.GT, "Baker"))).containsExactly("c3");
        assertThat(uids(tenant, cmp("Person.lastName", Op.LIKE, "A%"))).containsExactly("c1", "c4");
        assertThat(uids(tenant, cmp("Person.lastName", Op.LIKE, "_aker"))).containsExactly("c2");
        assertThat(uids(tenant, cmp("Person.lastName", Op.NLIKE, "A%"))).containsExactly("c2", "c3");
        assertThat(uids(tenant, cmp("Person.firstName", Op.STARTS_WITH, "Do"))).containsExactly("c4");
        assertThat(uids(tenant, cmp("Person.lastName", Op.ENDS_WITH, "er"))).containsExactly("c2");
        assertThat(uids(tenant, cmp("Person.firstName", Op.CONTAINS, "ar"))).containsExactly("c3");
        assertThat(uids(tenant, cmp("uid", Op.EQ, "c3"))).containsExactly("c3");
        assertThat(uids(tenant, cmp("uid", Op.NE, "c3"))).containsExactly("c1", "c2", "c4");
    }

    @Test
    void nestedAndOr() {
        var tenant = fixture();
        var condition = new Condition.Or(List.of(
                new Condition.And(List.of(cmp("Person.lastName", Op.EQ, "Adams"), cmp("statusId", Op.GE, 2L))),
                new Condition.And(List.of(
                        new Condition.Compare("active", Op.FALSE, null),
                        new Condition.Or(List.of(cmp("salary", Op.GT, 1999.0), cmp("statusId", Op.EQ, 99L)))))));

        assertThat(uids(tenant, condition)).containsExactly("c2", "c4");
        assertThat(uids(tenant, new Condition.And(List.of(condition, cmp("Person.firstName", Op.NE, "Dora"))))).containsExactly("c2");
        assertThat(uids(tenant, new Condition.And(List.of()))).containsExactly("c1", "c2", "c3", "c4");
    }

    /** ORed equalities of one field (a page of records looked up by uid) are one IN list: the same records, and none of another tenant. */
    @Test
    void oredEqualitiesOfOneFieldFindWhatEachWould() {
        var tenant = fixture();
        var other = fixture();
        assertThat(uids(tenant, new Condition.Or(List.of(cmp("uid", Op.EQ, "c3"), cmp("uid", Op.EQ, "c1"), cmp("uid", Op.EQ, "zz")))))
                .containsExactly("c1", "c3");
        assertThat(uids(tenant, new Condition.Or(List.of(cmp("statusId", Op.EQ, 3L), cmp("statusId", Op.EQ, 99L)))))
                .isEqualTo(uids(tenant, new Condition.Or(List.of(cmp("statusId", Op.GE, 3L), cmp("statusId", Op.EQ, 99L)))));
        assertThat(uids(tenant, new Condition.Or(List.of(cmp("uid", Op.EQ, "c1"), cmp("statusId", Op.EQ, 3L))))).containsExactly("c1", "c4");
        assertThat(uids(other, new Condition.Or(List.of(cmp("uid", Op.EQ, "c1"), cmp("uid", Op.EQ, "c2"))))).containsExactly("c1", "c2");
    }

    /**
     * A search's statements are rendered once per shape (ConditionCompiler#shapeOf) and read with
     * each search's own values: the same shape with other values, tenant, language or limit renders
     * nothing new and finds its own rows.
     */
    @Test
    void aSearchOfAShapeSeenBeforeIsNotRenderedAgainAndReadsItsOwnValues() {
        var tenant = fixture();
        var other = fixture();
        var sort = List.of(new SortKey("Person.lastName", false));
        var page = search(tenant, new Condition.And(List.of(cmp("statusId", Op.GE, 2L), cmp("title", Op.CONTAINS, "e"))), sort, 0, 10, true, "nl");
        assertThat(uidsOf(page)).containsExactly("c4", "c2");
        assertThat(page.total()).isEqualTo(2);
        int shapes = db.renderedShapes();

        page = search(other, new Condition.And(List.of(cmp("statusId", Op.GE, 3L), cmp("title", Op.CONTAINS, "Dev"))), sort, 0, 10, true, "en");
        assertThat(uidsOf(page)).isEmpty();
        assertThat(page.total()).isZero();
        page = search(other, new Condition.And(List.of(cmp("statusId", Op.GE, 1L), cmp("title", Op.CONTAINS, "r"))), sort, 0, 1, true, "nl");
        assertThat(uidsOf(page)).containsExactly("c1");
        assertThat(page.total()).isEqualTo(3);
        page = search(other, new Condition.And(List.of(cmp("statusId", Op.GE, 1L), cmp("title", Op.CONTAINS, "r"))), sort, 0, 2, true, "nl");
        assertThat(uidsOf(page)).containsExactly("c1", "c4");
        assertThat(db.renderedShapes()).isEqualTo(shapes);

        // what changes the text is another shape: a null value, another operator, one more ORed value, an offset
        assertThat(uids(tenant, new Condition.And(List.of(cmp("statusId", Op.EQ, null), cmp("title", Op.CONTAINS, "e"))))).isEmpty();
        assertThat(uids(tenant, new Condition.And(List.of(cmp("statusId", Op.LT, 2L), cmp("title", Op.CONTAINS, "e"))))).containsExactly("c1");
        assertThat(uids(tenant, new Condition.Or(List.of(cmp("statusId", Op.EQ, 1L), cmp("statusId", Op.EQ, 3L))))).containsExactly("c1", "c4");
        assertThat(uids(tenant, new Condition.Or(List.of(cmp("statusId", Op.EQ, 1L), cmp("statusId", Op.EQ, 2L), cmp("statusId", Op.EQ, 3L)))))
                .containsExactly("c1", "c2", "c4");
        assertThat(uidsOf(search(tenant, new Condition.And(List.of(cmp("statusId", Op.GE, 2L), cmp("title", Op.CONTAINS, "e"))), sort, 1, 10, true, "nl")))
                .containsExactly("c2");
        assertThat(db.renderedShapes()).isGreaterThan(shapes);
    }

    /** Two statements given one shape fail on the second while the suites run (they set dossier.sql.verify-shapes), not send one's text with the other's values. */
    @Test
    void twoStatementsOfOneShapeFailWhileTestsRun() {
        assertThat(Boolean.getBoolean("dossier.sql.verify-shapes")).isTrue();
        var shape = List.of("a shape given twice", tenant());
        Database.Rows none = rs -> { };
        db.read(Database.Plan.REUSED, shape, () -> db.sql().select(DSL.param("a", Long.class)), Map.of("a", 1L), "first", none);
        db.read(Database.Plan.REUSED, shape, () -> db.sql().select(DSL.param("a", Long.class)), Map.of("a", 2L), "same text", none);
        assertThatThrownBy(() -> db.read(Database.Plan.REUSED, shape, () -> db.sql().select(DSL.param("a", Long.class), DSL.param("b", Long.class)),
                Map.of("a", 1L, "b", 2L), "other text", none))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one shape, two statements");

        // a value put only while the statement is built is missing once its text is kept, checking or not
        var binds = new java.util.HashMap<String, Object>();
        java.util.function.Supplier<org.jooq.ResultQuery<?>> query = () -> {
            binds.put("c", 3L);
            return db.sql().select(DSL.param("c", Long.class));
        };
        var built = List.of("a statement that puts its value while built", tenant());
        db.read(Database.Plan.REUSED, built, query, binds, "built", none);
        binds.clear();
        assertThatThrownBy(() -> db.read(Database.Plan.REUSED, built, query, binds, "built again", none))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no value for the parameter :c");
    }

    @Test
    void containsStartsWithAndEndsWithMatchTheValueLiterally() {
        var tenant = tenant();
        var names = Map.of("p1", "50% off", "p2", "500 off", "p3", "5_0 deal", "p4", "5x0 deal", "p5", "back\\slash", "p6", "backslash");
        names.forEach((uid, name) -> records.insert(tenant, CANDIDATE, candidate(uid, name, "Last")));

        assertThat(uids(tenant, cmp("Person.firstName", Op.CONTAINS, "50%"))).containsExactly("p1");
        assertThat(uids(tenant, cmp("Person.firstName", Op.STARTS_WITH, "50%"))).containsExactly("p1");
        assertThat(uids(tenant, cmp("Person.firstName", Op.CONTAINS, "5_0"))).containsExactly("p3");
        assertThat(uids(tenant, cmp("Person.firstName", Op.ENDS_WITH, "_0 deal"))).containsExactly("p3");
        assertThat(uids(tenant, cmp("Person.firstName", Op.CONTAINS, "k\\s"))).containsExactly("p5");
        assertThat(uids(tenant, cmp("Person.firstName", Op.CONTAINS, "%"))).containsExactly("p1");
        assertThat(new HashSet<>(uids(tenant, cmp("Person.firstName", Op.LIKE, "50%")))).containsExactlyInAnyOrder("p1", "p2");
        assertThat(new HashSet<>(uids(tenant, cmp("Person.firstName", Op.LIKE, "5_0 deal")))).containsExactlyInAnyOrder("p3", "p4");
        assertThat(new HashSet<>(uids(tenant, cmp("Person.firstName", Op.ENDS_WITH, "off")))).containsExactlyInAnyOrder("p1", "p2");
    }

    @Test
    void aConditionOnACollectionFieldMatchesRecordsWithSuchAnItem() {
        var tenant = fixture();

        assertThat(uids(tenant, cmp("PhoneNumbers.type", Op.EQ, 1L))).containsExactly("c1", "c2");
        assertThat(uids(tenant, cmp("PhoneNumbers.type", Op.EQ, 2L))).containsExactly("c2");
        assertThat(uids(tenant, cmp("PhoneNumbers.phoneNumber", Op.STARTS_WITH, "020"))).containsExactly("c2");
        assertThat(uids(tenant, cmp("PhoneNumbers.Extra.note", Op.EQ, "evenings"))).containsExactly("c1");
        assertThat(uids(tenant, new Condition.Or(List.of(cmp("PhoneNumbers.type", Op.EQ, 2L), cmp("statusId", Op.EQ, 3L)))))
                .containsExactly("c2", "c4");
        assertThat(uids(tenant, new Condition.And(List.of(cmp("PhoneNumbers.type", Op.EQ, 1L), cmp("active", Op.EQ, true)))))
                .containsExactly("c1");
    }

    @Test
    void translatableFieldsFilterAndSortInTheQueryLanguage() {
        var tenant = fixture();

        assertThat(uids(tenant, cmp("title", Op.EQ, "Tester"), "nl")).containsExactly("c2");
        assertThat(uids(tenant, cmp("title", Op.CONTAINS, "Ontw"), "nl")).containsExactly("c1", "c4");
        assertThat(uids(tenant, cmp("title", Op.CONTAINS, "Ontw"), "en")).isEmpty();
        assertThat(uids(tenant, cmp("title", Op.STARTS_WITH, "Dev"), "en")).containsExactly("c1");
        assertThat(uids(tenant, cmp("title", Op.NE, "Developer"), "en")).containsExactly("c2", "c3", "c4");

        var ascending = search(tenant, null, List.of(new SortKey("title", false)), 0, 10, true, "nl");
        assertThat(uidsOf(ascending)).containsExactly("c4", "c1", "c2", "c3");
        assertThat(ascending.rows()).extracting(r -> r.values().get("title")).containsExactly("Ontwerper", "Ontwikkelaar", "Tester", null);
        assertThat(uidsOf(search(tenant, null, List.of(new SortKey("title", true)), 0, 10, false, "nl"))).containsExactly("c2", "c1", "c4", "c3");

        var counted = search(tenant, cmp("title", Op.CONTAINS, "Ontw"), List.of(), 0, 1, true, "nl");
        assertThat(counted.total()).isEqualTo(2);
        assertThat(counted.rows()).hasSize(1);
    }

    @Test
    void sortsByManyFieldsAndPages() {
        var tenant = fixture();
        var sort = List.of(new SortKey("Person.lastName", false), new SortKey("Person.firstName", true));

        assertThat(uidsOf(search(tenant, null, sort, 0, 10, false, "nl"))).containsExactly("c4", "c1", "c2", "c3");
        var page = search(tenant, null, sort, 1, 2, true, "nl");
        assertThat(uidsOf(page)).containsExactly("c1", "c2");
        assertThat(page.total()).isEqualTo(4);
        assertThat(search(tenant, null, sort, 1, 2, false, "nl").total()).isNull();
        assertThat(uidsOf(search(tenant, null, sort, 3, 2, true, "nl"))).containsExactly("c3");
        assertThat(search(tenant, null, sort, 10, 2, true, "nl").rows()).isEmpty();

        var onlyCount = search(tenant, new Condition.Compare("active", Op.TRUE, null), sort, 0, 0, true, "nl");
        assertThat(onlyCount.rows()).isEmpty();
        assertThat(onlyCount.total()).isEqualTo(2);

        // nulls last whichever the direction, on both databases
        assertThat(uidsOf(search(tenant, null, List.of(new SortKey("statusId", true)), 0, 10, false, "nl"))).containsExactly("c4", "c2", "c1", "c3");
        assertThat(uidsOf(search(tenant, null, List.of(new SortKey("statusId", false)), 0, 10, false, "nl"))).containsExactly("c1", "c2", "c4", "c3");
        assertThat(uidsOf(search(tenant, null, List.of(new SortKey("salary", true), new SortKey("uid", true)), 0, 10, false, "nl")))
                .containsExactly("c4", "c2", "c1", "c3");
        // no sort: insertion order, by the id tie-breaker
        assertThat(uidsOf(search(tenant, null, List.of(), 0, 10, false, "nl"))).containsExactly("c1", "c2", "c3", "c4");
    }

    static final RecordType LISTED = DefinitionParser.parse("listed.def", """
            record   test.Listed
            storage  Listed
            description Records whose definition declares the list its clients ask for.
            index    statusId, Person.lastName, Person.firstName desc

            fields
            uid            string     LFSB
            Person         container  LUIB
              firstName    string     LFSUIB
              lastName     string     LFSUIB
            statusId       int        LFSUI
            """);

    @Test
    void aDeclaredListHasItsIndexAndReadsWhatASortWouldWithout() throws Exception {
        records.prepare(List.of(LISTED));
        records.prepare(List.of(LISTED));   // the index is there: nothing to make again
        var index = "ix_rec_listed_by_";   // the rest of the name is cut to a hash: PostgreSQL's names have at most 63 characters
        var columns = db.dialect().family() == org.jooq.SQLDialect.POSTGRES
                ? db.sql().fetch("SELECT indexdef FROM pg_indexes WHERE tablename = 'rec_listed' AND indexname LIKE 'ix\\_rec\\_listed\\_by\\_%'")
                        .map(r -> r.get(0).toString())
                : db.sql().fetch("SELECT index_name, column_name, ordering_specification, null_ordering FROM information_schema.index_columns"
                        + " WHERE table_name = 'rec_listed' AND index_name LIKE 'ix\\_rec\\_listed\\_by\\_%' ORDER BY ordinal_position")
                        .map(r -> r.get(1) + " " + r.get(2) + " " + r.get(3));
        columns = db.dialect().family() == org.jooq.SQLDialect.POSTGRES ? columns : List.of(String.join(", ", columns));
        assertThat(columns).as("the list's one index").singleElement().asString().contains(db.dialect().family() == org.jooq.SQLDialect.POSTGRES
                ? "(tenant_id, f_status_id, f_person__last_name, f_person__first_name DESC NULLS LAST, id)"
                : "tenant_id ASC FIRST, f_status_id ASC LAST, f_person__last_name ASC LAST, f_person__first_name DESC LAST, id ASC FIRST");

        var tenant = tenant();
        var other = tenant();
        var lastNames = java.util.Arrays.asList("Berg", "Aal", null, "Zee");
        var firstNames = java.util.Arrays.asList("Eva", null, "Ad", "Jan", "Bo");
        var expected = new ArrayList<List<Object>>();   // uid, last name, first name of each with status 2, in insertion order
        for (int i = 0; i < 60; i++) {
            Long status = i % 3 == 0 ? null : (long) (i % 3);
            var last = lastNames.get(i % lastNames.size());
            var first = firstNames.get(i % firstNames.size());
            records.insert(tenant, LISTED, new RecordRow("l" + i, values("statusId", status, "Person.lastName", last, "Person.firstName", first),
                    Map.of(), Map.of()));
            records.insert(other, LISTED, new RecordRow("o" + i, values("statusId", 2L, "Person.lastName", "Aal", "Person.firstName", "Ad"),
                    Map.of(), Map.of()));
            if (status != null && status == 2) {
                expected.add(java.util.Arrays.asList("l" + i, last, first));
            }
        }
        java.util.Comparator<String> nullsLast = java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder());
        java.util.Comparator<String> descendingNullsLast = java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder());
        expected.sort(java.util.Comparator.<List<Object>, String>comparing(r -> (String) r.get(1), nullsLast)
                .thenComparing(r -> (String) r.get(2), descendingNullsLast));   // stable: insertion (id) order breaks ties
        var sort = List.of(new SortKey("Person.lastName", false), new SortKey("Person.firstName", true));
        var statements = new ArrayList<List<Object>>();
        RowPage page;
        try (var watching = db.watch((sql, binds) -> {
            statements.add(List.of(sql, binds));
            return () -> { };
        })) {
            page = records.search(tenant, LISTED, new Query(cmp("statusId", Op.EQ, 2L), sort, Set.of("uid"), new Page(3, 7, true), "en"));
        }
        assertThat(uidsOf(page)).isEqualTo(expected.subList(3, 10).stream().map(r -> (String) r.getFirst()).toList());
        assertThat(page.total()).isEqualTo(expected.size());

        if (db.dialect().family() == org.jooq.SQLDialect.POSTGRES) {
            // the page's statement as the search sent it, planned with every other way to order its rows
            // made dearer than any plan: only an index that holds the list's order reads it without a sort
            var statement = statements.stream().filter(st -> st.getFirst().toString().contains("order by")).findFirst().orElseThrow();
            var plan = new StringBuilder();
            db.inTransaction(() -> {
                db.sql().execute("SET LOCAL enable_sort = off");
                db.sql().execute("SET LOCAL enable_incremental_sort = off");
                db.sql().execute("SET LOCAL enable_seqscan = off");
                db.read(Database.Plan.EACH_RUN, "the plan", "EXPLAIN " + statement.getFirst(), ((List<?>) statement.get(1)).toArray(), rows -> {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                });
                return null;
            });
            assertThat(plan.toString()).contains("Index Scan using " + index).doesNotContain("Sort");
        }
    }

    @Test
    void sortingByACollectionFieldUsesTheLeastOrGreatestItem() {
        var tenant = fixture();

        assertThat(uidsOf(search(tenant, null, List.of(new SortKey("PhoneNumbers.type", false)), 0, 10, false, "nl")))
                .containsExactly("c1", "c2", "c3", "c4");
        assertThat(uidsOf(search(tenant, null, List.of(new SortKey("PhoneNumbers.type", true)), 0, 10, false, "nl")))
                .containsExactly("c2", "c1", "c3", "c4");
    }

    @Test
    void collectionsAreLoadedOnlyWhenAsked() {
        var tenant = fixture();

        assertThat(records.find(tenant, CANDIDATE, "c2", "nl", Set.of("Person.firstName", "title")).orElseThrow().collections()).isEmpty();
        assertThat(records.find(tenant, CANDIDATE, "c2", "nl", Set.of()).orElseThrow().collections()).isEmpty();
        assertThat(records.find(tenant, CANDIDATE, "c2", "nl", Set.of("PhoneNumbers.phoneNumber")).orElseThrow()
                .collections().get("PhoneNumbers").keySet()).containsExactly("1", "2");

        var without = records.search(tenant, CANDIDATE, new Query(null, List.of(), Set.of("Person"), new Page(0, 10, false), "nl"));
        assertThat(without.rows()).allSatisfy(r -> assertThat(r.collections()).isEmpty());

        statements.set(0);
        var with = records.search(tenant, CANDIDATE, new Query(null, List.of(), Set.of("uid", "PhoneNumbers"), new Page(0, 10, false), "nl"));
        assertThat(statements.get()).as("one query for the rows, one for all their phone numbers").isEqualTo(2);
        assertThat(with.rows()).extracting(r -> r.collections().get("PhoneNumbers").size()).containsExactly(1, 2, 0, 0);
        assertThat(with.rows().get(1).collections().get("PhoneNumbers").get("1"))
                .isEqualTo(values("type", 2L, "phoneNumber", "020-555", "Extra.note", null));
    }

    // ---- update and delete

    @Test
    void updateSetsAndClearsValuesTranslationsAndCollectionItems() {
        var tenant = fixture();

        assertThat(records.update(tenant, CANDIDATE, "c2", new RecordChanges(
                values("statusId", 5L, "active", null, "Person.lastName", "Changed", "entryDateTime", Instant.parse("2030-01-01T00:00:00Z")),
                "nl", values("title", "Nieuw"),
                Map.of("PhoneNumbers", new CollectionChanges(
                        Map.of("1", values("phoneNumber", "0699"),
                                "3", values("type", 2L, "phoneNumber", "0633", "Extra.note", "new")),
                        Set.of("2")))))).isPresent();
        assertThat(records.update(tenant, CANDIDATE, "c2", new RecordChanges(Map.of(), "de", values("title", "Neu"), Map.of()))).isPresent();

        var nl = records.find(tenant, CANDIDATE, "c2", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(nl.values()).containsEntry("statusId", 5L).containsEntry("active", null).containsEntry("Person.lastName", "Changed")
                .containsEntry("Person.firstName", "Bert").containsEntry("title", "Nieuw")
                .containsEntry("entryDateTime", Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(nl.collections().get("PhoneNumbers")).isEqualTo(Map.of(
                "1", values("type", 2L, "phoneNumber", "0699", "Extra.note", null),
                "3", values("type", 2L, "phoneNumber", "0633", "Extra.note", "new")));
        assertThat(records.find(tenant, CANDIDATE, "c2", "de", Set.of()).orElseThrow().values()).containsEntry("title", "Neu");
        assertThat(records.find(tenant, CANDIDATE, "c2", "en", Set.of()).orElseThrow().values()).containsEntry("title", "Tester");
        // the others are untouched
        assertThat(records.find(tenant, CANDIDATE, "c1", "nl", Set.of("PhoneNumbers")).orElseThrow().values())
                .containsEntry("statusId", 1L).containsEntry("title", "Ontwikkelaar");

        assertThat(records.update(tenant, CANDIDATE, "c2", new RecordChanges(Map.of(), "nl", Map.of(), Map.of()))).isPresent();
        assertThat(records.update(tenant, CANDIDATE, "nope", new RecordChanges(values("statusId", 1L), "nl", Map.of(), Map.of()))).isEmpty();
        assertThat(records.exists(tenant, CANDIDATE, "nope")).isFalse();
    }

    @Test
    void aFailedUpdateChangesNothing() {
        var tenant = fixture();

        assertThatThrownBy(() -> records.update(tenant, CANDIDATE, "c2", new RecordChanges(values("statusId", 9L), "nl", Map.of(),
                Map.of("PhoneNumbers", new CollectionChanges(Map.of("1", values("phoneNumber", "x".repeat(2000))), Set.of("2"))))))
                .isInstanceOf(RuntimeException.class);

        var row = records.find(tenant, CANDIDATE, "c2", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(row.values()).containsEntry("statusId", 2L);
        assertThat(row.collections().get("PhoneNumbers").keySet()).containsExactly("1", "2");
    }

    @Test
    void anUpdateOfARecordDeletedWhileItWaitedFindsNothing() throws Exception {
        var tenant = fixture();
        try (var other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (var delete = other.prepareStatement("DELETE FROM rec_candidate WHERE tenant_id = ? AND uid = 'c3'")) {
                delete.setLong(1, tenant);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            // the update finds c3 (the delete is not committed), then waits for its row lock
            var update = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    records.update(tenant, CANDIDATE, "c3", new RecordChanges(values("statusId", 9L), null, Map.of(), Map.of())));
            Thread.sleep(500);
            other.commit();
            java.util.OptionalLong result;
            try {
                result = update.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // H2 may refuse the waiting update instead; what matters is that nothing half-happens
                assertThat(db.dialect().family()).isNotEqualTo(org.jooq.SQLDialect.POSTGRES);
                result = java.util.OptionalLong.empty();
            }
            assertThat(result).isEmpty();
        }
        assertThat(records.exists(tenant, CANDIDATE, "c3")).isFalse();
    }

    @Test
    void deleteRemovesTheRecordWithItsCollectionsAndTranslations() {
        var tenant = fixture();

        assertThat(records.delete(tenant, CANDIDATE, "c2")).isPresent();

        assertThat(records.exists(tenant, CANDIDATE, "c2")).isFalse();
        assertThat(records.find(tenant, CANDIDATE, "c2", "nl", Set.of("PhoneNumbers"))).isEmpty();
        assertThat(records.delete(tenant, CANDIDATE, "c2")).isEmpty();
        assertThat(uids(tenant, null)).containsExactly("c1", "c3", "c4");
        assertThat(count("rec_candidate__phone_numbers", tenant)).isEqualTo(1);   // c1's only
        assertThat(count("rec_candidate_text", tenant)).isEqualTo(3);             // c1 nl+en, c4 nl
    }

    // ---- tenants and hostile values

    @Test
    void aTenantNeverReachesAnotherTenantsRecords() {
        var owner = fixture();
        var other = tenant();

        assertThat(records.exists(other, CANDIDATE, "c1")).isFalse();
        assertThat(records.find(other, CANDIDATE, "c1", "nl", Set.of("PhoneNumbers"))).isEmpty();
        var page = search(other, null, List.of(), 0, 10, true, "nl");
        assertThat(page.rows()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(search(other, cmp("PhoneNumbers.type", Op.EQ, 1L), List.of(), 0, 10, true, "nl").total()).isZero();
        assertThat(search(other, cmp("title", Op.EQ, "Tester"), List.of(new SortKey("title", false)), 0, 10, true, "nl").total()).isZero();
        assertThat(records.update(other, CANDIDATE, "c1", new RecordChanges(values("statusId", 77L), "nl", values("title", "Stolen"),
                Map.of("PhoneNumbers", new CollectionChanges(Map.of("9", values("type", 9L)), Set.of("1")))))).isEmpty();
        assertThat(records.delete(other, CANDIDATE, "c1")).isEmpty();

        // the same uid in another tenant is another record
        records.insert(other, CANDIDATE, new RecordRow("c1", values("Person.firstName", "Other", "statusId", 8L),
                Map.of("nl", values("title", "Ander")), Map.of("PhoneNumbers", Map.of("5", values("type", 5L)))));
        assertThat(records.update(other, CANDIDATE, "c1", new RecordChanges(values("statusId", 9L), "nl", values("title", "Anders"),
                Map.of("PhoneNumbers", new CollectionChanges(Map.of("1", values("type", 4L)), Set.of("5")))))).isPresent();
        var theirs = records.find(other, CANDIDATE, "c1", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(theirs.values()).containsEntry("Person.firstName", "Other").containsEntry("statusId", 9L).containsEntry("title", "Anders");
        assertThat(theirs.collections().get("PhoneNumbers")).isEqualTo(Map.of("1", values("type", 4L, "phoneNumber", null, "Extra.note", null)));
        assertThat(search(other, null, List.of(), 0, 10, true, "nl").total()).isEqualTo(1);

        var mine = records.find(owner, CANDIDATE, "c1", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(mine.values()).containsEntry("Person.firstName", "Anna").containsEntry("statusId", 1L).containsEntry("title", "Ontwikkelaar");
        assertThat(mine.collections().get("PhoneNumbers")).isEqualTo(Map.of("1", values("type", 1L, "phoneNumber", "0611", "Extra.note", "evenings")));
        assertThat(records.delete(other, CANDIDATE, "c1")).isPresent();
        assertThat(records.exists(owner, CANDIDATE, "c1")).isTrue();
        assertThat(search(owner, null, List.of(), 0, 10, true, "nl").total()).isEqualTo(4);
        assertThat(count("rec_candidate__phone_numbers", owner)).isEqualTo(3);
    }

    @Test
    void sqlLookingValuesAreJustValues() {
        var tenant = tenant();
        var hostile = "Robert'); DROP TABLE rec_candidate; --";
        var key = "1' OR '1'='1";
        records.insert(tenant, CANDIDATE, new RecordRow("x' OR '1'='1", values("Person.firstName", hostile, "Person.lastName", "\\'\""),
                Map.of("nl", values("title", "' OR 1=1 --")), Map.of("PhoneNumbers", Map.of(key, values("phoneNumber", "'; DELETE FROM x; --")))));
        records.insert(tenant, CANDIDATE, candidate("plain", "Plain", "Person"));

        assertThat(records.find(tenant, CANDIDATE, "' OR '1'='1", "nl", Set.of())).isEmpty();
        var row = records.find(tenant, CANDIDATE, "x' OR '1'='1", "nl", Set.of("PhoneNumbers")).orElseThrow();
        assertThat(row.values()).containsEntry("Person.firstName", hostile).containsEntry("Person.lastName", "\\'\"")
                .containsEntry("title", "' OR 1=1 --");
        assertThat(row.collections().get("PhoneNumbers").get(key)).containsEntry("phoneNumber", "'; DELETE FROM x; --");

        assertThat(uids(tenant, cmp("Person.firstName", Op.EQ, hostile))).containsExactly("x' OR '1'='1");
        assertThat(uids(tenant, cmp("Person.firstName", Op.EQ, "' OR '1'='1"))).isEmpty();
        assertThat(uids(tenant, cmp("Person.firstName", Op.LIKE, "%' OR '1'='1"))).isEmpty();
        assertThat(uids(tenant, cmp("Person.firstName", Op.CONTAINS, "'); DROP"))).containsExactly("x' OR '1'='1");
        assertThat(uids(tenant, cmp("title", Op.EQ, "' OR 1=1 --"), "nl")).containsExactly("x' OR '1'='1");
        assertThat(uids(tenant, cmp("PhoneNumbers.phoneNumber", Op.CONTAINS, "'; DELETE"))).containsExactly("x' OR '1'='1");
        assertThat(records.update(tenant, CANDIDATE, "x' OR '1'='1", new RecordChanges(values("Person.lastName", "' --"), "nl", Map.of(),
                Map.of("PhoneNumbers", new CollectionChanges(Map.of(), Set.of(key)))))).isPresent();
        assertThat(records.find(tenant, CANDIDATE, "plain", "nl", Set.of()).orElseThrow().values()).containsEntry("Person.lastName", "Person");
        assertThat(records.delete(tenant, CANDIDATE, "' OR '1'='1")).isEmpty();
        assertThat(uids(tenant, null)).containsExactly("x' OR '1'='1", "plain");
    }

    // ---- helpers

    private long tenant() {
        return tenants.incrementAndGet();
    }

    /**
     * Four candidates in a new tenant:
     * c1 Anna Adams (status 1, active, nl+en title, one phone), c2 Bert Baker (status 2, inactive, two phones),
     * c3 Carl Clark (nothing else), c4 Dora Adams (status 3, active, nl title).
     */
    private long fixture() {
        var tenant = tenant();
        records.insert(tenant, CANDIDATE, new RecordRow("c1",
                values("Person.firstName", "Anna", "Person.lastName", "Adams", "statusId", 1L, "active", true,
                        "birthDate", LocalDate.of(1980, 1, 1), "entryDateTime", Instant.parse("2024-01-01T00:00:00Z"), "salary", 1000.0),
                Map.of("nl", values("title", "Ontwikkelaar"), "en", values("title", "Developer")),
                Map.of("PhoneNumbers", Map.of("1", values("type", 1L, "phoneNumber", "0611", "Extra.note", "evenings")))));
        records.insert(tenant, CANDIDATE, new RecordRow("c2",
                values("Person.firstName", "Bert", "Person.lastName", "Baker", "statusId", 2L, "active", false,
                        "birthDate", LocalDate.of(1990, 6, 15), "entryDateTime", Instant.parse("2024-06-01T12:00:00Z"), "salary", 2000.5),
                Map.of("nl", values("title", "Tester"), "en", values("title", "Tester")),
                Map.of("PhoneNumbers", Map.of("1", values("type", 2L, "phoneNumber", "020-555"), "2", values("type", 1L, "phoneNumber", "0622")))));
        records.insert(tenant, CANDIDATE, candidate("c3", "Carl", "Clark"));
        records.insert(tenant, CANDIDATE, new RecordRow("c4",
                values("Person.firstName", "Dora", "Person.lastName", "Adams", "statusId", 3L, "active", true,
                        "birthDate", LocalDate.of(2000, 12, 31), "entryDateTime", Instant.parse("2025-01-01T00:00:00Z"), "salary", 3000.0),
                Map.of("nl", values("title", "Ontwerper")), Map.of()));
        return tenant;
    }

    private static RecordRow candidate(String uid, String firstName, String lastName) {
        return new RecordRow(uid, values("uid", uid, "Person.firstName", firstName, "Person.lastName", lastName), Map.of(), Map.of());
    }

    private static Condition cmp(String path, Op op, Object value) {
        return new Condition.Compare(path, op, value);
    }

    private List<String> uids(long tenant, Condition condition) {
        return uids(tenant, condition, "nl");
    }

    private List<String> uids(long tenant, Condition condition, String language) {
        return uidsOf(search(tenant, condition, List.of(), 0, 100, false, language));
    }

    private RowPage search(long tenant, Condition condition, List<SortKey> sort, int offset, int limit, boolean total, String language) {
        return records.search(tenant, CANDIDATE, new Query(condition, sort, Set.of(), new Page(offset, limit, total), language));
    }

    private static List<String> uidsOf(RowPage page) {
        return page.rows().stream().map(RecordRow::uid).toList();
    }

    /** A map of alternating keys and values that, unlike Map.of, holds nulls and keeps its order. */
    static Map<String, Object> values(Object... keysAndValues) {
        var out = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private List<String> columns(String table) {
        return new ArrayList<>(db.sql().select(DSL.field(DSL.name("column_name"), String.class))
                .from(DSL.table(DSL.name("information_schema", "columns")))
                .where(DSL.field(DSL.name("table_name"), String.class).eq(table))
                .and(DSL.field(DSL.name("table_schema"), String.class).eq(DSL.currentSchema()))
                .fetch(0, String.class));
    }

    private int count(String table, long tenant) {
        return db.sql().fetchCount(DSL.table(DSL.name(table)), DSL.field(DSL.name("tenant_id"), Long.class).eq(tenant));
    }
}
