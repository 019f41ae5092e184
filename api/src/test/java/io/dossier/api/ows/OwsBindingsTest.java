package io.dossier.api.ows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.schema.DefinitionParser;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OWS's names for Dossier's record types live in the dialect, bound to qualified type names. */
class OwsBindingsTest {

    static final Schemas BUILT_IN = Schemas.builtIn();
    static final OwsBindings BINDINGS = new OwsBindings(BUILT_IN);

    @Test
    void everyShippedTypeIsServedByItsDataService() {
        assertThat(BINDINGS.all()).extracting(OwsBindings.Service::name).containsExactly(
                "CandidateService", "VacancyService", "RelationService", "RelationContactService", "UserService",
                "DocumentTypeService", "TaskService", "SalesTrajectoryService", "ProjectService", "WebsiteService",
                "SendingProfileService", "ProcedureStatus1Service", "ProcedureStatus2Service", "ProcedureStatus3Service", "ProcedureService",
                "MatchCriteriaService", "JobSearchAgentService", "ReferrerPortalService", "AssignmentService", "FreeInteractionService",
                "FreeInteractionAnswerSetService", "Sdv2SnippetService", "Sdv2QuestionService");
        assertThat(BINDINGS.byService("CandidateService")).map(s -> s.type().qualifiedName()).contains("recruiting.Candidate");
        assertThat(BINDINGS.byService("RelationContactService")).map(s -> s.type().name()).contains("RelationContact");
        assertThat(BINDINGS.byService("NoSuchService")).isEmpty();
        assertThat(BINDINGS.byService("Candidate")).isEmpty();
        assertThat(BINDINGS.of(BUILT_IN.type("directory.User").orElseThrow()).name()).isEqualTo("UserService");
        assertThat(BINDINGS.all().stream().filter(s -> s.type().readOnly()).map(OwsBindings.Service::name)).containsExactly("UserService");
    }

    @Test
    void entityIdsAreThoseOfOws() {
        assertThat(entity("VacancyService")).isEqualTo(1);
        assertThat(entity("CandidateService")).isEqualTo(2);
        assertThat(entity("RelationService")).isEqualTo(3);
        assertThat(entity("RelationContactService")).isEqualTo(4);
        assertThat(entity("TaskService")).isEqualTo(28);
        assertThat(entity("SalesTrajectoryService")).isEqualTo(48);
        assertThat(entity("ProjectService")).isEqualTo(158);
        assertThat(entity("UserService")).isNull();
        assertThat(entity("DocumentTypeService")).isNull();
        for (var dossier : OwsDossiers.ENTITIES) {
            assertThat(BINDINGS.of(BINDINGS.type(dossier.recordType())).entityId()).as(dossier.key()).isEqualTo(dossier.entityId());
        }
    }

    private static Integer entity(String service) {
        return BINDINGS.byService(service).orElseThrow().entityId();
    }

    @Test
    void aTypeOfAnotherNamespaceIsNotAnOwsDataService() {
        var types = new ArrayList<RecordType>(BUILT_IN.all().stream().filter(t -> !t.namespace().equals("hr")).toList());
        var hrPerson = DefinitionParser.parse("hr.def", "record hr.Person\nfields\nuid string LFSB\n");
        var recruitingPerson = DefinitionParser.parse("person.def", "record recruiting.Person\nfields\nuid string LFSB\n");
        types.add(hrPerson);
        types.add(recruitingPerson);
        var bindings = new OwsBindings(new Schemas(types));
        assertThat(bindings.all()).hasSize(23).noneMatch(s -> s.type().name().equals("Person"));
        assertThatThrownBy(() -> bindings.of(hrPerson)).hasMessage("OWS serves no hr.Person");
    }

    @Test
    void aBindingWithoutItsDefinitionStopsStartUp() {
        var withoutTasks = BUILT_IN.all().stream().filter(t -> !t.qualifiedName().equals("recruiting.Task")).toList();
        assertThatThrownBy(() -> new OwsBindings(new Schemas(withoutTasks)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("OWS binds record types that are not defined: [recruiting.Task]");
        assertThat(List.of(OwsBindings.DOCUMENT_TYPE)).allSatisfy(name -> assertThat(BUILT_IN.type(name)).isPresent());
    }
}
