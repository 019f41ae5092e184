package io.dossier.core.schema;

import java.util.List;
import java.util.Optional;

/**
 * One field of a record type. {@code path} is its dotted name from the record root
 * ({@code Person.firstName}); containers and collections have {@code children}. A field that
 * {@code refers} to a record type (qualified name, else null) holds the uid of one of its records,
 * which must exist for whoever writes it.
 */
public record FieldDef(String name, String path, FieldType type, FieldFlags flags, String optionList, String refers,
                       String dataTypeComment, String comment, List<FieldDef> children) {

    public FieldDef {
        // interned: maps of a record's values are keyed by these names, and a lookup with the very
        // same string is decided by identity, without comparing its characters
        name = name == null ? null : name.intern();
        path = path == null ? null : path.intern();
        children = List.copyOf(children);
    }

    public Optional<FieldDef> child(String childName) {
        return Optional.ofNullable(named(children, childName));
    }

    /** The field of {@code fields} called {@code name}, or null (a loop: this runs for every value of every line an import reads). */
    public static FieldDef named(List<FieldDef> fields, String name) {
        for (var field : fields) {
            if (field.name().equals(name)) {
                return field;
            }
        }
        return null;
    }

    public boolean isCollection() {
        return type == FieldType.COLLECTION;
    }

    public boolean isContainer() {
        return type == FieldType.CONTAINER;
    }
}
