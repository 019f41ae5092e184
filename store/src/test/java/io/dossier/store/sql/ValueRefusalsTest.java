package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A text that a column cannot hold came from a request: it is refused as bad input
 * ({@link Failure.Kind#INVALID}, which every dialect answers as its own 400), never as a bug's
 * 500, and the transaction it was in leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ValueRefusalsTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    protected Database db;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        db = testDatabase.database();
        db.sql().execute("CREATE TABLE refusal_test (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL)");
    }

    @AfterAll
    void close() {
        testDatabase.close();
    }

    @Test
    void aTextLongerThanItsColumnIsInvalidAndLeavesNothing() {
        assertThatThrownBy(() -> db.inTransaction(() -> {
            insert(1, "short");
            return insert(2, "\uD83D\uDE42".repeat(11));
        })).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID);
            assertThat(f.getMessage()).isEqualTo(Database.TOO_LONG_REFUSED);
        });
        assertThat(db.sql().fetchCount(DSL.table("refusal_test"))).as("the refused transaction's first insert").isZero();

        assertThatThrownBy(() -> insert(3, "x".repeat(11))).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID));
        assertThat(insert(4, "x".repeat(10))).isEqualTo(1);
    }

    private int insert(int id, String name) {
        return db.sql().insertInto(DSL.table("refusal_test"), DSL.field("id", Integer.class), DSL.field("name", String.class))
                .values(id, name).execute();
    }
}
