package io.dossier.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionValuesTest {

    @Test
    void aTreeSurvivesTheRoundTrip() {
        var tree = new Condition.And(List.of(
                new Condition.Compare("Person.city", Condition.Op.EQ, "Utrecht"),
                new Condition.Or(List.of(new Condition.Compare("age", Condition.Op.GE, 30L),
                        new Condition.Not(new Condition.Compare("active", Condition.Op.TRUE, null)))),
                new Condition.Matches(List.of("Person.lastName", "Person.Emails.email"), List.of("jansen", "van den berg"), false)));
        assertThat(ConditionValues.fromPlain(ConditionValues.toPlain(tree))).isEqualTo(tree);
    }

    @Test
    void operatorsAreReadWhateverTheirCase() {
        assertThat(ConditionValues.fromPlain(Map.of("field", "a", "op", "starts_with", "value", "x")))
                .isEqualTo(new Condition.Compare("a", Condition.Op.STARTS_WITH, "x"));
    }

    @Test
    void anythingElseIsInvalidNamingWhatIsWrong() {
        assertInvalid(null, "a condition is an object");
        assertInvalid(List.of(), "a condition is an object");
        assertInvalid(Map.of("and", List.of()), "non-empty list");
        assertInvalid(Map.of("or", "x"), "non-empty list");
        assertInvalid(Map.of("field", "a"), "needs an op");
        assertInvalid(Map.of("op", "EQ"), "needs a field");
        assertInvalid(Map.of("field", "a", "op", "ABOUT"), "unknown op 'ABOUT'");
        assertInvalid(Map.of("field", "a", "op", "EQ", "value", List.of(1)), "string, number or boolean");
        assertInvalid(Map.of("field", "a", "op", "EQ", "extra", 1), "unknown key 'extra'");
        assertInvalid(Map.of("text", "jansen"), "a text condition is");
        assertInvalid(Map.of("text", Map.of("fields", List.of("a"), "terms", List.of(1))), "terms of a text condition are strings");
        assertInvalid(Map.of("text", Map.of("fields", List.of("a"), "terms", List.of("x"), "mode", "any")), "unknown key 'mode'");
        Object deep = Map.of("field", "a", "op", "EQ", "value", 1);
        for (int i = 0; i < 40; i++) {
            deep = Map.of("not", deep);
        }
        assertInvalid(deep, "nest at most");
    }

    private static void assertInvalid(Object plain, String message) {
        assertThatThrownBy(() -> ConditionValues.fromPlain(plain))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageContaining(message);
    }
}
