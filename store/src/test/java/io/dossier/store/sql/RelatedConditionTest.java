package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordRow;
import io.dossier.core.schema.DefinitionParser;
import io.dossier.core.schema.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link Condition.Related}: a record matches when a record of another type whose field equals
 * its own meets a condition (how an HR filter on employments reaches persons), on H2 and PostgreSQL,
 * within the tenant only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelatedConditionTest {

    static final RecordType PERSON = DefinitionParser.parse("person.def", """
            record   reltest.Person
            fields
            uid            string     LFSB
            personCode     string     LFSUIB
            """);
    static final RecordType EMPLOYMENT = DefinitionParser.parse("employment.def", """
            record   reltest.Employment
            fields
            uid            string     LFSB
            personCode     string     LFSUIB
            employmentType string     LFSUIB
            """);

    private TestDatabase testDatabase;
    private SqlRecordRepository records;

    protected abstract TestDatabase newDatabase();

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        records = new SqlRecordRepository(testDatabase.database());
        records.prepare(List.of(PERSON, EMPLOYMENT));
        for (long tenant : List.of(1L, 2L)) {
            person(tenant, "p1");
            person(tenant, "p2");
            person(tenant, "p3");
        }
        employment(1, "p1-1", "p1", "Intern");
        employment(1, "p2-1", "p2", "Extern");
        employment(1, "p2-2", "p2", "Intern");
        employment(2, "p3-1", "p3", "Intern");   // another tenant's employment makes no person of tenant 1 visible
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    private void person(long tenant, String code) {
        records.insert(tenant, PERSON, new RecordRow(code, values("personCode", code), Map.of(), Map.of()));
    }

    private void employment(long tenant, String uid, String person, String type) {
        records.insert(tenant, EMPLOYMENT, new RecordRow(uid, values("personCode", person, "employmentType", type), Map.of(), Map.of()));
    }

    private static Map<String, Object> values(Object... keysAndValues) {
        var out = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private List<String> persons(long tenant, Condition condition) {
        var page = records.search(tenant, PERSON, new Query(condition, List.of(new SortKey("uid", false)), Set.of("uid"),
                new Page(0, 10, true), null));
        var out = new ArrayList<String>();
        page.rows().forEach(r -> out.add(r.uid()));
        assertThat(page.total()).isEqualTo(out.size());
        return out;
    }

    @Test
    void aPersonMatchesWhenOneOfItsEmploymentsDoes() {
        var interns = new Condition.Related(EMPLOYMENT, "personCode", "personCode",
                new Condition.Compare("employmentType", Condition.Op.EQ, "Intern"));
        assertThat(persons(1, interns)).containsExactly("p1", "p2");
        var externs = new Condition.Related(EMPLOYMENT, "personCode", "personCode",
                new Condition.Compare("employmentType", Condition.Op.EQ, "Extern"));
        assertThat(persons(1, externs)).containsExactly("p2");
        assertThat(persons(1, new Condition.Not(interns))).containsExactly("p3");
        assertThat(persons(1, new Condition.Related(EMPLOYMENT, "personCode", "personCode", null))).containsExactly("p1", "p2");
    }

    @Test
    void relatedRecordsAreOnlyThoseOfTheTenant() {
        var interns = new Condition.Related(EMPLOYMENT, "personCode", "personCode",
                new Condition.Compare("employmentType", Condition.Op.EQ, "Intern"));
        assertThat(persons(2, interns)).containsExactly("p3");
        assertThat(persons(1, new Condition.And(List.of(interns, new Condition.Compare("uid", Condition.Op.EQ, "p3"))))).isEmpty();
    }
}
