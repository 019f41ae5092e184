package io.dossier.core.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A record type as declared by its definition file: its name in a namespace, the name its data is
 * stored under, its fields (nested containers and keyed collections), and its option lists.
 * Storage, validation, query checks, option lists and info pages all derive from this one value.
 * How a dialect calls the type on the wire is the dialect's business, not this value's.
 *
 * @param namespace   the domain the type belongs to, e.g. {@code recruiting}; lower-case letters and digits
 * @param name        the record type within its namespace, e.g. {@code Candidate}
 * @param storageName what storage names its tables and references after ({@code Candidate}); pinned in
 *                    the definition for types whose data already exists, so that data never moves
 * @param readOnly    no add, update or delete
 * @param numbered    uids are whole numbers counted per tenant (1, 2, …), as clients that store them as numbers need;
 *                    an add may choose a free one
 * @param visibleWith how a record filter on another type reaches this one (null: it does not)
 * @param listIndexes the lists of this type its clients ask for often, each of which storage keeps an index for
 */
public record RecordType(String namespace, String name, String storageName, boolean readOnly, boolean numbered, String description,
                         List<FieldDef> fields, Map<String, OptionList> optionLists, VisibleWith visibleWith, List<ListIndex> listIndexes) {

    public RecordType {
        fields = List.copyOf(fields);
        optionLists = Map.copyOf(optionLists);
        listIndexes = List.copyOf(listIndexes);
    }

    /**
     * A record of this type is visible to a caller with a record filter on {@code type} only when a
     * record of {@code type} whose {@code relatedField} equals this record's {@code field} meets that
     * filter (definition line {@code visibleWith hr.Employment personCode=personCode}). A filter
     * the caller has on this type itself wins.
     */
    public record VisibleWith(String type, String field, String relatedField) {
    }

    /**
     * A list of records clients ask for often (definition line {@code index statusId,
     * Person.lastName, Person.firstName}): the fields it matches by equality, then those it sorts
     * by, in that order, each ascending unless marked {@code desc}. Storage keeps an index of them
     * per tenant, so that a page of such a list is read in the index's order instead of sorting
     * every match (a sort that descends puts the records without a value last, as every sort does).
     */
    public record ListIndex(List<Key> keys) {

        public ListIndex {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("an index names at least one field");
            }
        }

        /** One field of the index, by its path. */
        public record Key(String path, boolean descending) {
        }
    }

    /**
     * Hashes the names only (equal types have equal names, so this agrees with the record's equals):
     * the generated hash walks every field definition, and types key per-request map lookups.
     */
    @Override
    public int hashCode() {
        return java.util.Objects.hash(namespace, name, storageName);
    }

    /** {@code namespace.name}, e.g. {@code recruiting.Candidate}: how core looks the type up. */
    public String qualifiedName() {
        return namespace + "." + name;
    }

    /** The storage name of a type that does not pin one: unique because qualified names are. */
    public static String defaultStorageName(String namespace, String name) {
        return namespace + "_" + name;
    }

    /** The field at a dotted path ({@code Person.firstName}, {@code PhoneNumbers.type}). */
    public Optional<FieldDef> field(String path) {
        var level = fields;
        FieldDef current = null;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            current = FieldDef.named(level, dot < 0 ? path.substring(start) : path.substring(start, dot));
            if (current == null || dot < 0) {
                return Optional.ofNullable(current);
            }
            level = current.children();
            start = dot + 1;
        }
    }

    /** Every scalar field outside collections, containers flattened: what a record row holds. */
    public List<FieldDef> rowFields() {
        var out = new ArrayList<FieldDef>();
        collect(fields, out);
        return out;
    }

    private static void collect(List<FieldDef> fields, List<FieldDef> out) {
        for (var field : fields) {
            if (field.isContainer()) {
                collect(field.children(), out);
            } else if (field.type().scalar()) {
                out.add(field);
            }
        }
    }

    /** Every collection field (at any container depth, not inside another collection). */
    public List<FieldDef> collections() {
        var out = new ArrayList<FieldDef>();
        collectCollections(fields, out);
        return out;
    }

    private static void collectCollections(List<FieldDef> fields, List<FieldDef> out) {
        for (var field : fields) {
            if (field.isCollection()) {
                out.add(field);
            } else if (field.isContainer()) {
                collectCollections(field.children(), out);
            }
        }
    }

    /** The collection a path lies in, if any: {@code PhoneNumbers} for {@code PhoneNumbers.type}. */
    public Optional<FieldDef> collectionOf(String path) {
        return collections().stream().filter(c -> path.startsWith(c.path() + ".")).findFirst();
    }
}
