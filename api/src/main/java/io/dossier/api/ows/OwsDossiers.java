package io.dossier.api.ows;

import io.dossier.core.Failure;
import io.dossier.core.document.Document;
import io.dossier.core.document.DocumentService;
import io.dossier.core.document.ListedDocument;
import io.dossier.core.document.Placement;
import io.dossier.core.record.RecordService;
import io.dossier.core.paging.Page;
import io.dossier.core.access.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dossier side of OWS files (manual chapter 3): {@code AttachedDocumentsService} binds an
 * uploaded file to the dossier of a record, {@code DossierService} lists and counts a dossier.
 * Documents themselves are core's; this class maps OWS entity keys, entity ids and document-type
 * flags onto them.
 */
final class OwsDossiers {

    /**
     * The record types that have dossiers: entity key, OWS objectEntityId (from {@link OwsBindings}),
     * qualified record type, document type flag.
     */
    record Entity(String key, int entityId, String recordType, String typeFlag) {

        static Entity of(String key, String recordType, String typeFlag) {
            return new Entity(key, OwsBindings.line(recordType).entityId(), recordType, typeFlag);
        }
    }

    static final List<Entity> ENTITIES = List.of(
            Entity.of("vacancyUid", "recruiting.Vacancy", "forVacancies"),
            Entity.of("candidateUid", "recruiting.Candidate", "forCandidates"),
            Entity.of("relationUid", "crm.Relation", "forCustomers"),
            Entity.of("relationContactUid", "crm.RelationContact", "forCustomerContacts"),
            Entity.of("taskUid", "recruiting.Task", "forTasks"),
            Entity.of("salesTrajectoryUid", "crm.SalesTrajectory", "forSales"),
            Entity.of("projectUid", "recruiting.Project", "forProjects"));

    /** Extra fields real clients send with add, kept as document attributes (strings, as they arrive). */
    private static final Set<String> ATTRIBUTES = Set.of("private", "alwaysOnTop", "customerRightsLevel", "applicationUid", "description");

    private final DocumentService documents;
    private final RecordService records;
    private final OwsBindings bindings;

    OwsDossiers(DocumentService documents, RecordService records, OwsBindings bindings) {
        this.documents = documents;
        this.records = records;
        this.bindings = bindings;
    }

    Object attachedDocuments(String method, Caller caller, Params params) {
        return switch (method) {
            case "add" -> Long.toString(add(caller, params.object(1, "fields", false)).id());
            case "getDetail" -> detail(documents.document(caller, id(params.string(1, "id"))));
            case "update" -> {
                var fields = params.object(2, "fields", false);
                for (var key : fields.keySet()) {
                    if (!key.equals("subject") && !key.equals("typeId") && !ATTRIBUTES.contains(key)) {
                        throw OwsError.invalidParams("field " + key + " of AttachedDocumentsService cannot be updated");
                    }
                }
                var document = documents.document(caller, id(params.string(1, "id")));
                var typeId = fields.containsKey("typeId") ? text(fields.get("typeId")) : null;
                if (typeId != null) {
                    checkType(caller, typeId, entityOf(document.containerType()));
                }
                documents.update(caller, document.id(), typeId, fields.containsKey("subject") ? text(fields.get("subject")) : null,
                        attributes(fields));
                yield true;
            }
            case "delete" -> {
                documents.delete(caller, id(params.string(1, "id")));
                yield true;
            }
            default -> throw new OwsError(OwsError.METHOD_NOT_FOUND, "Method not found: Otys.Services.AttachedDocumentsService." + method);
        };
    }

    Object dossier(String method, Caller caller, Params params) {
        var search = params.object(1, "search", false);
        var entity = entityById(search.get("objectEntityId"));
        var uid = text(search.get("objectUid"));
        if (uid == null || uid.isBlank()) {
            throw OwsError.invalidParams("objectUid is required");
        }
        var restrict = search.get("restrictClass");
        if (restrict instanceof List<?> classes && !classes.isEmpty() && !classes.contains("AttachedDocs")) {
            return method.equals("getCount") ? 0 : List.of();   // only attached documents live in dossiers here
        }
        if (!records.exists(caller, type(entity), uid)) {
            throw Failure.notFound("no " + type(entity).name() + " with uid " + uid);
        }
        return switch (method) {
            case "getCount" -> documents.count(caller, container(entity), uid);
            case "getList" -> {
                // a negative offset or limit here reads as 0, as it always has (unlike getListEx, which refuses a negative offset)
                var offset = Math.max(0, OwsQueries.number(search.get("offset"), "offset", 0));
                var limit = OwsQueries.PAGES.capped(OwsQueries.number(search.get("limit"), "limit", OwsQueries.PAGES.standard()));
                var out = new ArrayList<Object>();
                for (var listed : documents.page(caller, container(entity), uid, new Page(offset, limit, false))) {
                    out.add(listItem(listed, entity));
                }
                yield out;
            }
            default -> throw new OwsError(OwsError.METHOD_NOT_FOUND, "Method not found: Otys.Services.DossierService." + method);
        };
    }

    private Document add(Caller caller, Map<String, Object> fields) {
        Entity entity = null;
        String uid = null;
        for (var key : fields.keySet()) {
            var match = ENTITIES.stream().filter(e -> e.key().equals(key)).findFirst();
            if (match.isPresent()) {
                if (entity != null) {
                    throw OwsError.invalidParams("give one entity key, not " + entity.key() + " and " + key);
                }
                entity = match.get();
                uid = text(fields.get(key));
            } else if (!Set.of("fileUid", "typeId", "subject").contains(key) && !ATTRIBUTES.contains(key)) {
                throw OwsError.invalidParams("unknown field " + key + " in AttachedDocumentsService");
            }
        }
        if (entity == null) {
            throw OwsError.invalidParams("an entity key is required: one of "
                    + String.join(", ", ENTITIES.stream().map(Entity::key).toList()));
        }
        var fileUid = text(fields.get("fileUid"));
        if (fileUid == null || fileUid.isBlank()) {
            throw OwsError.invalidParams("fileUid is required");
        }
        var typeId = text(fields.get("typeId"));
        if (typeId == null || typeId.isBlank()) {
            throw OwsError.invalidParams("typeId is required");
        }
        var forEntity = entity;
        return documents.attach(caller, container(entity), uid, fileUid, typeId,
                text(fields.get("subject")), attributes(fields), placement -> refusal(placement, typeId, forEntity));
    }

    /** Core's placement rule (the type exists, is for documents, and for this kind of record), refused in OWS words. */
    private void checkType(Caller caller, String typeId, Entity entity) {
        var placement = documents.placement(caller, typeId, container(entity));
        if (placement != Placement.ALLOWED) {
            throw refusal(placement, typeId, entity);
        }
    }

    private OwsError refusal(Placement placement, String typeId, Entity entity) {
        return switch (placement) {
            case ALLOWED -> throw new IllegalArgumentException("an allowed placement is not refused");
            case UNKNOWN_TYPE -> OwsError.invalidParams("unknown document type " + typeId);
            case NOT_FOR_DOCUMENTS -> OwsError.invalidParams("document type " + typeId + " is not for documents");
            case NOT_FOR_CONTAINER -> OwsError.invalidParams("document type " + typeId + " is not for " + type(entity).name()
                    + " dossiers (" + entity.typeFlag() + ")");
        };
    }

    private Map<String, Object> detail(Document document) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", Long.toString(document.id()));
        var entity = entityOf(document.containerType());
        out.put(entity.key(), document.containerUid());
        out.put("fileUid", document.file().ouid());
        out.put("typeId", document.typeId());
        out.put("subject", document.subject());
        out.put("fileName", document.file().name());
        out.put("fileSize", document.file().size());
        out.put("mimeType", document.file().mediaType());
        out.put("entryDateTime", document.createdAt());
        out.put("creatorId", document.createdBy());
        out.putAll(document.attributes());
        return out;
    }

    private Map<String, Object> listItem(ListedDocument listed, Entity entity) {
        var document = listed.document();
        var out = new LinkedHashMap<String, Object>();
        out.put("id", Long.toString(document.id()));
        out.put("id_rec", document.file().ouid());
        out.put("class", "AttachedDocs");
        out.put("objectEntityId", entity.entityId());
        out.put("objectUid", document.containerUid());
        out.put("subject", document.subject());
        out.put("typeId", document.typeId());
        out.put("type", document.typeId() == null ? null : listed.typeName());
        out.put("fileName", document.file().name());
        out.put("fileSize", document.file().size());
        out.put("mimeType", document.file().mediaType());
        out.put("entryDateTime", document.createdAt());
        out.put("creatorId", document.createdBy());
        out.put("creator", document.createdBy() == null ? null : listed.creatorName());
        out.putAll(document.attributes());
        return out;
    }

    private io.dossier.core.schema.RecordType type(Entity entity) {
        return bindings.type(entity.recordType());
    }

    /** What documents name a record type's dossiers by: its storage name, so that attached documents stay attached. */
    private String container(Entity entity) {
        return type(entity).storageName();
    }

    private Entity entityOf(String containerType) {
        return ENTITIES.stream().filter(e -> container(e).equals(containerType)).findFirst().orElseThrow();
    }

    private static Entity entityById(Object raw) {
        var id = OwsQueries.number(raw, "objectEntityId", -1);
        return ENTITIES.stream().filter(e -> e.entityId() == id).findFirst().orElseThrow(() -> OwsError.invalidParams(
                "objectEntityId must be one of 1 (vacancies), 2 (candidates), 3 (customers), 4 (customer contacts), 28 (tasks), "
                        + "48 (sales trajectories), 158 (projects)"));
    }

    private static Map<String, String> attributes(Map<String, Object> fields) {
        var out = new LinkedHashMap<String, String>();
        for (var name : ATTRIBUTES) {
            if (fields.containsKey(name) && fields.get(name) != null) {
                out.put(name, String.valueOf(fields.get(name)));
            }
        }
        return out;
    }

    private static long id(String raw) {
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw Failure.notFound("no attached document " + raw);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value instanceof String s ? s : String.valueOf(value);
    }
}
