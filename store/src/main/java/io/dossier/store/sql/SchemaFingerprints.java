package io.dossier.store.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * What the last start that changed the schema left it as, one fingerprint per part (the
 * migrations; the record types' tables), in a small table of its own beside Flyway's history. A
 * start that would make the same schema again finds the same fingerprint and skips the work of
 * checking it, which is most of a restart's database work; any other start does it as before.
 */
final class SchemaFingerprints {

    static final String TABLE = "dossier_schema_fingerprint";

    private SchemaFingerprints() {
    }

    /** The fingerprint recorded for {@code part}, or null (a new database, or none recorded). */
    static String recorded(DataSource dataSource, String part) {
        try (var connection = dataSource.getConnection();
             var select = connection.prepareStatement("SELECT fingerprint FROM " + TABLE + " WHERE part = ?")) {
            select.setString(1, part);
            try (var rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException noTableYet) {
            return null;
        }
    }

    /** Records {@code part}'s fingerprint; failing to is only a cost (the next start checks again), so it is logged, not thrown. */
    static void record(DataSource dataSource, String part, String fingerprint) {
        try (var connection = dataSource.getConnection()) {
            try (var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (part VARCHAR(40) PRIMARY KEY, fingerprint VARCHAR(64) NOT NULL)");
            }
            connection.setAutoCommit(false);
            try (var delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE part = ?");
                 var insert = connection.prepareStatement("INSERT INTO " + TABLE + " (part, fingerprint) VALUES (?, ?)")) {
                delete.setString(1, part);
                delete.executeUpdate();
                insert.setString(1, part);
                insert.setString(2, fingerprint);
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LoggerFactory.getLogger(SchemaFingerprints.class).warn("could not record the schema's {} fingerprint: {}", part, e.getMessage());
        }
    }

    /** A new SHA-256 digest; {@link #hex} ends it. */
    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code text} and a separator to the digest. */
    static void add(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
