package io.dossier.store.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The schema's migrations (Flyway, {@code db/migration}), run only when the database is not
 * already at this build's schema.
 *
 * <p>Flyway checks every start: it scans the class path, reads and checksums every migration,
 * reads its history and validates one against the other. That was a quarter of the work of opening
 * the embedded database on a restart, where nothing is ever due. So after a successful migration
 * the fingerprint of the migrations it ran with (SHA-256 over each file's name and bytes) is kept
 * ({@link SchemaFingerprints}), and a start that finds the same fingerprint there skips Flyway. Any change to the set (a new migration, an edited one, an older build's set after a
 * newer one ran) gives another fingerprint, so Flyway runs and decides as it always did.
 *
 * <p>Migrations that must differ between H2 and PostgreSQL beyond what portable SQL allows are
 * Java ({@link #JAVA}); their versions and checksums are part of the fingerprint too.
 */
final class Migrations {

    static final String LOCATION = "db/migration";
    static final String PART = "migrations";
    /** The Java migrations, next to the files: each says in its checksum when its statements changed. */
    static final List<JavaMigration> JAVA = List.of(new ChangeFeedWithoutLockMigration());

    private Migrations() {
    }

    /** Brings the schema up to this build's; returns whether Flyway ran. */
    static boolean apply(DataSource dataSource) {
        var fingerprint = fingerprint(Migrations.class.getClassLoader());
        if (fingerprint.equals(SchemaFingerprints.recorded(dataSource, PART))) {
            return false;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + LOCATION)
                .javaMigrations(JAVA.toArray(JavaMigration[]::new))
                .loggers("slf4j")
                .load()
                .migrate();
        SchemaFingerprints.record(dataSource, PART, fingerprint);
        return true;
    }

    /** The SHA-256 of the migration files {@code loader} holds (in a folder or a jar), names and bytes, in name order. */
    static String fingerprint(ClassLoader loader) {
        var files = new TreeMap<String, byte[]>();
        var url = loader.getResource(LOCATION);
        if (url == null) {
            throw new IllegalStateException("no " + LOCATION + " on the class path");
        }
        try {
            switch (url.getProtocol()) {
                case "file" -> {
                    try (var listing = Files.list(Path.of(url.toURI()))) {
                        for (var file : listing.filter(f -> f.getFileName().toString().endsWith(".sql")).toList()) {
                            files.put(file.getFileName().toString(), Files.readAllBytes(file));
                        }
                    }
                }
                case "jar" -> {
                    var connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(false);
                    try (var jar = connection.getJarFile()) {
                        for (var entry : java.util.Collections.list(jar.entries())) {
                            var name = entry.getName();
                            if (name.startsWith(LOCATION + "/") && name.endsWith(".sql") && name.indexOf('/', LOCATION.length() + 1) < 0) {
                                try (var in = jar.getInputStream(entry)) {
                                    files.put(name.substring(LOCATION.length() + 1), in.readAllBytes());
                                }
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException("cannot list migrations at " + url);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (var migration : JAVA) {
            files.put("V" + migration.getVersion() + "__" + migration.getDescription() + ".java",
                    String.valueOf(migration.getChecksum()).getBytes(StandardCharsets.UTF_8));
        }
        var digest = SchemaFingerprints.digest();
        files.forEach((name, bytes) -> {
            SchemaFingerprints.add(digest, name);
            digest.update(bytes);
            digest.update((byte) 0);
        });
        return SchemaFingerprints.hex(digest);
    }
}
