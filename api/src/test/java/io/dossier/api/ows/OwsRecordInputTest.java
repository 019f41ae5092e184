package io.dossier.api.ows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.schema.Schemas;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** OWS's collection wire shape and PHP's empty object become core values here, not in core. */
class OwsRecordInputTest {

    static final io.dossier.core.schema.RecordType CANDIDATE = Schemas.builtIn().type("recruiting.Candidate").orElseThrow();

    @Test
    void aCollectionObjectBecomesItemsByKeyAndDeletions() {
        var input = OwsRecordInput.of(CANDIDATE, Map.of("Person", Map.of(
                "lastName", "Jansen",
                "PhoneNumbers", Map.of("2", Map.of("phoneNumber", "06"), "DELETE", List.of("1", 3)))));
        var person = (Map<?, ?>) input.get("Person");
        assertThat(person.get("lastName")).isEqualTo("Jansen");
        assertThat(person.get("PhoneNumbers")).isEqualTo(new CollectionEdit(Map.of("2", Map.of("phoneNumber", "06")), Set.of("1", "3")));
    }

    @Test
    void aListIsKeyedByPositionAndPhpsEmptyArrayIsAnEmptyObject() {
        var input = OwsRecordInput.of(CANDIDATE, Map.of("Addresses", List.of(Map.of("city", "Utrecht"), List.of()), "Person", List.of()));
        assertThat(input.get("Addresses")).isEqualTo(CollectionEdit.of(Map.of("1", Map.of("city", "Utrecht"), "2", Map.of())));
        assertThat(input.get("Person")).isEqualTo(Map.of());
        var deletes = OwsRecordInput.of(CANDIDATE, Map.of("Addresses", Map.of("DELETE", Map.of("0", "1"))));
        assertThat(deletes.get("Addresses")).isEqualTo(new CollectionEdit(Map.of(), Set.of("1")));
        var withNull = new java.util.LinkedHashMap<String, Object>();
        withNull.put("a", null);
        withNull.put("b", 1.0E308);
        var fuzzed = OwsRecordInput.of(CANDIDATE, Map.of("Addresses", Map.of("DELETE", withNull)));   // FuzzIT seed 20261202
        assertThat(fuzzed.get("Addresses")).isEqualTo(new CollectionEdit(Map.of(), Set.of("null", "1.0E308")));
    }

    @Test
    void whatItDoesNotKnowIsLeftForCoreToRefuse() {
        var input = OwsRecordInput.of(CANDIDATE, Map.of("shoeSize", 44, "statusId", List.of()));
        assertThat(input).containsEntry("shoeSize", 44).containsEntry("statusId", List.of());
        assertThatThrownBy(() -> OwsRecordInput.of(CANDIDATE, Map.of("Addresses", Map.of("DELETE", "1"))))
                .isInstanceOf(Failure.class).hasMessage("Addresses.DELETE expects a list of item keys");
        assertThatThrownBy(() -> OwsRecordInput.of(CANDIDATE, Map.of("Addresses", "x")))
                .isInstanceOf(Failure.class).hasMessage("field Addresses expects an object, got x");
        assertThatThrownBy(() -> OwsRecordInput.of(CANDIDATE, Map.of("Addresses", Map.of("1", List.of("a")))))
                .isInstanceOf(Failure.class).hasMessage("field Addresses expects an object, got a list");
    }
}
