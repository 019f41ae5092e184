package io.dossier.core.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A record type as declared by its definition file: the OWS data service that serves it, its
 * fields (nested containers and keyed collections), and its option lists. Storage, validation,
 * query checks, option lists and info pages all derive from this one value.
 *
 * @param service    data service name without the {@code Otys.Services.} prefix, e.g. {@code CandidateService}
 * @param name       the record type, e.g. {@code Candidate}
 * @param entityId   OWS {@code objectEntityId} of the type's dossier, or null
 * @param readOnly   no add, update or delete through the API
 */
public record RecordType(String service, String name, Integer entityId, boolean readOnly, String description,
                         List<FieldDef> fields, Map<String, OptionList> optionLists) {

    public RecordType {
        fields = List.copyOf(fields);
        optionLists = Map.copyOf(optionLists);
    }

    /** The field at a dotted path ({@code Person.firstName}, {@code PhoneNumbers.type}). */
    public Optional<FieldDef> field(String path) {
        var parts = path.split("\\.", -1);
        Optional<FieldDef> current = fields.stream().filter(f -> f.name().equals(parts[0])).findFirst();
        for (int i = 1; i < parts.length && current.isPresent(); i++) {
            var name = parts[i];
            current = current.get().child(name);
        }
        return current;
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
