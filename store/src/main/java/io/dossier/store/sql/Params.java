package io.dossier.store.sql;

import java.util.HashMap;
import java.util.Map;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The values of one statement as named parameters: each is put in the statement as
 * {@code DSL.param(name, value)}, so jOOQ binds it by its value when it runs the statement itself,
 * and {@link Database#read(Database.Plan, Object, java.util.function.Supplier, Map, String, Database.Rows)}
 * binds it by name when it runs the text rendered once for the statement's shape. The names follow
 * the order in which a statement is built, so two statements of one shape name their values alike.
 */
final class Params {

    private final Map<String, Object> values = new HashMap<>();

    /** A parameter named {@code name}; the same name twice is one value used twice (a tenant, say). */
    <T> Field<T> named(String name, T value) {
        values.put(name, value);
        return DSL.param(name, value);
    }

    /** The next of a condition's values, named {@code v} and a number. */
    <T> Field<T> next(T value) {
        return named("v" + values.size(), value);
    }

    /** A value for a parameter the statement names without one ({@code DSL.param(name, type)}). */
    void put(String name, Object value) {
        values.put(name, value);
    }

    Map<String, Object> values() {
        return values;
    }
}
