package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.schema.DefinitionParser;
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
                service ClashService
                record  Clash
                fields
                uid        string LFSB
                firstName  string LFSB
                first_name string LFSB
                """);
        assertThatThrownBy(() -> RecordTables.of(type)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f_first_name");
    }
}
