package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway runs when the schema is not at this build's, and only then; once per database (H2, PostgreSQL). */
abstract class MigrationsTest {

    protected abstract TestDatabase newDatabase();

    @Test
    void aStartOnAnUpToDateSchemaSkipsFlywayAndAnyChangeToTheMigrationsRunsItAgain() throws Exception {
        try (var test = newDatabase()) {
            var db = test.database().dataSource();
            // the database was opened (and migrated) by newDatabase: nothing is due now
            assertThat(Migrations.apply(db)).isFalse();
            // another set of migrations (an edited file, a new one, an older build's) has another fingerprint
            try (var connection = db.getConnection(); var statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE " + SchemaFingerprints.TABLE + " SET fingerprint = 'another build' WHERE part = 'migrations'");
            }
            assertThat(Migrations.apply(db)).isTrue();
            assertThat(Migrations.apply(db)).isFalse();
            // a database from before fingerprints: Flyway decides, and finds nothing due
            try (var connection = db.getConnection(); var statement = connection.createStatement()) {
                statement.executeUpdate("DROP TABLE " + SchemaFingerprints.TABLE);
            }
            assertThat(Migrations.apply(db)).isTrue();
            try (var connection = db.getConnection(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE NOT success")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }

    @Test
    void theFingerprintIsTheSameFromAFolderAndFromAJarAndChangesWithAnyFile(@TempDir Path temp) throws Exception {
        var folder = temp.resolve("classes");
        Files.createDirectories(folder.resolve(Migrations.LOCATION));
        Files.writeString(folder.resolve(Migrations.LOCATION).resolve("V1__a.sql"), "CREATE TABLE a (id INT);");
        Files.writeString(folder.resolve(Migrations.LOCATION).resolve("V2__b.sql"), "CREATE TABLE b (id INT);");
        var jar = temp.resolve("store.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(Migrations.LOCATION + "/"));
            for (var name : new String[] {"V2__b.sql", "V1__a.sql"}) {
                out.putNextEntry(new JarEntry(Migrations.LOCATION + "/" + name));
                out.write(Files.readAllBytes(folder.resolve(Migrations.LOCATION).resolve(name)));
            }
            out.putNextEntry(new JarEntry("other/V3__c.sql"));
            out.write("not a migration".getBytes(StandardCharsets.UTF_8));
        }
        String fromFolder;
        try (var loader = new URLClassLoader(new java.net.URL[] {folder.toUri().toURL()}, null)) {
            fromFolder = Migrations.fingerprint(loader);
        }
        try (var loader = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            assertThat(Migrations.fingerprint(loader)).isEqualTo(fromFolder);
        }
        Files.writeString(folder.resolve(Migrations.LOCATION).resolve("V2__b.sql"), "CREATE TABLE b (id BIGINT);");
        try (var loader = new URLClassLoader(new java.net.URL[] {folder.toUri().toURL()}, null)) {
            assertThat(Migrations.fingerprint(loader)).isNotEqualTo(fromFolder);
        }
    }
}
