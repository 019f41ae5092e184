package io.dossier.it.durability;

import io.dossier.core.identity.Secrets;
import io.dossier.it.support.StorageSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The storage of a run and how its nodes are launched on it. On the embedded setup (H2 + a blob
 * folder) a node is {@code dossier dev --data <folder>}, the one a developer runs, with its seeded
 * demo credentials; on PostgreSQL + S3 (s3proxy) it is {@code dossier start} with {@code DOSSIER_*}
 * variables, and the credentials are made by an operator's commands: {@code dossier admin-token
 * create}, then the admin REST API.
 */
final class Deployment implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Pattern BLOB_ID = Pattern.compile("[0-9a-f]{32}");

    private final StorageSetup storage;
    private final Path logs;
    private final Map<String, String> settings;
    private final List<Node> launched = new ArrayList<>();
    private final Thread killOnExit;

    /**
     * New, empty storage of {@code kind}; node logs go to {@code logs}. {@code settings} are added to
     * every node's configuration (keys as in the config file; a {@code dev} node takes them as the
     * {@code DOSSIER_*} variables its defaults give way to).
     */
    Deployment(StorageSetup.Kind kind, Path logs, Map<String, String> settings) {
        this.storage = StorageSetup.create(kind);
        this.logs = logs;
        // the load of a crash run sends as fast as it can: it measures durability, not rate limits (unless a test sets them)
        var withLimits = new java.util.HashMap<>(settings);
        withLimits.putIfAbsent("ratelimit.enabled", "false");
        this.settings = Map.copyOf(withLimits);
        // a run that dies (a failed test, Ctrl-C on the bench) leaves no server process behind
        this.killOnExit = new Thread(this::killAll, "crash-nodes-cleanup");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    StorageSetup.Kind kind() {
        return storage.setupKind();
    }

    /** The storage's folder: the data folder of embedded ({@code dev}) nodes. */
    java.nio.file.Path storageFolder() {
        return storage.folder();
    }

    /** Launches node {@code name} on a free port; wait for it with {@link Node#awaitReady}. */
    synchronized Node launch(String name) {
        var port = Node.freePort();
        var log = logs.resolve(name + ".log");
        var node = kind() == StorageSetup.Kind.EMBEDDED
                ? Node.launch(name, port, List.of("dev", "--data", storage.folder().toString(), "--port", Integer.toString(port)),
                        StorageSetup.environment(settings), log)
                : Node.launch(name, port, List.of("start"), storage.startEnvironment(port, settings), log);
        launched.add(node);
        return node;
    }

    /** The load's credentials, once the first node is ready. */
    Credentials credentials(Node ready) {
        if (kind() == StorageSetup.Kind.EMBEDDED) {
            return Credentials.fromDemo(storage.folder());
        }
        return Credentials.provision(ready, createAdminToken(), "crash");
    }

    /** {@code dossier admin-token create}, run as its own process on this storage; returns the printed token. */
    String createAdminToken() {
        var java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.dossier.server.Main", "admin-token", "create", "--name", "crash").redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("DOSSIER_"));
        builder.environment().putAll(storage.startEnvironment(0, settings));
        try {
            var process = builder.start();
            try {
                var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("dossier admin-token create failed:\n" + output);
                }
                var matcher = Pattern.compile("(?m)^token: (\\S+)").matcher(output);
                if (!matcher.find()) {
                    throw new IllegalStateException("dossier admin-token create printed no token:\n" + output);
                }
                return matcher.group(1);
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Blob ids in the store: files named as blob ids under the blob folder (temp files apart), or the bucket's keys (chunk sums apart). */
    Set<String> storedBlobs() {
        var ids = new HashSet<String>();
        if (kind() == StorageSetup.Kind.EMBEDDED) {
            var blobs = storage.folder().resolve("blobs").resolve("blobs");
            if (Files.isDirectory(blobs)) {
                try (var paths = Files.walk(blobs)) {
                    paths.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> BLOB_ID.matcher(n).matches()).forEach(ids::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } else {
            var s3 = storage.s3Server().orElseThrow();
            s3.client().listObjectsV2Paginator(b -> b.bucket(storage.bucket().orElseThrow())).contents().stream()
                    .map(o -> o.key()).filter(key -> !key.endsWith(".sums")).forEach(ids::add);   // a blob's chunk sums are not a blob
        }
        return ids;
    }

    /** Files left in the blob folder's {@code tmp/} (writes cut off by a kill); 0 on S3. */
    int tempFiles() {
        var tmp = storage.folder().resolve("blobs").resolve("tmp");
        if (kind() != StorageSetup.Kind.EMBEDDED || !Files.isDirectory(tmp)) {
            return 0;
        }
        try (var files = Files.list(tmp)) {
            return (int) files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blob ids some row refers to (files, resumable chunks). Read with JDBC; on H2 only while no node runs. */
    Set<String> referencedBlobs() {
        return strings("SELECT blob_id FROM stored_file UNION SELECT blob_id FROM upload_chunk");
    }

    /** Of the resumable upload tokens given, how many still have an open ticket (a closed one stays until it expires). */
    long openTickets(List<String> uploadTokens) {
        var open = strings("SELECT token_hash FROM upload_ticket WHERE published_file_id IS NULL");
        return uploadTokens.stream().filter(token -> open.contains(Secrets.hash(token))).count();
    }

    /** The first column of every row of {@code sql}, on the run's database. */
    Set<String> strings(String sql, Object... parameters) {
        var embedded = kind() == StorageSetup.Kind.EMBEDDED;
        // the server opens H2 with lower-case names (as PostgreSQL folds them); so must we
        try (var connection = embedded ? DriverManager.getConnection(storage.jdbcUrl() + ";DATABASE_TO_LOWER=TRUE", "dossier", "")
                : DriverManager.getConnection(storage.jdbcUrl());
             var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            var out = new HashSet<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    out.add(rows.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the run's database: " + e.getMessage(), e);
        }
    }

    StorageSetup storage() {
        return storage;
    }

    private synchronized void killAll() {
        launched.forEach(Node::close);
    }

    /** Kills any node still running and drops the storage. */
    @Override
    public void close() {
        try {
            killAll();
            storage.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException alreadyExiting) {
                // the hook runs anyway
            }
        }
    }
}
