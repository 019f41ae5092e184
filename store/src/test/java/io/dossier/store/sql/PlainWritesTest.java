package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Writes run as jOOQ rendered them once per shape ({@link Database#execute}): the text serves
 * later values, nulls among them, is refused when its parameters do not match the values, a
 * refused constraint is thrown as jOOQ throws it, and a text too long for its column is bad input
 * as through jOOQ. Once per database (H2, PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlainWritesTest {

    static final Table<?> PROBE = DSL.table(DSL.name("plain_write_probe"));
    static final Field<Long> ID = DSL.field(DSL.name("id"), Long.class);
    static final Field<String> NAME = DSL.field(DSL.name("name"), String.class);
    static final Field<OffsetDateTime> AT = DSL.field(DSL.name("at"), OffsetDateTime.class);

    protected abstract TestDatabase newDatabase();

    TestDatabase test;
    Database db;

    @BeforeAll
    void open() {
        test = newDatabase();
        db = test.database();
        db.sql().execute("create table plain_write_probe (id bigint primary key, name varchar(100), at timestamp with time zone)");
    }

    @AfterAll
    void close() {
        test.close();
    }

    int insert(long id, String name, OffsetDateTime at) {
        var values = new Object[] {id, name, at};
        return db.execute("probe inserted", () -> db.sql().insertInto(PROBE, ID, NAME, AT).values(java.util.Arrays.asList(values)), values,
                "inserting a probe");
    }

    List<String> rows() {
        var out = new ArrayList<String>();
        db.sql().select(ID, NAME, AT).from(PROBE).orderBy(ID).fetch()
                .forEach(r -> out.add(r.value1() + "," + r.value2() + "," + (r.value3() == null ? null : r.value3().toInstant())));
        return out;
    }

    @Test
    void theTextRenderedOnceServesLaterValuesAndNulls() {
        var at = OffsetDateTime.of(2026, 12, 5, 10, 0, 0, 0, ZoneOffset.UTC);
        var counted = test.statements(() -> insert(1, "first", at) + insert(2, null, null) + insert(3, "third 'quoted' ?", at.plusHours(1)));
        assertThat(counted.result()).isEqualTo(3);
        assertThat(counted.statements()).isEqualTo(3);
        assertThat(rows()).containsExactly("1,first," + at.toInstant(), "2,null,null", "3,third 'quoted' ?," + at.plusHours(1).toInstant());

        var renamed = db.execute("probe renamed", () -> db.sql().update(PROBE).set(NAME, "renamed").where(ID.ge(2L)), new Object[] {"renamed", 2L},
                "renaming probes");
        assertThat(renamed).isEqualTo(2);
        db.sql().deleteFrom(PROBE).execute();
    }

    @Test
    void aStatementWhoseParametersDoNotMatchItsValuesIsRefused() {
        assertThatThrownBy(() -> db.execute("probe with a value too few", () -> db.sql().insertInto(PROBE, ID, NAME).values(9L, "x"),
                new Object[] {9L}, "inserting a probe")).isInstanceOf(IllegalStateException.class).hasMessageContaining("2 parameters");
        assertThat(rows()).isEmpty();
    }

    /**
     * A text longer than its column came from a request: bad input ({@link Failure.Kind#INVALID},
     * every dialect's 400), never a bug's 500, by this path and by jOOQ's alike, and the
     * transaction it was in leaves nothing behind. 101 emoji are 101 characters and 202 chars.
     */
    @Test
    void aTextLongerThanItsColumnIsInvalidByEitherPathAndLeavesNothing() {
        var tooLong = "\uD83D\uDE42".repeat(101);
        assertThatThrownBy(() -> db.inTransaction(() -> {
            insert(11, "kept only with the next", null);
            return insert(12, tooLong, null);
        })).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID);
            assertThat(f.getMessage()).isEqualTo(Database.TOO_LONG_REFUSED);
        });
        assertThatThrownBy(() -> db.sql().insertInto(PROBE, ID, NAME).values(13L, tooLong).execute())
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID));
        assertThat(rows()).isEmpty();
        assertThat(insert(14, "x".repeat(100), null)).isEqualTo(1);
        db.sql().deleteFrom(PROBE).execute();
    }

    @Test
    void aRefusedConstraintIsThrownAsJooqThrowsIt() {
        insert(7, "once", null);
        assertThatThrownBy(() -> insert(7, "twice", null)).isInstanceOf(IntegrityConstraintViolationException.class);
        assertThat(rows()).containsExactly("7,once,null");
        db.sql().deleteFrom(PROBE).execute();
    }
}
