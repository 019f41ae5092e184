package io.dossier.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.query.Condition;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    private final Caller client = new Caller.AsClient(1, 7, "abc", null, Set.of("Get_Basic"), RecordFilters.NONE);

    @Test
    void aClientHoldsOnlyTheScopesItWasGiven() {
        assertThat(client.hasScope("Get_Basic")).isTrue();
        assertThat(client.hasScope("Upload_documents")).isFalse();
        client.requireScope("Get_Basic");
        assertThatThrownBy(() -> client.requireScope("Upload_documents"))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.FORBIDDEN))
                .hasMessageContaining("Upload_documents");
        var none = new Caller.AsClient(1, 8, "def", 3L, Set.of(), RecordFilters.NONE);
        assertThat(none.hasScope("Get_Basic")).isFalse();
        assertThat(none.userId()).contains(3L);
    }

    @Test
    void aUserAndDossierItselfHoldEveryScopeAndNoFilter() {
        for (var caller : new Caller[] {new Caller.AsUser(1, 5), new Caller.Internal(1, "test")}) {
            assertThat(caller.hasScope("anything")).isTrue();
            assertThat(caller.filters().isEmpty()).isTrue();
        }
        assertThat(new Caller.AsUser(1, 5).userId()).contains(5L);
        assertThat(new Caller.Internal(1, "test").userId()).isEmpty();
    }

    @Test
    void onlyAClientMayActAsOne() {
        assertThat(client.requireClient()).isSameAs(client);
        assertThatThrownBy(() -> new Caller.AsUser(1, 5).requireClient())
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.FORBIDDEN));
    }

    @Test
    void filtersAreByRecordTypeName() {
        var condition = new Condition.Compare("Person.city", Condition.Op.EQ, "Utrecht");
        var filters = new RecordFilters(Map.of("Candidate", condition));
        assertThat(filters.forType("Candidate")).contains(condition);
        assertThat(filters.forType("Vacancy")).isEmpty();
    }
}
