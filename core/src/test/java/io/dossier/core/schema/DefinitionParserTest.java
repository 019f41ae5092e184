package io.dossier.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

    static final String SAMPLE = """
            # A sample definition
            record      recruiting.Candidate    # namespace.Name
            storage     Candidate
            # (a line where the entity was, so that line numbers below stay put)
            readonly
            description Candidates: people who may fill a vacancy.

            fields
            uid            string     LFSB    comment="Unique id"
            Person         container  LUIB
              firstName    string     LFSUIB  format="max 100 characters"
              lastName     string     LFSUIONB
              Address      container  LUI
                city       string     LFSUI
            PhoneNumbers   collection LUID
              type         int        LUIH    options=phoneType
              phoneNumber  string     LUIN
            userId         int        LFSUIHB options=users
            title          string     LFSUIT
            remarks        text       -       comment="Notes # not a comment"   # but this is
            birthDate      date       LFSUI   format="yyyy-MM-dd"
            modified       datetime   LFS     format="yyyy-MM-dd HH:mm:ss, UTC"
            salary         double     LFSUI
            active         boolean    LFB

            options phoneType
              1 = Mobile
              2 = Home phone
            options empty
            """;

    static RecordType sample() {
        return DefinitionParser.parse("sample.def", SAMPLE);
    }

    @Test
    void readsTheHeader() {
        var type = sample();
        assertThat(type.namespace()).isEqualTo("recruiting");
        assertThat(type.name()).isEqualTo("Candidate");
        assertThat(type.qualifiedName()).isEqualTo("recruiting.Candidate");
        assertThat(type.storageName()).isEqualTo("Candidate");
        assertThat(type.readOnly()).isTrue();
        assertThat(type.description()).isEqualTo("Candidates: people who may fill a vacancy.");
    }

    @Test
    void storageAndReadonlyAreOptional() {
        var type = DefinitionParser.parse("t.def", """
                record recruiting.Task
                fields
                uid string LFSB
                """);
        assertThat(type.storageName()).isEqualTo("recruiting_Task");
        assertThat(type.readOnly()).isFalse();
        assertThat(type.description()).isEmpty();
        assertThat(type.optionLists()).isEmpty();
    }

    @Test
    void nestsFieldsByIndentation() {
        var type = sample();
        assertThat(type.fields()).extracting(FieldDef::name)
                .containsExactly("uid", "Person", "PhoneNumbers", "userId", "title", "remarks", "birthDate", "modified", "salary", "active");
        var person = type.field("Person").orElseThrow();
        assertThat(person.isContainer()).isTrue();
        assertThat(person.children()).extracting(FieldDef::name).containsExactly("firstName", "lastName", "Address");
        assertThat(type.field("Person.Address.city").orElseThrow().path()).isEqualTo("Person.Address.city");
        var phones = type.field("PhoneNumbers").orElseThrow();
        assertThat(phones.isCollection()).isTrue();
        assertThat(phones.children()).extracting(FieldDef::path).containsExactly("PhoneNumbers.type", "PhoneNumbers.phoneNumber");
        assertThat(type.field("Person.nothing")).isEmpty();
        assertThat(type.field("nothing")).isEmpty();
    }

    @Test
    void rowFieldsFlattenContainersAndLeaveOutCollections() {
        var type = sample();
        assertThat(type.rowFields()).extracting(FieldDef::path).containsExactly(
                "uid", "Person.firstName", "Person.lastName", "Person.Address.city", "userId", "title", "remarks", "birthDate",
                "modified", "salary", "active");
        assertThat(type.collections()).extracting(FieldDef::path).containsExactly("PhoneNumbers");
        assertThat(type.collectionOf("PhoneNumbers.type")).map(FieldDef::path).contains("PhoneNumbers");
        assertThat(type.collectionOf("Person.firstName")).isEmpty();
    }

    @Test
    void readsTypes() {
        var type = sample();
        assertThat(type.field("uid").orElseThrow().type()).isEqualTo(FieldType.STRING);
        assertThat(type.field("remarks").orElseThrow().type()).isEqualTo(FieldType.TEXT);
        assertThat(type.field("userId").orElseThrow().type()).isEqualTo(FieldType.INT);
        assertThat(type.field("salary").orElseThrow().type()).isEqualTo(FieldType.DOUBLE);
        assertThat(type.field("active").orElseThrow().type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(type.field("birthDate").orElseThrow().type()).isEqualTo(FieldType.DATE);
        assertThat(type.field("modified").orElseThrow().type()).isEqualTo(FieldType.DATETIME);
        assertThat(type.field("Person").orElseThrow().type()).isEqualTo(FieldType.CONTAINER);
        assertThat(type.field("PhoneNumbers").orElseThrow().type()).isEqualTo(FieldType.COLLECTION);
    }

    @Test
    void readsEveryFlag() {
        var all = FieldFlags.parse("LFSUODIHNBTX");
        assertThat(all).isEqualTo(new FieldFlags(true, true, true, true, true, true, true, true, true, true, true, true));
        assertThat(FieldFlags.parse("-")).isEqualTo(new FieldFlags(false, false, false, false, false, false, false, false, false, false, false, false));
        var lastName = sample().field("Person.lastName").orElseThrow().flags();
        assertThat(lastName.listable()).isTrue();
        assertThat(lastName.filterable()).isTrue();
        assertThat(lastName.sortable()).isTrue();
        assertThat(lastName.updatable()).isTrue();
        assertThat(lastName.insertable()).isTrue();
        assertThat(lastName.obligatory()).isTrue();
        assertThat(lastName.notEmpty()).isTrue();
        assertThat(lastName.inListByDefault()).isTrue();
        assertThat(lastName.deletable()).isFalse();
        assertThat(lastName.hasOptions()).isFalse();
        assertThat(lastName.translatable()).isFalse();
        assertThat(sample().field("PhoneNumbers").orElseThrow().flags().deletable()).isTrue();
        assertThat(sample().field("title").orElseThrow().flags().translatable()).isTrue();
        var uid = sample().field("uid").orElseThrow().flags();
        assertThat(uid.insertable()).isFalse();
        assertThat(uid.updatable()).isFalse();
    }

    @Test
    void flagLettersMayComeInAnyOrder() {
        assertThat(FieldFlags.parse("BSFL")).isEqualTo(FieldFlags.parse("LFSB"));
    }

    @Test
    void readsOptionLists() {
        var type = sample();
        var phoneType = type.optionLists().get("phoneType");
        assertThat(phoneType.name()).isEqualTo("phoneType");
        assertThat(phoneType.values()).containsExactly(java.util.Map.entry("1", "Mobile"), java.util.Map.entry("2", "Home phone"));
        assertThat(type.optionLists().get("empty").values()).isEmpty();
        assertThat(type.field("PhoneNumbers.type").orElseThrow().optionList()).isEqualTo("phoneType");
        assertThat(type.field("userId").orElseThrow().optionList()).isEqualTo(OptionList.USERS);
        assertThat(type.field("uid").orElseThrow().optionList()).isNull();
    }

    @Test
    void optionLabelsKeepTheirSpacesAndEqualsSigns() {
        var type = DefinitionParser.parse("o.def", """
                record t.R
                description R
                fields
                uid string LFSB
                kind int LH options=kinds
                options kinds
                  a = Equal = same
                  b=Tight
                """);
        assertThat(type.optionLists().get("kinds").values()).containsExactly(
                java.util.Map.entry("a", "Equal = same"), java.util.Map.entry("b", "Tight"));
    }

    @Test
    void readsQuotedValuesAndComments() {
        var type = sample();
        var uid = type.field("uid").orElseThrow();
        assertThat(uid.comment()).isEqualTo("Unique id");
        assertThat(uid.dataTypeComment()).isEmpty();
        assertThat(type.field("Person.firstName").orElseThrow().dataTypeComment()).isEqualTo("max 100 characters");
        assertThat(type.field("modified").orElseThrow().dataTypeComment()).isEqualTo("yyyy-MM-dd HH:mm:ss, UTC");
        assertThat(type.field("remarks").orElseThrow().comment()).isEqualTo("Notes # not a comment");
        assertThat(type.field("remarks").orElseThrow().flags()).isEqualTo(FieldFlags.parse("-"));
        assertThat(type.qualifiedName()).isEqualTo("recruiting.Candidate");
    }

    @Test
    void unquotedValuesAreTakenAsTheyAre() {
        var type = DefinitionParser.parse("u.def", """
                record t.R
                description R
                fields
                uid string LFSB format=hex comment=id
                """);
        assertThat(type.field("uid").orElseThrow().dataTypeComment()).isEqualTo("hex");
        assertThat(type.field("uid").orElseThrow().comment()).isEqualTo("id");
    }

    @Test
    void acceptsWindowsLineEndsAndBlankLines() {
        var type = DefinitionParser.parse("w.def", "record t.R\r\ndescription R\r\n\r\nfields\r\nuid string LFSB\r\nPerson container LUI\r\n  name string LUI\r\n");
        assertThat(type.field("Person.name")).isPresent();
    }

    // ---- errors

    private static String withFields(String fields) {
        return "record t.R\ndescription R\nfields\nuid string LFSB\n" + fields;
    }

    private static void failsWith(String text, String message) {
        assertThatThrownBy(() -> DefinitionParser.parse("bad.def", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsAnOddIndent() {
        failsWith(withFields("Person container LUI\n   name string LUI\n"), "bad.def:6: indent fields by two spaces per level");
    }

    @Test
    void rejectsAFieldIndentedUnderNothing() {
        failsWith("record t.R\ndescription R\nfields\n  uid string LFSB\n", "bad.def:4: indented under nothing");
        failsWith(withFields("Person container LUI\n    name string LUI\n"), "bad.def:6: indented under nothing");
    }

    @Test
    void rejectsFieldsUnderAScalar() {
        failsWith(withFields("name string LUI\n  first string LUI\n"), "bad.def:6: only containers and collections hold fields");
    }

    @Test
    void rejectsAnUnknownType() {
        failsWith(withFields("age integer LUI\n"), "bad.def:5: unknown type 'integer'");
    }

    @Test
    void rejectsAnUnknownFlag() {
        failsWith(withFields("age int LQU\n"), "bad.def:5: unknown flag 'Q' (flags are LFSUODIHNBTX, or - for none)");
    }

    @Test
    void onlyTextIsSearchable() {
        failsWith(withFields("age int LX\n"), "bad.def: field age is searchable (X) but not a string or text");
        assertThat(DefinitionParser.parse("ok.def", "record test.Ok\nfields\nuid string LFSB\nname string LX\n")
                .field("name").orElseThrow().flags().searchable()).isTrue();
    }

    @Test
    void rejectsAShortFieldLine() {
        failsWith(withFields("age int\n"), "bad.def:5: a field line is 'name type flags [key=value …]'");
    }

    @Test
    void rejectsAnUnknownKey() {
        failsWith(withFields("age int LU hint=\"x\"\n"), "bad.def:5: unknown key 'hint'");
    }

    @Test
    void rejectsAnExtraWordThatIsNoKeyValue() {
        failsWith(withFields("age int LU years\n"), "bad.def:5: expected key=value, got 'years'");
    }

    @Test
    void rejectsAnUnclosedQuote() {
        failsWith(withFields("age int LU comment=\"years\n"), "bad.def:5: unclosed quote");
    }

    @Test
    void rejectsAnOptionLineWithoutEquals() {
        failsWith(withFields("kind int LH options=kinds\noptions kinds\n  1 Mobile\n"), "bad.def:7: an option line is 'id = label'");
    }

    @Test
    void rejectsHasOptionsWithoutAList() {
        failsWith(withFields("kind int LUH\n"), "bad.def: field kind has options but names no options=list");
    }

    @Test
    void rejectsAnUnknownOptionList() {
        failsWith(withFields("kind int LUH options=kinds\n"), "bad.def: field kind names unknown option list kinds");
        failsWith(withFields("Items collection LUI\n  kind int LUH options=kinds\n"),
                "bad.def: field Items.kind names unknown option list kinds");
    }

    @Test
    void anOptionListOfAnotherFileIsUnknown() {
        failsWith(withFields("kind int LUH options=phoneType\n"), "bad.def: field kind names unknown option list phoneType");
    }

    @Test
    void rejectsAContainerOrCollectionWithoutFields() {
        failsWith(withFields("Person container LUI\n"), "bad.def: container Person has no fields");
        failsWith(withFields("Phones collection LUID\nage int LU\n"), "bad.def: collection Phones has no fields");
        failsWith(withFields("Person container LUI\n  Address container LUI\n"), "bad.def: container Person.Address has no fields");
    }

    @Test
    void rejectsATypeWithoutUid() {
        failsWith("record t.R\ndescription R\nfields\nname string LUI\n", "bad.def: every record type declares a 'uid' field");
    }

    @Test
    void aNestedUidIsNoUid() {
        failsWith("record t.R\ndescription R\nfields\nPerson container LUI\n  uid string LFSB\n", "bad.def: every record type declares a 'uid' field");
    }

    @Test
    void rejectsAMissingOrBlankRecord() {
        failsWith("description d\nfields\nuid string LFSB\n", "bad.def: the header needs 'record'");
        failsWith("record\nfields\nuid string LFSB\n", "bad.def: the header needs 'record'");
    }

    @Test
    void recordsAreNamedInANamespace() {
        failsWith("record R\nfields\nuid string LFSB\n", "bad.def: record must be namespace.Name (e.g. recruiting.Candidate), got 'R'");
        failsWith("record Hr.R\nfields\nuid string LFSB\n", "bad.def: record must be namespace.Name (e.g. recruiting.Candidate), got 'Hr.R'");
        failsWith("record hr.R.S\nfields\nuid string LFSB\n", "bad.def: record must be namespace.Name (e.g. recruiting.Candidate), got 'hr.R.S'");
        failsWith("record hr.R\nstorage rec-r\nfields\nuid string LFSB\n", "bad.def: storage must be a name of letters, digits and _, got 'rec-r'");
    }

    @Test
    void wireNamesAreNotDeclaredHere() {
        failsWith("record t.R\nservice RService\nfields\nuid string LFSB\n", "bad.def: unknown header line 'service'");
        failsWith("record t.R\nentity 2\nfields\nuid string LFSB\n", "bad.def: unknown header line 'entity'");
    }

    @Test
    void rejectsAnUnknownHeaderLine() {
        failsWith("record t.R\ndescription R\nreadOnly\nfields\nuid string LFSB\n", "bad.def: unknown header line 'readOnly'");
    }

    @Test
    void lineErrorsNameTheSourceAndLineAndKeepTheCause() {
        assertThatThrownBy(() -> DefinitionParser.parse("x/y.def", "record t.R\ndescription R\nfields\n\n# comment\nuid strng LFSB\n"))
                .hasMessageStartingWith("x/y.def:6: ")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    // ---- list indexes

    private static String indexed(String... lines) {
        return "record t.R\ndescription R\n" + String.join("", java.util.Arrays.stream(lines).map(l -> l + "\n").toList())
                + "fields\nuid string LFSB\nstatus int LFS\nPerson container LUI\n  lastName string LFS\n  nickname string LU\n"
                + "title string LFST\nPhones collection LUI\n  number string LFS\n";
    }

    @Test
    void readsListIndexesInTheirOrderAndDirections() {
        var type = DefinitionParser.parse("t.def", indexed("index status, Person.lastName", "index  Person.lastName desc ,status asc"));
        assertThat(type.listIndexes()).containsExactly(
                new RecordType.ListIndex(List.of(new RecordType.ListIndex.Key("status", false), new RecordType.ListIndex.Key("Person.lastName", false))),
                new RecordType.ListIndex(List.of(new RecordType.ListIndex.Key("Person.lastName", true), new RecordType.ListIndex.Key("status", false))));
        assertThat(sample().listIndexes()).isEmpty();
    }

    @Test
    void aListIndexNamesFilterableOrSortableFieldsOfTheRecordsOwnRow() {
        failsWith(indexed("index status, nope"), "bad.def:3: index names unknown field nope");
        failsWith(indexed("index Person"), "bad.def:3: index field Person is not a single value of the record's own row"
                + " (not the uid, a container, a collection or a translatable field)");
        failsWith(indexed("description R", "index Phones.number"), "bad.def:4: index field Phones.number is not a single value of the record's own row"
                + " (not the uid, a container, a collection or a translatable field)");
        failsWith(indexed("index title"), "bad.def:3: index field title is not a single value of the record's own row"
                + " (not the uid, a container, a collection or a translatable field)");
        failsWith(indexed("index uid"), "bad.def:3: index field uid is not a single value of the record's own row"
                + " (not the uid, a container, a collection or a translatable field)");
        failsWith(indexed("index Person.nickname"), "bad.def:3: index field Person.nickname is neither filterable (F) nor sortable (S)");
        failsWith(indexed("index status, status desc"), "bad.def:3: index names status twice");
    }

    @Test
    void rejectsAMalformedIndexLine() {
        for (var line : List.of("index status,", "index , status", "index status down", "index status desc asc", "index status DESC")) {
            assertThatThrownBy(() -> DefinitionParser.parse("bad.def", indexed(line)))
                    .hasMessageStartingWith("bad.def:3: an index line is 'index field [desc], field [desc], …', got ");
        }
        failsWith(indexed("index"), "bad.def: unknown header line 'index'");
    }

    @Test
    void allListsEveryFieldDepthFirst() {
        assertThat(DefinitionParser.all(sample().fields())).extracting(FieldDef::path).containsExactly(
                "uid", "Person", "Person.firstName", "Person.lastName", "Person.Address", "Person.Address.city",
                "PhoneNumbers", "PhoneNumbers.type", "PhoneNumbers.phoneNumber", "userId", "title", "remarks", "birthDate",
                "modified", "salary", "active");
        assertThat(DefinitionParser.all(List.of())).isEmpty();
    }
}
