package io.dossier.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of DESIGN.md, checked on the compiled classes rather than left to goodwill. */
class ArchitectureTest {

    static final List<String> DIALECTS = List.of("ows", "youforce", "fileapi", "opus2", "logicaldoc", "admin");
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.dossier");
    }

    @Test
    void coreUsesNoHttpNoSqlAndNoOuterLayer() {
        noClasses().that().resideInAPackage("io.dossier.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.dossier.store..", "io.dossier.api..", "io.dossier.server..",
                        "java.sql..", "javax.sql..", "org.jooq..", "org.flywaydb..", "com.zaxxer..",
                        "io.javalin..", "jakarta.servlet..", "org.eclipse.jetty..", "java.net.http..",
                        "com.sun.net.httpserver..", "software.amazon..", "com.fasterxml..")
                .allowEmptyShould(false)
                .check(classes);
    }

    @Test
    void dialectsUseCoreOnlyNeverStoreOrServer() {
        noClasses().that().resideInAPackage("io.dossier.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dossier.store..", "io.dossier.server..",
                        "java.sql..", "org.jooq..", "software.amazon..")
                .check(classes);
    }

    @Test
    void noDialectUsesAnother() {
        for (var dialect : DIALECTS) {
            var others = DIALECTS.stream().filter(d -> !d.equals(dialect)).map(d -> "io.dossier.api." + d + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.dossier.api." + dialect + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void storeImplementsCoreAndKnowsNoHttp() {
        noClasses().that().resideInAPackage("io.dossier.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dossier.api..", "io.dossier.server..", "io.javalin..")
                .check(classes);
    }

    /**
     * Wire words of the published APIs, as camel-case word sequences: dialect and vendor names, OWS
     * data services and entity ids, File API business types. Core names things in its own words
     * (DESIGN.md, "One vocabulary"); the dialects translate.
     */
    static final List<List<String>> WIRE_WORDS = List.of(
            List.of("ows"), List.of("otys"), List.of("visma"), List.of("raet"), List.of("youforce"), List.of("fileapi"),
            List.of("file", "api"), List.of("logical", "doc"), List.of("logicaldoc"), List.of("opus2"),
            List.of("object", "entity", "id"), List.of("business", "type"), List.of("business", "types"),
            List.of("by", "service"), List.of("service", "name"), List.of("data", "service"),
            List.of("candidate", "service"), List.of("vacancy", "service"), List.of("relation", "service"),
            List.of("relation", "contact", "service"), List.of("user", "service"), List.of("document", "type", "service"),
            List.of("task", "service"), List.of("sales", "trajectory", "service"), List.of("project", "service"),
            List.of("attached", "documents", "service"), List.of("dossier", "service"), List.of("multi", "service"),
            List.of("language", "service"));

    /**
     * Core identifiers that still carry a wire word, outside this rule's first change; each is a
     * decision for its owner, listed so that the rule holds for everything else. Format: the
     * class's simple name, '#', the identifier.
     */
    static final Set<String> PENDING = Set.of(
            // ClientKind names the OWS credential after its dialect
            "ClientKind#OWS_API_KEY",
            // deliveries are grouped by the File API's business type
            "Delivery#businessType", "DeliveryAuthorization#businessType", "UploadTicket#businessType",
            "DeliveryService#businessTypes");

    @Test
    void coreNamesNoWireWord() {
        classes().that().resideInAPackage("io.dossier.core..")
                .should(new ArchCondition<JavaClass>("name nothing with a wire word of a dialect") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        var names = new ArrayList<String>();
                        names.add(type.getSimpleName());
                        type.getMethods().forEach(m -> names.add(m.getName()));
                        type.getFields().forEach(f -> names.add(f.getName()));
                        for (var name : names) {
                            if (PENDING.contains(type.getSimpleName() + "#" + name)) {
                                continue;
                            }
                            var word = wireWord(name);
                            if (word != null) {
                                events.add(SimpleConditionEvent.violated(type, type.getName() + " names '" + name + "', with the wire word '"
                                        + String.join(" ", word) + "'"));
                            }
                        }
                    }
                })
                .check(classes);
    }

    @Test
    void wireWordsAreFoundAsWordsNotLetters() {
        org.assertj.core.api.Assertions.assertThat(wireWord("OwsBindings")).containsExactly("ows");
        org.assertj.core.api.Assertions.assertThat(wireWord("OWS_API_KEY")).containsExactly("ows");
        org.assertj.core.api.Assertions.assertThat(wireWord("fileApiDeliveries")).containsExactly("file", "api");
        org.assertj.core.api.Assertions.assertThat(wireWord("byService")).containsExactly("by", "service");
        org.assertj.core.api.Assertions.assertThat(wireWord("lambda$byBusinessType$2")).containsExactly("business", "type");
        org.assertj.core.api.Assertions.assertThat(wireWord("rows")).isNull();
        org.assertj.core.api.Assertions.assertThat(wireWord("allowsOwnership")).isNull();
        org.assertj.core.api.Assertions.assertThat(wireWord("RecordService")).isNull();
        org.assertj.core.api.Assertions.assertThat(wireWord("DocumentService")).isNull();
    }

    /** The first wire word in {@code identifier}, split into lower-case words at case changes, digits runs kept, and non-letters. */
    static List<String> wireWord(String identifier) {
        var words = Arrays.stream(identifier.split("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])"))
                .filter(w -> !w.isEmpty()).map(w -> w.toLowerCase(Locale.ROOT)).toList();
        for (var wire : WIRE_WORDS) {
            for (int i = 0; i + wire.size() <= words.size(); i++) {
                if (words.subList(i, i + wire.size()).equals(wire)) {
                    return wire;
                }
            }
        }
        return null;
    }
}
