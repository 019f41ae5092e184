package io.dossier.core.record;

import java.util.Map;
import java.util.Set;

/**
 * What an update changes, already checked and typed.
 *
 * @param values      non-translatable row fields to set (a null value clears the field)
 * @param language    the content language of {@code translated}
 * @param translated  translatable row fields to set in {@code language}
 * @param collections collection path → its changes
 */
public record RecordChanges(Map<String, Object> values, String language, Map<String, Object> translated,
                            Map<String, CollectionChanges> collections) {

    /**
     * @param upserts item key → child fields to set; an item with a new key is added
     * @param deletes item keys to remove
     */
    public record CollectionChanges(Map<String, Map<String, Object>> upserts, Set<String> deletes) {
    }
}
