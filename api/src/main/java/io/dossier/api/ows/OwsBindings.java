package io.dossier.api.ows;

import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How OWS names Dossier's record types on the wire: the data service that serves each
 * ({@code CandidateService}, called as {@code Otys.Services.CandidateService.getListEx}) and the
 * {@code objectEntityId} of its dossier. Core knows the types by their qualified names only
 * ({@code recruiting.Candidate}); this table is the one place where the two meet. A record type
 * without a line here is not served by OWS.
 */
final class OwsBindings {

    /** One line of the table: data service, qualified record type, objectEntityId (null: the type has no dossier). */
    record Binding(String service, String type, Integer entityId) {
    }

    static final List<Binding> TABLE = List.of(
            new Binding("CandidateService", "recruiting.Candidate", 2),
            new Binding("VacancyService", "recruiting.Vacancy", 1),
            new Binding("RelationService", "crm.Relation", 3),
            new Binding("RelationContactService", "crm.RelationContact", 4),
            new Binding("UserService", "directory.User", null),
            new Binding("DocumentTypeService", "documents.DocumentType", null),
            new Binding("TaskService", "recruiting.Task", 28),
            new Binding("SalesTrajectoryService", "crm.SalesTrajectory", 48),
            new Binding("ProjectService", "recruiting.Project", 158),
            new Binding("WebsiteService", "publishing.Website", null),
            new Binding("SendingProfileService", "mail.SendingProfile", null),
            new Binding("ProcedureService", "recruiting.Procedure", null),
            new Binding("ProcedureStatus1Service", "recruiting.ProcedureStatus1", null),
            new Binding("ProcedureStatus2Service", "recruiting.ProcedureStatus2", null),
            new Binding("ProcedureStatus3Service", "recruiting.ProcedureStatus3", null),
            new Binding("MatchCriteriaService", "recruiting.MatchCriterion", null),
            new Binding("JobSearchAgentService", "recruiting.JobSearchAgent", null),
            new Binding("ReferrerPortalService", "recruiting.ReferrerPortal", null),
            new Binding("AssignmentService", "recruiting.Assignment", null),
            new Binding("FreeInteractionService", "forms.InteractionForm", null),
            new Binding("FreeInteractionAnswerSetService", "forms.InteractionAnswerSet", null),
            new Binding("Sdv2SnippetService", "documents.Snippet", null),
            new Binding("Sdv2QuestionService", "documents.SnippetQuestion", null));

    /** The qualified name of the document types, which OWS dossiers check attachments against. */
    static final String DOCUMENT_TYPE = "documents.DocumentType";

    /** A data service with the record type it serves. */
    record Service(String name, RecordType type, Integer entityId) {
    }

    private final Map<String, Service> byService = new LinkedHashMap<>();
    private final Map<String, Service> byType = new LinkedHashMap<>();

    /** Binds the table to {@code schemas}; a line naming a type that is not defined is a start-up error. */
    OwsBindings(Schemas schemas) {
        var lines = new LinkedHashMap<String, Binding>();
        for (var binding : TABLE) {
            lines.put(binding.type(), binding);
        }
        // in the order of the definitions, which is the order of the info pages
        for (var type : schemas.all()) {
            var binding = lines.remove(type.qualifiedName());
            if (binding != null) {
                var service = new Service(binding.service(), type, binding.entityId());
                byService.put(service.name(), service);
                byType.put(type.qualifiedName(), service);
            }
        }
        if (!lines.isEmpty()) {
            throw new IllegalStateException("OWS binds record types that are not defined: " + lines.keySet());
        }
    }

    static Binding line(String qualifiedType) {
        return TABLE.stream().filter(b -> b.type().equals(qualifiedType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("OWS binds no data service to " + qualifiedType));
    }

    Optional<Service> byService(String service) {
        return Optional.ofNullable(byService.get(service));
    }

    /** The data service of {@code type}; every type OWS was given to serve has one. */
    Service of(RecordType type) {
        var service = byType.get(type.qualifiedName());
        if (service == null) {
            throw new IllegalArgumentException("OWS serves no " + type.qualifiedName());
        }
        return service;
    }

    /** The data service of {@code type}, if OWS serves it. */
    Optional<Service> byType(RecordType type) {
        return Optional.ofNullable(byType.get(type.qualifiedName()));
    }

    RecordType type(String qualifiedType) {
        var service = byType.get(qualifiedType);
        if (service == null) {
            throw new IllegalArgumentException("OWS serves no " + qualifiedType);
        }
        return service.type();
    }

    List<Service> all() {
        return new ArrayList<>(byService.values());
    }
}
