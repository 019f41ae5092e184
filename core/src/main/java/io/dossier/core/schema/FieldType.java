package io.dossier.core.schema;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The types a field of a record can have; containers and collections hold other fields. */
public enum FieldType {
    STRING, TEXT, INT, DOUBLE, BOOLEAN, DATE, DATETIME, CONTAINER, COLLECTION;

    /** The name used in definition files and shown on info pages: {@code string}, {@code datetime}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean scalar() {
        return this != CONTAINER && this != COLLECTION;
    }

    public static Optional<FieldType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
