package io.dossier.api.ows;

import io.dossier.core.Failure;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code fields} of an OWS {@code add} or {@code update} into core's record input. The
 * OWS wire shapes stay here: a collection is an object of items by key ({@code {"1":{…},"2":{…}}})
 * or a list (keyed 1, 2, … in order), with a {@code DELETE} entry listing the item keys to remove;
 * PHP clients send an empty object as {@code []}. Core gets a {@link CollectionEdit} per collection
 * and maps for containers. A pick-list field sent as {@code -1} means "the default" to OTYS clients
 * ({@code "statusId":-1} when adding a candidate): it is left out, as if not sent. Anything this does
 * not recognise is passed on as it came, so that core refuses it with its own message (unknown field,
 * wrong type, …).
 */
final class OwsRecordInput {

    /** The key of a collection object that lists item keys to delete rather than an item. */
    static final String DELETE_KEY = "DELETE";

    private OwsRecordInput() {
    }

    static Map<String, Object> of(RecordType type, Map<String, Object> fields) {
        return fields(type.fields(), fields);
    }

    private static Map<String, Object> fields(List<FieldDef> fields, Map<String, Object> wire) {
        var out = new LinkedHashMap<String, Object>();
        for (var entry : wire.entrySet()) {
            var field = fields.stream().filter(f -> f.name().equals(entry.getKey())).findFirst().orElse(null);
            var raw = entry.getValue();
            if (field == null || raw == null) {
                out.put(entry.getKey(), raw);
            } else if (field.isContainer()) {
                out.put(entry.getKey(), container(field, raw));
            } else if (field.isCollection()) {
                out.put(entry.getKey(), collection(field, raw));
            } else if (field.optionList() != null && String.valueOf(raw).strip().equals("-1")) {
                continue;   // the default option
            } else {
                out.put(entry.getKey(), raw);
            }
        }
        return out;
    }

    private static Object container(FieldDef field, Object raw) {
        if (raw instanceof Map<?, ?> map) {
            return fields(field.children(), keyed(map));
        }
        if (raw instanceof List<?> list && list.isEmpty()) {
            return Map.of();   // PHP's empty object
        }
        return raw;
    }

    private static CollectionEdit collection(FieldDef field, Object raw) {
        Map<String, Object> entries;
        if (raw instanceof List<?> list) {
            entries = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                entries.put(Integer.toString(i + 1), list.get(i));
            }
        } else if (raw instanceof Map<?, ?> map) {
            entries = keyed(map);
        } else {
            throw notAnObject(field, raw);
        }
        var items = new LinkedHashMap<String, Map<String, Object>>();
        var deletions = new LinkedHashSet<String>();
        for (var entry : entries.entrySet()) {
            if (entry.getKey().equals(DELETE_KEY)) {
                var keys = entry.getValue() instanceof List<?> list ? list
                        : entry.getValue() instanceof Map<?, ?> map ? new ArrayList<Object>(map.values()) : null;   // values may be null
                if (keys == null) {
                    throw Failure.invalid(field.path() + "." + DELETE_KEY + " expects a list of item keys");
                }
                keys.forEach(key -> deletions.add(String.valueOf(key)));
                continue;
            }
            var item = entry.getValue();
            if (item instanceof Map<?, ?> map) {
                items.put(entry.getKey(), fields(field.children(), keyed(map)));
            } else if (item instanceof List<?> list && list.isEmpty()) {
                items.put(entry.getKey(), Map.of());
            } else {
                throw notAnObject(field, item);
            }
        }
        return new CollectionEdit(items, deletions);
    }

    private static Failure notAnObject(FieldDef field, Object raw) {
        return Failure.invalid("field " + field.path() + " expects an object, got " + (raw instanceof List<?> ? "a list" : String.valueOf(raw)));
    }

    private static Map<String, Object> keyed(Map<?, ?> map) {
        var out = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
