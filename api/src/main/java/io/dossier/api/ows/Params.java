package io.dossier.api.ows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Positional parameters of an OWS call, read with clear errors when a client sends the wrong shape. */
record Params(String method, List<Object> values) {

    int size() {
        return values.size();
    }

    Object get(int index) {
        return index < values.size() ? values.get(index) : null;
    }

    String string(int index, String name) {
        var value = get(index);
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        throw OwsError.invalidParams(method + ": parameter " + (index + 1) + " (" + name + ") must be a string");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(int index, String name, boolean optional) {
        var value = get(index);
        if (value == null && optional) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        if (value instanceof List<?> list && list.isEmpty()) {
            return Map.of();   // PHP encodes an empty object as []
        }
        throw OwsError.invalidParams(method + ": parameter " + (index + 1) + " (" + name + ") must be an object");
    }

    List<?> list(int index, String name) {
        var value = get(index);
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            return new ArrayList<>(map.values());   // may hold nulls, which the caller refuses item by item
        }
        throw OwsError.invalidParams(method + ": parameter " + (index + 1) + " (" + name + ") must be a list");
    }
}
