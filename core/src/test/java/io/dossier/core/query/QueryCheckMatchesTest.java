package io.dossier.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import io.dossier.core.schema.DefinitionParser;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A full-text condition names searchable text fields and sensible terms; relevance sorts anywhere. */
class QueryCheckMatchesTest {

    static final io.dossier.core.schema.RecordType TYPE = DefinitionParser.parse("t.def", """
            record test.Person
            fields
            uid       string LFSB
            name      string LFSUX
            city      string LFSU
            """);

    private static Query query(Condition condition) {
        return new Query(condition, List.of(SortKey.relevance()), Set.of(), Page.first(10), null);
    }

    @Test
    void searchableFieldsPassAndDuplicatesGo() {
        var checked = QueryCheck.check(TYPE, query(new Condition.Matches(List.of("name", "name"), List.of("jansen"), true)));
        assertThat(checked.condition()).isEqualTo(new Condition.Matches(List.of("name"), List.of("jansen"), true));
        assertThat(checked.sort()).containsExactly(SortKey.relevance());
    }

    @Test
    void whatCannotBeSearchedIsInvalid() {
        assertInvalid(new Condition.Matches(List.of("city"), List.of("utrecht"), true), "field city is not searchable");
        assertInvalid(new Condition.Matches(List.of("nope"), List.of("x"), true), "unknown field nope");
        assertInvalid(new Condition.Matches(List.of(), List.of("x"), true), "at least one field");
        assertInvalid(new Condition.Matches(List.of("name"), List.of(), true), "1 to 32 terms");
        assertInvalid(new Condition.Matches(List.of("name"), Collections.nCopies(33, "x"), true), "1 to 32 terms");
        assertInvalid(new Condition.Matches(List.of("name"), List.of(" "), true), "1 to 200 characters");
        assertInvalid(new Condition.Matches(List.of("name"), List.of("x".repeat(201)), true), "1 to 200 characters");
    }

    private static void assertInvalid(Condition condition, String message) {
        assertThatThrownBy(() -> QueryCheck.check(TYPE, query(condition)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageContaining(message);
    }
}
