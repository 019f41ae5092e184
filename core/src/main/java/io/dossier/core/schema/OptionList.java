package io.dossier.core.schema;

import java.util.Map;

/** A named list of allowed values of a field: id → label, in definition order. */
public record OptionList(String name, Map<String, String> values) {

    /** The list computed from the tenant's users rather than declared. */
    public static final String USERS = "users";

    public OptionList {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
