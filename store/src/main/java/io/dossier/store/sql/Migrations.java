package io.dossier.store.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * The schema's migrations (Flyway, {@code db/migration}), run only when the database is not
 * already at this build's schema.
 *
 * <p>Flyway checks every start: it scans the class path, reads and checksums every migration,
 * reads its history and validates one against the other. That was a quarter of the work of opening
 * the embedded database on a restart, where nothing is ever due. So after a successful migration
 * the fingerprint of the migrations it ran with (SHA-256 over each file's name and bytes) is kept
 * in a one-row table beside Flyway's history, and a start that finds the same fingerprint there
 * skips Flyway. Any change to the set (a new migration, an edited one, an older build's set after a
 * newer one ran) gives another fingerprint, so Flyway runs and decides as it always did.
 */
final class Migrations {

    static final String LOCATION = "db/migration";
    static final String TABLE = "dossier_schema_fingerprint";

    private Migrations() {
    }

    /** Brings the schema up to this build's; returns whether Flyway ran. */
    static boolean apply(DataSource dataSource) {
        var fingerprint = fingerprint(Migrations.class.getClassLoader());
        if (fingerprint.equals(recorded(dataSource))) {
            return false;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + LOCATION)
                .loggers("slf4j")
                .load()
                .migrate();
        record(dataSource, fingerprint);
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
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            files.forEach((name, bytes) -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(bytes);
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint the last migration left, or null (a new database, or one from before fingerprints). */
    private static String recorded(DataSource dataSource) {
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT fingerprint FROM " + TABLE + " WHERE id = 1")) {
                return rows.next() ? rows.getString(1) : null;
            } catch (SQLException noTable) {
                return null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    private static void record(DataSource dataSource, String fingerprint) {
        try (var connection = dataSource.getConnection()) {
            try (var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, fingerprint VARCHAR(64) NOT NULL)");
            }
            connection.setAutoCommit(false);
            try (var delete = connection.prepareStatement("DELETE FROM " + TABLE);
                 var insert = connection.prepareStatement("INSERT INTO " + TABLE + " (id, fingerprint) VALUES (1, ?)")) {
                delete.executeUpdate();
                insert.setString(1, fingerprint);
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // only a cost: the next start runs Flyway again
            LoggerFactory.getLogger(Migrations.class).warn("could not record the schema's fingerprint: {}", e.getMessage());
        }
    }
}
