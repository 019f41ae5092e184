package io.dossier.core.record;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an add or update does to one collection field of a record: the items to put, each under its
 * item key (an item that exists is replaced), and the keys of items to delete. It is the value of a
 * collection field in the input of {@link RecordService#add} and {@link RecordService#update};
 * a dialect builds it from its own wire shape.
 *
 * @param items     item key → the item's fields (plain values; nested containers as maps)
 * @param deletions item keys to remove (only on update, and only where the collection allows it)
 */
public record CollectionEdit(Map<String, Map<String, Object>> items, Set<String> deletions) {

    public CollectionEdit {
        items = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(items));
        deletions = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(deletions));
    }

    /** Just these items, deleting nothing. */
    public static CollectionEdit of(Map<String, Map<String, Object>> items) {
        return new CollectionEdit(items, Set.of());
    }
}
