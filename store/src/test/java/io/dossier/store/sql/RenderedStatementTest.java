package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a statement rendered with named parameters becomes one with {@code ?} and a list of names ({@link Database#positional}). */
class RenderedStatementTest {

    @Test
    void namedParametersBecomePlaceholdersInTheirOrderAndRepeatsAreKept() {
        var statement = Database.positional("select a from t where b = :tenant and (c = :user or d = :user) and e > cast(:after as timestamp)");
        assertThat(statement.sql()).isEqualTo("select a from t where b = ? and (c = ? or d = ?) and e > cast(? as timestamp)");
        assertThat(statement.names()).containsExactly("tenant", "user", "user", "after");
    }

    @Test
    void quotedTextAndCastsAreLeftAlone() {
        var statement = Database.positional("select 'a :b' || \"x:y\", c::text from t where d = :d");
        assertThat(statement.sql()).isEqualTo("select 'a :b' || \"x:y\", c::text from t where d = ?");
        assertThat(statement.names()).isEqualTo(List.of("d"));
    }

    @Test
    void aParameterWithoutANameIsRefused() {
        assertThatThrownBy(() -> Database.positional("select a from t where b = :1")).isInstanceOf(IllegalStateException.class);
    }
}
