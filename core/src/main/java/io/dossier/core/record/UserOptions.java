package io.dossier.core.record;

import java.util.Map;

/**
 * A tenant's users as the values of a field with the {@code users} option list: user id → display
 * name. Checking one value asks for that user only ({@link #has}), so that a write does not read
 * every user of a tenant that may have thousands.
 */
@FunctionalInterface
public interface UserOptions {

    /** Every user of the tenant, as option values (for option lists shown to clients). */
    Map<String, String> all(long tenantId);

    /** Whether {@code value} is the id of one of the tenant's users. */
    default boolean has(long tenantId, String value) {
        return all(tenantId).containsKey(value);
    }
}
