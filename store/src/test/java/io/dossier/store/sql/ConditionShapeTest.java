package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.query.Condition;
import io.dossier.core.query.Condition.Op;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What of a condition its shape keeps ({@link ConditionCompiler#shapeOf}): all that changes the text compiled from it, no value. */
class ConditionShapeTest {

    private static Object shape(Condition condition) {
        return ConditionCompiler.shapeOf(condition, type -> {
            throw new AssertionError("no related type here");
        });
    }

    private static Condition cmp(String path, Op op, Object value) {
        return new Condition.Compare(path, op, value);
    }

    @Test
    void conditionsThatDifferOnlyInTheirValuesHaveOneShape() {
        assertThat(shape(new Condition.And(List.of(cmp("statusId", Op.EQ, 1L), cmp("Person.lastName", Op.CONTAINS, "a")))))
                .isEqualTo(shape(new Condition.And(List.of(cmp("statusId", Op.EQ, 7L), cmp("Person.lastName", Op.CONTAINS, "xyz")))));
        assertThat(shape(new Condition.Matches(List.of("remarks"), List.of("java", "sql"), true)))
                .isEqualTo(shape(new Condition.Matches(List.of("remarks"), List.of("go", "rust"), true)));
        assertThat(shape(null)).isEqualTo(shape(null));
    }

    @Test
    void everythingThatChangesTheTextChangesTheShape() {
        var shapes = List.of(
                shape(cmp("statusId", Op.EQ, 1L)),
                shape(cmp("statusId", Op.EQ, null)),
                shape(cmp("statusId", Op.NE, 1L)),
                shape(cmp("salary", Op.EQ, 1L)),
                shape(cmp("statusId", Op.EQ, "1")),
                shape(cmp("birthDate", Op.EQ, LocalDate.of(2000, 1, 1))),
                shape(new Condition.Not(cmp("statusId", Op.EQ, 1L))),
                shape(new Condition.Or(List.of(cmp("statusId", Op.EQ, 1L), cmp("statusId", Op.EQ, 2L)))),
                shape(new Condition.Or(List.of(cmp("statusId", Op.EQ, 1L), cmp("statusId", Op.EQ, 2L), cmp("statusId", Op.EQ, 3L)))),
                shape(new Condition.And(List.of(cmp("statusId", Op.EQ, 1L), cmp("statusId", Op.EQ, 2L)))),
                shape(new Condition.Matches(List.of("remarks"), List.of("java"), true)),
                shape(new Condition.Matches(List.of("remarks"), List.of("java", "sql"), true)),
                shape(new Condition.Matches(List.of("remarks"), List.of("java", "sql"), false)),
                shape(new Condition.Matches(List.of("remarks", "title"), List.of("java", "sql"), false)),
                shape(null));
        assertThat(shapes).doesNotHaveDuplicates();
    }
}
