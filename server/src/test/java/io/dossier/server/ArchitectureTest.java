package io.dossier.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
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
}
