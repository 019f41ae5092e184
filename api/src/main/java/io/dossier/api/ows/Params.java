package io.dossier.api.ows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Positional parameters of an OWS call, read with clear errors when a client sends the wrong shape. */
record Params(String method, List<Object> values, io.dossier.core.session.Session resolved) {

    Params(String method, List<Object> values) {
        this(method, values, null);
    }

    /**
     * The positional parameters a client sent: a list as it is, or an object keyed {@code "0"},
     * {@code "1"}, … as a PHP client sends an array it added named entries to
     * ({@code {"0":"<session>","what":{…}}}): the numbered entries in order, then the named ones
     * together as one object (there: the list options). Null for anything else, which callers refuse.
     */
    static List<Object> positional(Object raw) {
        if (raw instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        if (!(raw instanceof Map<?, ?> map) || !map.containsKey("0")) {
            return null;
        }
        var out = new ArrayList<Object>();
        for (int i = 0; map.containsKey(Integer.toString(i)); i++) {
            out.add(map.get(Integer.toString(i)));
        }
        var named = new java.util.LinkedHashMap<String, Object>();
        map.forEach((key, value) -> {
            if (!String.valueOf(key).matches("[0-9]+")) {
                named.put(String.valueOf(key), value);
            }
        });
        if (out.size() + named.size() != map.size()) {
            return null;   // numbered with a gap (or "01"): not an array
        }
        if (!named.isEmpty()) {
            out.add(named);
        }
        return out;
    }

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
