package io.dossier.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The definitions shipped in {@code definitions/}: they load, and they hold together. */
class SchemasTest {

    static final Schemas BUILT_IN = Schemas.builtIn();
    static final Set<String> SYSTEM_FIELDS = Set.of("uid", "entryDateTime", "lastModified");

    static List<FieldDef> all(RecordType type) {
        return DefinitionParser.all(type.fields());
    }

    @Test
    void loadsEveryShippedDefinition() {
        assertThat(BUILT_IN.all()).extracting(RecordType::qualifiedName).containsExactly(
                "recruiting.Candidate", "recruiting.Vacancy", "crm.Relation", "crm.RelationContact", "directory.User",
                "documents.DocumentType", "recruiting.Task", "crm.SalesTrajectory", "recruiting.Project", "publishing.Website",
                "mail.SendingProfile", "recruiting.ProcedureStatus1", "recruiting.ProcedureStatus2", "recruiting.ProcedureStatus3",
                "recruiting.Procedure", "recruiting.QuestionSet", "documents.StandardDocument",
                "hr.Person", "hr.Employment", "hr.CostAllocation", "hr.OrganizationUnit", "hr.RoleAssignment", "hr.JobProfile",
                "hr.Company", "hr.ContractType", "recruiting.MatchCriterion",
                "recruiting.JobSearchAgent", "recruiting.ReferrerPortal", "recruiting.Assignment", "forms.InteractionForm",
                "forms.InteractionAnswerSet", "documents.Snippet", "documents.SnippetQuestion");
        assertThat(BUILT_IN.type("recruiting.Candidate")).map(RecordType::name).contains("Candidate");
        assertThat(BUILT_IN.type("crm.RelationContact")).map(RecordType::namespace).contains("crm");
        assertThat(BUILT_IN.type("Candidate")).as("only qualified names").isEmpty();
        assertThat(BUILT_IN.type("recruiting.Nothing")).isEmpty();
        assertThat(BUILT_IN.byStorageName("RelationContact")).map(RecordType::qualifiedName).contains("crm.RelationContact");
    }

    @Test
    void recordNamesAreUnique() {
        var names = BUILT_IN.all().stream().map(RecordType::name).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void everyTypeHasAListableUidFirstThatClientsCannotSet() {
        for (var type : BUILT_IN.all()) {
            assertThat(type.fields().getFirst().name()).as(type.qualifiedName()).isEqualTo("uid");
            var uid = type.field("uid").orElseThrow();
            assertThat(uid.type()).as(type.qualifiedName()).isEqualTo(FieldType.STRING);
            // a numbered uid may be chosen when adding (OTYS's document type 201), never changed
            assertThat(uid.flags()).as(type.qualifiedName()).isEqualTo(FieldFlags.parse(type.numbered() ? "LFSIB" : "LFSB"));
        }
        assertThat(BUILT_IN.all().stream().filter(RecordType::numbered).map(RecordType::qualifiedName)).containsExactly(
                "documents.DocumentType", "publishing.Website", "mail.SendingProfile", "recruiting.ProcedureStatus1",
                "recruiting.ProcedureStatus2", "recruiting.ProcedureStatus3", "recruiting.MatchCriterion", "recruiting.ReferrerPortal",
                "forms.InteractionForm", "forms.InteractionAnswerSet", "documents.Snippet", "documents.SnippetQuestion");
    }

    @Test
    void systemFieldsAreNeitherInsertableNorUpdatable() {
        for (var type : BUILT_IN.all()) {
            for (var name : SYSTEM_FIELDS) {
                type.field(name).ifPresent(field -> {
                    assertThat(field.flags().insertable()).as(type.qualifiedName() + "." + name).isEqualTo(type.numbered() && name.equals("uid"));
                    assertThat(field.flags().updatable()).as(type.qualifiedName() + "." + name).isFalse();
                    assertThat(field.flags().obligatory()).as(type.qualifiedName() + "." + name).isFalse();
                });
            }
            type.field("entryDateTime").ifPresent(f -> assertThat(f.type()).isEqualTo(FieldType.DATETIME));
            type.field("lastModified").ifPresent(f -> assertThat(f.type()).isEqualTo(FieldType.DATETIME));
        }
    }

    @Test
    void everyWritableTypeHasAnObligatoryFieldAClientCanSet() {
        for (var type : BUILT_IN.all().stream().filter(t -> !t.readOnly()).toList()) {
            var obligatory = type.rowFields().stream().filter(f -> f.flags().obligatory()).toList();
            assertThat(obligatory).as(type.qualifiedName()).isNotEmpty();
            for (var field : obligatory) {
                assertThat(field.flags().insertable()).as(field.path()).isTrue();
                assertThat(field.flags().notEmpty()).as(field.path()).isTrue();
            }
        }
    }

    @Test
    void obligatoryFieldsAreWhereAClientCanReachThem() {
        for (var type : BUILT_IN.all()) {
            for (var field : type.rowFields()) {
                if (field.flags().obligatory()) {
                    var parts = field.path().split("\\.");
                    for (int i = 1; i < parts.length; i++) {
                        var container = type.field(String.join(".", List.of(parts).subList(0, i))).orElseThrow();
                        assertThat(container.flags().insertable()).as(container.path()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theReadOnlyUserServiceMirrorsUserAccounts() {
        var users = BUILT_IN.type("directory.User").orElseThrow();
        assertThat(users.name()).isEqualTo("User");
        assertThat(users.readOnly()).isTrue();
        assertThat(users.fields()).extracting(FieldDef::name).contains("uid", "id", "username", "email", "firstName", "lastName",
                "displayName", "active");
        assertThat(users.field("id").orElseThrow().type()).isEqualTo(FieldType.INT);
        assertThat(users.field("active").orElseThrow().type()).isEqualTo(FieldType.BOOLEAN);
        for (var name : List.of("uid", "username", "email", "firstName", "lastName", "displayName")) {
            assertThat(users.field(name).orElseThrow().type()).as(name).isEqualTo(FieldType.STRING);
        }
        for (var field : all(users)) {
            assertThat(field.flags().insertable() || field.flags().updatable()).as(field.path()).isFalse();
        }
    }

    @Test
    void onlyTheUserServiceIsReadOnly() {
        assertThat(BUILT_IN.all().stream().filter(RecordType::readOnly).map(RecordType::qualifiedName)).containsExactly("directory.User");
    }

    @Test
    void optionFieldsAndOptionListsMatch() {
        for (var type : BUILT_IN.all()) {
            var used = new HashSet<String>();
            for (var field : all(type)) {
                var list = field.optionList();
                assertThat(field.flags().hasOptions()).as(type.qualifiedName() + " " + field.path()).isEqualTo(list != null);
                if (list == null) {
                    continue;
                }
                used.add(list);
                if (!list.equals(OptionList.USERS)) {
                    assertThat(type.optionLists()).as(type.qualifiedName() + " " + field.path()).containsKey(list);
                    assertThat(type.optionLists().get(list).values()).as(list).isNotEmpty();
                }
            }
            assertThat(used).as(type.qualifiedName() + ": declared option lists no field uses")
                    .containsAll(type.optionLists().keySet());
        }
    }

    @Test
    void ownersAreUsers() {
        for (var type : BUILT_IN.all()) {
            type.field("userId").ifPresent(owner -> {
                assertThat(owner.optionList()).as(type.qualifiedName()).isEqualTo(OptionList.USERS);
                assertThat(owner.type()).isEqualTo(FieldType.INT);
                assertThat(owner.flags()).isEqualTo(FieldFlags.parse("LFSUIHB"));
            });
        }
        assertThat(BUILT_IN.all().stream().filter(t -> t.field("userId").isPresent()).map(RecordType::qualifiedName))
                .contains("recruiting.Candidate", "recruiting.Vacancy", "crm.Relation", "crm.RelationContact", "recruiting.Task",
                        "crm.SalesTrajectory", "recruiting.Project");
    }

    @Test
    void datesTellTheirFormat() {
        for (var type : BUILT_IN.all()) {
            for (var field : all(type)) {
                if (field.type() == FieldType.DATE) {
                    assertThat(field.dataTypeComment()).as(type.qualifiedName() + " " + field.path()).isEqualTo("yyyy-MM-dd");
                }
                if (field.type() == FieldType.DATETIME) {
                    assertThat(field.dataTypeComment()).as(type.qualifiedName() + " " + field.path()).isEqualTo("yyyy-MM-dd HH:mm:ss, UTC");
                }
            }
        }
    }

    @Test
    void fieldsThatAreNotListableCannotBeInListByDefaultNorFiltered() {
        for (var type : BUILT_IN.all()) {
            for (var field : all(type)) {
                if (!field.flags().listable()) {
                    assertThat(field.flags().inListByDefault()).as(type.qualifiedName() + " " + field.path()).isFalse();
                }
                if (!field.type().scalar()) {
                    assertThat(field.flags().filterable() || field.flags().sortable()).as(type.qualifiedName() + " " + field.path()).isFalse();
                }
                if (field.type() == FieldType.TEXT) {
                    assertThat(field.flags().sortable()).as(type.qualifiedName() + " " + field.path()).isFalse();
                }
            }
        }
    }

    @Test
    void onlyCollectionsAreDeletable() {
        for (var type : BUILT_IN.all()) {
            for (var field : all(type)) {
                assertThat(field.flags().deletable()).as(type.qualifiedName() + " " + field.path()).isEqualTo(field.isCollection());
            }
        }
    }

    @Test
    void theFlagsMatter() {
        var candidate = BUILT_IN.type("recruiting.Candidate").orElseThrow();
        var remarks = candidate.field("remarks").orElseThrow();
        assertThat(remarks.flags().listable()).isFalse();
        assertThat(remarks.flags().filterable()).isFalse();
        assertThat(candidate.field("Person.lastName").orElseThrow().flags().obligatory()).isTrue();
        var status = candidate.field("statusId").orElseThrow();
        assertThat(status.optionList()).isEqualTo("candidateStatus");
        assertThat(status.flags().filterable()).isTrue();
        assertThat(status.flags().sortable()).isTrue();
        assertThat(status.flags().inListByDefault()).isTrue();
        for (var service : List.of("recruiting.Candidate", "recruiting.Vacancy", "crm.Relation", "crm.RelationContact")) {
            var flags = all(BUILT_IN.type(service).orElseThrow()).stream().map(FieldDef::flags).toList();
            assertThat(flags).as(service + " has scalar fields that are not filterable").anyMatch(f -> !f.filterable() && f.listable());
            assertThat(flags).as(service + " has fields that are not sortable").anyMatch(f -> !f.sortable());
            assertThat(flags).as(service + " has fields that are not listable").anyMatch(f -> !f.listable());
            assertThat(flags).as(service + " has fields that may not be empty").anyMatch(FieldFlags::notEmpty);
        }
    }

    @Test
    void theMainTypesAreRealistic() {
        for (var service : List.of("recruiting.Candidate", "recruiting.Vacancy", "crm.Relation", "crm.RelationContact")) {
            var type = BUILT_IN.type(service).orElseThrow();
            assertThat(all(type)).as(service).hasSizeGreaterThanOrEqualTo(25);
            assertThat(type.optionLists()).as(service).isNotEmpty();
        }
        var candidate = BUILT_IN.type("recruiting.Candidate").orElseThrow();
        assertThat(candidate.collections()).extracting(FieldDef::path)
                .contains("Person.PhoneNumbers", "Person.Emails", "Addresses");
        assertThat(candidate.field("Person.PhoneNumbers.type").orElseThrow().optionList()).isEqualTo("phoneType");
    }

    @Test
    void vacancyTextsAreTranslatable() {
        var vacancy = BUILT_IN.type("recruiting.Vacancy").orElseThrow();
        var title = vacancy.field("title").orElseThrow();
        assertThat(title.flags().translatable()).isTrue();
        assertThat(title.flags().obligatory()).isTrue();
        for (var name : List.of("summary", "description", "requirements", "offer")) {
            assertThat(vacancy.field(name).orElseThrow().flags().translatable()).as(name).isTrue();
        }
        assertThat(vacancy.field("relationUid").orElseThrow().flags().translatable()).isFalse();
        for (var type : BUILT_IN.all()) {
            for (var field : all(type)) {
                if (field.flags().translatable()) {
                    assertThat(field.type()).as(field.path()).isIn(FieldType.STRING, FieldType.TEXT);
                    assertThat(type.collectionOf(field.path())).as(field.path() + " is not inside a collection").isEmpty();
                }
            }
        }
        assertThat(BUILT_IN.all().stream().filter(t -> all(t).stream().anyMatch(f -> f.flags().translatable()))
                .map(RecordType::qualifiedName)).containsExactly("recruiting.Vacancy", "documents.StandardDocument",
                "documents.Snippet");
    }

    @Test
    void documentTypesHaveTheFieldsOfTheManual() {
        var documentType = BUILT_IN.type("documents.DocumentType").orElseThrow();
        assertThat(documentType.fields()).extracting(FieldDef::name).containsExactly("uid", "name", "forDocuments", "forNotes",
                "forCandidates", "forCustomers", "forCustomerContacts", "forVacancies", "forTasks", "forSales", "forProjects",
                "sortOrder", "entryDateTime", "lastModified");
        assertThat(documentType.field("name").orElseThrow().flags().obligatory()).isTrue();
        assertThat(documentType.field("name").orElseThrow().flags().notEmpty()).isTrue();
        assertThat(documentType.fields().stream().filter(f -> f.name().startsWith("for")))
                .allMatch(f -> f.type() == FieldType.BOOLEAN);
    }

    @Test
    void twoDefinitionsOfOneTypeAreRefused() {
        var type = BUILT_IN.type("recruiting.Task").orElseThrow();
        assertThatThrownBy(() -> new Schemas(List.of(type, type)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two definitions for recruiting.Task");
    }

    @Test
    void typesOfOneNameLiveInTheirOwnNamespaces() {
        var hr = DefinitionParser.parse("hr.def", "record hr.Person\nfields\nuid string LFSB\n");
        var recruiting = DefinitionParser.parse("recruiting.def", "record recruiting.Person\nfields\nuid string LFSB\n");
        var schemas = new Schemas(List.of(hr, recruiting));
        assertThat(schemas.type("hr.Person")).containsSame(hr);
        assertThat(schemas.type("recruiting.Person")).containsSame(recruiting);
        assertThat(hr.storageName()).isNotEqualToIgnoringCase(recruiting.storageName());
        assertThat(schemas.byStorageName(hr.storageName())).containsSame(hr);
    }

    @Test
    void twoTypesStoredUnderOneNameAreRefused() {
        var hr = DefinitionParser.parse("hr.def", "record hr.Person\nstorage Person\nfields\nuid string LFSB\n");
        var recruiting = DefinitionParser.parse("recruiting.def", "record recruiting.Person\nstorage person\nfields\nuid string LFSB\n");
        assertThatThrownBy(() -> new Schemas(List.of(hr, recruiting)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hr.Person and recruiting.Person are both stored as person; give one of them another 'storage' line");
    }

    @Test
    void referencesNameDefinedTypes() {
        var procedure = BUILT_IN.type("recruiting.Procedure").orElseThrow();
        assertThat(procedure.field("candidateUid").orElseThrow().refers()).isEqualTo("recruiting.Candidate");
        assertThat(procedure.field("vacancyUid").orElseThrow().refers()).isEqualTo("recruiting.Vacancy");
        var dangling = DefinitionParser.parse("x.def", "record x.Link\nfields\nuid string LFSB\nto string LFSI refers=x.Nothing\n");
        assertThatThrownBy(() -> new Schemas(List.of(dangling))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.Link.to refers to x.Nothing, which is not defined");
        assertThatThrownBy(() -> DefinitionParser.parse("x.def", "record x.Link\nfields\nuid string LFSB\nto int LFSI refers=x.Link\n"))
                .hasMessageContaining("must be a string");
        assertThatThrownBy(() -> DefinitionParser.parse("x.def", "record x.Link\nuids random\nfields\nuid string LFSB\n"))
                .hasMessageContaining("uids can only be 'numbered'");
    }

    @Test
    void theBuiltInTypesKeepTheStorageNamesTheirDataHas() {
        assertThat(BUILT_IN.all()).extracting(RecordType::storageName).containsExactly(
                "Candidate", "Vacancy", "Relation", "RelationContact", "User", "DocumentType", "Task", "SalesTrajectory", "Project",
                "publishing_Website", "mail_SendingProfile", "recruiting_ProcedureStatus1", "recruiting_ProcedureStatus2",
                "recruiting_ProcedureStatus3", "recruiting_Procedure", "recruiting_QuestionSet", "documents_StandardDocument",
                "hr_Person", "hr_Employment", "hr_CostAllocation", "hr_OrganizationUnit", "hr_RoleAssignment", "hr_JobProfile",
                "hr_Company", "hr_ContractType",
                "recruiting_MatchCriterion", "recruiting_JobSearchAgent", "recruiting_ReferrerPortal", "recruiting_Assignment",
                "forms_InteractionForm", "forms_InteractionAnswerSet", "documents_Snippet", "documents_SnippetQuestion");
    }
}
