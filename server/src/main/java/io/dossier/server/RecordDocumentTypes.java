package io.dossier.server;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.document.DocumentService;
import io.dossier.core.document.DocumentTypeRule;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * Document types as records of the declared {@code DocumentType} type (definitions/document-type.def):
 * {@code forDocuments} says whether a type is for documents, and one boolean field per container
 * record type says whether its documents may have the type. One read per look-up.
 */
final class RecordDocumentTypes implements DocumentService.Types {

    /** Container record type → the field of a document type that allows it. */
    static final Map<String, String> CONTAINER_FLAGS = Map.of(
            "Vacancy", "forVacancies",
            "Candidate", "forCandidates",
            "Relation", "forCustomers",
            "RelationContact", "forCustomerContacts",
            "Task", "forTasks",
            "SalesTrajectory", "forSales",
            "Project", "forProjects");

    private final RecordService records;
    private final RecordType type;

    RecordDocumentTypes(RecordService records, RecordType documentTypes) {
        this.records = records;
        this.type = documentTypes;
    }

    @Override
    public Optional<DocumentTypeRule> find(Caller caller, String typeId) {
        if (typeId == null || typeId.isEmpty()) {
            return Optional.empty();
        }
        var fields = new LinkedHashSet<String>(CONTAINER_FLAGS.values());
        fields.add("forDocuments");
        Map<String, Object> flags;
        try {
            flags = records.detail(caller, type, typeId, fields, null);
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw failure;
        }
        var containers = new HashSet<String>();
        CONTAINER_FLAGS.forEach((container, flag) -> {
            if (Boolean.TRUE.equals(flags.get(flag))) {
                containers.add(container);
            }
        });
        return Optional.of(new DocumentTypeRule(typeId, Boolean.TRUE.equals(flags.get("forDocuments")), containers));
    }
}
