package io.dossier.it.support;

import io.dossier.server.config.Settings;
import io.dossier.store.blob.S3ProxyProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh storage for one test server, of the setup this test run is for (system property
 * {@code dossier.it.storage}): {@code embedded} is H2 plus a blob folder; {@code postgres-s3} is a
 * new database on the PostgreSQL server named by {@code DOSSIER_TEST_POSTGRES} plus a new bucket on
 * an s3proxy process shared by the run. Without {@code DOSSIER_TEST_POSTGRES} the PostgreSQL run
 * aborts each test, so it is reported as skipped, never as passed.
 */
public final class StorageSetup implements AutoCloseable {

    public enum Kind { EMBEDDED, POSTGRES_S3 }

    public static final String POSTGRES_ENV = "DOSSIER_TEST_POSTGRES";
    /** The upload limit of test servers: small, so over-size uploads are cheap to test. */
    public static final long MAX_UPLOAD_BYTES = 60L * 1024 * 1024;
    private static S3ProxyProcess s3;

    private final Kind kind;
    private final Path folder;
    private final String jdbcUrl;
    private final String databaseName;
    private final String bucket;

    private StorageSetup(Kind kind, Path folder, String jdbcUrl, String databaseName, String bucket) {
        this.kind = kind;
        this.folder = folder;
        this.jdbcUrl = jdbcUrl;
        this.databaseName = databaseName;
        this.bucket = bucket;
    }

    public static Kind kind() {
        return System.getProperty("dossier.it.storage", "embedded").equals("postgres-s3") ? Kind.POSTGRES_S3 : Kind.EMBEDDED;
    }

    /** New, empty storage of this run's kind. */
    public static StorageSetup create() {
        return create(kind());
    }

    /** New, empty storage of {@code kind}, whatever this run is for (the crash bench picks its own). */
    public static StorageSetup create(Kind kind) {
        try {
            var folder = Files.createTempDirectory("dossier-it-");
            if (kind == Kind.EMBEDDED) {
                return new StorageSetup(Kind.EMBEDDED, folder,
                        "jdbc:h2:file:" + folder.resolve("db").resolve("dossier"), null, null);
            }
            var admin = adminUrl();
            var name = "dossier_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            try (var connection = DriverManager.getConnection(admin); var statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            }
            var bucket = "it-" + name.substring("dossier_it_".length());
            s3().createBucket(bucket);
            return new StorageSetup(Kind.POSTGRES_S3, folder, withDatabase(admin, name), name, bucket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + System.getenv(POSTGRES_ENV) + ": " + e.getMessage(), e);
        }
    }

    private static String adminUrl() {
        var url = System.getenv(POSTGRES_ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                POSTGRES_ENV + " is not set: the PostgreSQL + S3 run is skipped");
        return url;
    }

    /** Swaps the database name of a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String url, String database) {
        var query = url.indexOf('?');
        var base = query < 0 ? url : url.substring(0, query);
        var params = query < 0 ? "" : url.substring(query);
        var slash = base.indexOf('/', "jdbc:postgresql://".length());
        var hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + database + params;
    }

    static synchronized S3ProxyProcess s3() {
        if (s3 == null) {
            try {
                s3 = S3ProxyProcess.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return s3;
    }

    public Kind setupKind() {
        return kind;
    }

    /** A scratch folder that lives as long as this storage (the dev data folder, for the embedded kind). */
    public Path folder() {
        return folder;
    }

    /** Settings of a server on this storage; {@code port} 0 picks a free one. */
    /** The secrets key of every test server: one installation's key, the same on all its nodes. */
    public static final byte[] TEST_SECRETS_KEY = java.util.Base64.getDecoder().decode("3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=");

    public Settings settings(int port, Map<String, Integer> dialectPorts, boolean seedDemo) {
        return settings(port, dialectPorts, seedDemo, Settings.HttpLimits.defaults());
    }

    /** The same with HTTP limits of its own. */
    public Settings settings(int port, Map<String, Integer> dialectPorts, boolean seedDemo, Settings.HttpLimits httpLimits) {
        Settings.BlobSettings blobs = kind == Kind.EMBEDDED
                ? new Settings.FolderBlobs(folder.resolve("blobs"))
                : new Settings.S3Blobs(s3().endpoint(), s3().region(), bucket, s3().accessKey(), s3().secretKey(), true, "");
        return new Settings("127.0.0.1", port, dialectPorts, httpLimits, jdbcUrl, kind == Kind.EMBEDDED ? "dossier" : "", "", 8,
                (long) io.dossier.store.sql.Database.COMPACT_FROM_MB << 20, blobs, Duration.ofMinutes(840), Duration.ofSeconds(2), Duration.ofSeconds(10), MAX_UPLOAD_BYTES, Duration.ofHours(24), Duration.ofHours(2),
                Duration.ofHours(1), Settings.ScrubSettings.defaults(), Duration.ofSeconds(60), Duration.ofDays(30), Settings.JobSettings.defaults(),
                Settings.RateLimitSettings.defaults(), Optional.empty(), Optional.of(folder), seedDemo,
                Settings.WebhookSettings.defaults().withSecretsKey(TEST_SECRETS_KEY), Duration.ofMinutes(30));
    }

    /**
     * The {@code DOSSIER_*} variables of a {@code dossier start} process on this storage, listening on
     * 127.0.0.1:{@code port}; {@code extra} adds or overrides settings (keys as in the config file).
     */
    public Map<String, String> startEnvironment(int port, Map<String, String> extra) {
        var settings = new java.util.TreeMap<String, String>();
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", Integer.toString(port));
        settings.put("db.url", jdbcUrl);
        settings.put("db.pool-size", "8");
        settings.put("upload.max-bytes", Long.toString(MAX_UPLOAD_BYTES));
        if (kind == Kind.EMBEDDED) {
            settings.put("db.user", "dossier");
            settings.put("blob.store", "folder");
            settings.put("blob.folder", folder.resolve("blobs").toString());
        } else {
            settings.put("blob.store", "s3");
            settings.put("s3.endpoint", s3().endpoint().toString());
            settings.put("s3.region", s3().region());
            settings.put("s3.bucket", bucket);
            settings.put("s3.access-key", s3().accessKey());
            settings.put("s3.secret-key", s3().secretKey());
            settings.put("s3.path-style", "true");
        }
        settings.putAll(extra);
        return environment(settings);
    }

    /** Settings (keys as in the config file) as the {@code DOSSIER_*} variables a node reads. */
    public static Map<String, String> environment(Map<String, String> settings) {
        var environment = new java.util.TreeMap<String, String>();
        settings.forEach((key, value) -> environment.put(
                "DOSSIER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return environment;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<S3ProxyProcess> s3Server() {
        return kind == Kind.POSTGRES_S3 ? Optional.of(s3()) : Optional.empty();
    }

    public Optional<String> bucket() {
        return Optional.ofNullable(bucket);
    }

    public String describe() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        if (databaseName != null) {
            try (var connection = DriverManager.getConnection(System.getenv(POSTGRES_ENV));
                 var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test database " + databaseName, e);
            }
        }
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
