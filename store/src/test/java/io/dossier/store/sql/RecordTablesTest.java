package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.schema.DefinitionParser;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table and column names derived from definitions. */
class RecordTablesTest {

    @Test
    void namesAreSnakeCaseOfTheDefinition() {
        assertThat(RecordTables.snake("RelationContact")).isEqualTo("relation_contact");
        assertThat(RecordTables.snake("HTMLText")).isEqualTo("html_text");
        assertThat(RecordTables.snake("entryDateTime")).isEqualTo("entry_date_time");
        assertThat(RecordTables.snake("address2Line")).isEqualTo("address2_line");
        assertThat(RecordTables.snake("weird-näme")).isEqualTo("weird_n_me");
        assertThat(RecordTables.columnName("Person.firstName")).isEqualTo("f_person__first_name");

        var tables = RecordTables.of(SqlRecordRepositoryTest.CANDIDATE);
        assertThat(tables.tableNames()).containsExactly("rec_candidate", "rec_candidate_text", "rec_candidate__phone_numbers");
        assertThat(tables.rowColumns()).containsKeys("Person.firstName", "statusId").doesNotContainKeys("uid", "title");
        assertThat(tables.textColumns()).containsOnlyKeys("title");
        assertThat(tables.collections().get("PhoneNumbers").columns()).containsOnlyKeys("type", "phoneNumber", "Extra.note");
        assertThat(tables.collections().get("PhoneNumbers").columns().get("Extra.note").name()).isEqualTo("f_extra__note");
    }

    @Test
    void longIdentifiersAreCutWithAHash() {
        var long1 = "rec_" + "a".repeat(70);
        var long2 = "rec_" + "a".repeat(71);
        assertThat(RecordTables.identifier("rec_short")).isEqualTo("rec_short");
        assertThat(RecordTables.identifier(long1)).hasSize(63).isEqualTo(RecordTables.identifier(long1)).isNotEqualTo(RecordTables.identifier(long2));
    }

    @Test
    void fieldsThatWouldShareAColumnAreRefused() {
        var type = DefinitionParser.parse("clash.def", """
                record  test.Clash
                storage  Clash
                fields
                uid        string LFSB
                firstName  string LFSB
                first_name string LFSB
                """);
        assertThatThrownBy(() -> RecordTables.of(type)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f_first_name");
    }

    /**
     * Existing data folders and databases hold these tables: the built-in types must keep them,
     * whatever their qualified names become. A change here moves data; it needs a migration.
     */
    @Test
    void builtInTypesKeepTheirTables() {
        var expected = new LinkedHashMap<String, List<String>>();
        expected.put("recruiting.Candidate", List.of("rec_candidate", "rec_candidate__person__phone_numbers",
                "rec_candidate__person__emails", "rec_candidate__addresses"));
        expected.put("recruiting.Vacancy", List.of("rec_vacancy", "rec_vacancy_text", "rec_vacancy__published_websites", "rec_vacancy__skills",
                "rec_vacancy__match_criteria"));
        expected.put("crm.Relation", List.of("rec_relation", "rec_relation__phone_numbers"));
        expected.put("crm.RelationContact", List.of("rec_relation_contact", "rec_relation_contact__person__phone_numbers",
                "rec_relation_contact__person__emails"));
        expected.put("directory.User", List.of("rec_user"));
        expected.put("documents.DocumentType", List.of("rec_document_type"));
        expected.put("recruiting.Task", List.of("rec_task"));
        expected.put("crm.SalesTrajectory", List.of("rec_sales_trajectory"));
        expected.put("recruiting.Project", List.of("rec_project"));
        expected.put("publishing.Website", List.of("rec_publishing_website", "rec_publishing_website__url_formats"));
        expected.put("mail.SendingProfile", List.of("rec_mail_sending_profile"));
        expected.put("recruiting.ProcedureStatus1", List.of("rec_recruiting_procedure_status1"));
        expected.put("recruiting.ProcedureStatus2", List.of("rec_recruiting_procedure_status2"));
        expected.put("recruiting.ProcedureStatus3", List.of("rec_recruiting_procedure_status3"));
        expected.put("recruiting.Procedure", List.of("rec_recruiting_procedure", "rec_recruiting_procedure__killer_questions"));
        expected.put("recruiting.QuestionSet", List.of("rec_recruiting_question_set", "rec_recruiting_question_set__pages",
                "rec_recruiting_question_set__questions"));
        expected.put("documents.StandardDocument", List.of("rec_documents_standard_document", "rec_documents_standard_document_text"));
        expected.put("hr.Person", List.of("rec_hr_person", "rec_hr_person__email_addresses", "rec_hr_person__addresses",
                "rec_hr_person__phone_numbers"));
        expected.put("hr.Employment", List.of("rec_hr_employment"));
        expected.put("hr.CostAllocation", List.of("rec_hr_cost_allocation"));
        expected.put("hr.OrganizationUnit", List.of("rec_hr_organization_unit"));
        expected.put("hr.RoleAssignment", List.of("rec_hr_role_assignment"));
        expected.put("hr.JobProfile", List.of("rec_hr_job_profile"));
        expected.put("hr.Company", List.of("rec_hr_company"));
        expected.put("hr.ContractType", List.of("rec_hr_contract_type"));
        expected.put("recruiting.MatchCriterion", List.of("rec_recruiting_match_criterion", "rec_recruiting_match_criterion__options"));
        expected.put("recruiting.JobSearchAgent", List.of("rec_recruiting_job_search_agent", "rec_recruiting_job_search_agent__criteria"));
        expected.put("recruiting.ReferrerPortal", List.of("rec_recruiting_referrer_portal", "rec_recruiting_referrer_portal__custom_utm_tags"));
        expected.put("recruiting.Assignment", List.of("rec_recruiting_assignment"));
        expected.put("forms.InteractionForm", List.of("rec_forms_interaction_form", "rec_forms_interaction_form__tabs",
                "rec_forms_interaction_form__fields"));
        expected.put("forms.InteractionAnswerSet", List.of("rec_forms_interaction_answer_set", "rec_forms_interaction_answer_set__answers"));
        expected.put("documents.Snippet", List.of("rec_documents_snippet", "rec_documents_snippet_text"));
        expected.put("documents.SnippetQuestion", List.of("rec_documents_snippet_question"));
        var actual = new LinkedHashMap<String, List<String>>();
        for (RecordType type : Schemas.builtIn().all()) {
            actual.put(type.qualifiedName(), RecordTables.of(type).tableNames());
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void typesOfOneNameInTwoNamespacesGetTheirOwnTables() {
        var hr = DefinitionParser.parse("hr.def", "record hr.Person\nfields\nuid string LFSB\nname string LFSUI\n");
        var recruiting = DefinitionParser.parse("recruiting.def", "record recruiting.Person\nfields\nuid string LFSB\nname string LFSUI\n");
        assertThat(RecordTables.of(hr).tableNames()).containsExactly("rec_hr_person");
        assertThat(RecordTables.of(recruiting).tableNames()).containsExactly("rec_recruiting_person");
        assertThat(new Schemas(List.of(hr, recruiting)).all()).hasSize(2);
    }
}
