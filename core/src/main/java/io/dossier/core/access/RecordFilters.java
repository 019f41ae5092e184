package io.dossier.core.access;

import io.dossier.core.query.Condition;
import java.util.Map;
import java.util.Optional;

/**
 * Per-client record filters: for a record type (by name), a condition every record the client
 * may see, count, read, change or attach to must meet. A record outside it does not exist for the
 * client ({@code NOT_FOUND}, never {@code FORBIDDEN}, never counted). Conditions are as an
 * administrator set them: checked and typed against the record type where they are applied.
 */
public record RecordFilters(Map<String, Condition> byType) {

    public static final RecordFilters NONE = new RecordFilters(Map.of());

    public RecordFilters {
        byType = Map.copyOf(byType);
    }

    public Optional<Condition> forType(String typeName) {
        return Optional.ofNullable(byType.get(typeName));
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }
}
