package io.dossier.store.blob;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for tests: s3proxy, run from its jar-with-dependencies as a separate process on a
 * free loopback port, storing objects in a temp folder. Start it once per test class:
 *
 * <pre>{@code
 * static S3ProxyProcess s3 = S3ProxyProcess.start("my-bucket");   // in @BeforeAll
 * s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region()      // what a client needs (path-style)
 * s3.close();                                                      // in @AfterAll
 * }</pre>
 *
 * <p>The jar is taken from the local Maven repository ({@code maven.repo.local}, else
 * {@code ~/.m2/repository}); a module that depends on {@code org.gaul:s3proxy:jar-with-dependencies}
 * (scope test, all exclusions) has it there. This class needs only the JDK and the AWS SDK v2
 * ({@code s3}, {@code url-connection-client}), so another module can copy it as it is.
 */
public final class S3ProxyProcess implements AutoCloseable {

    public static final String VERSION = System.getProperty("s3proxy.version", "4.1.0");

    private static final String ACCESS_KEY = "dossier-test-access";
    private static final String SECRET_KEY = "dossier-test-secret";
    private static final String REGION = "us-east-1";
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final Path folder;
    private final URI endpoint;
    private final S3Client client;
    private final Thread killOnExit;

    private S3ProxyProcess(Process process, Path folder, URI endpoint) {
        this.process = process;
        this.folder = folder;
        this.endpoint = endpoint;
        this.client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .build();
        // A test JVM that exits without close() (killed fork, forgotten @AfterAll) still leaves nothing.
        this.killOnExit = new Thread(() -> {
            try {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                deleteRecursively(folder);
            } catch (InterruptedException | RuntimeException e) {
                // best effort while the JVM exits
            }
        }, "s3proxy-cleanup");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts s3proxy, waits until it answers and creates {@code buckets}. */
    public static S3ProxyProcess start(String... buckets) throws IOException, InterruptedException {
        var jar = jar();
        var folder = Files.createTempDirectory("s3proxy-");
        try {
            var started = startOnFreePort(jar, folder);
            try {
                for (var bucket : buckets) {
                    started.createBucket(bucket);
                }
                return started;
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteRecursively(folder);
            throw e;
        }
    }

    /** The s3proxy jar in the local Maven repository; fails with the command that fetches it. */
    public static Path jar() {
        var repository = System.getProperty("maven.repo.local");
        var root = repository == null || repository.isBlank()
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(repository);
        var jar = root.resolve(Path.of("org", "gaul", "s3proxy", VERSION, "s3proxy-" + VERSION + "-jar-with-dependencies.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy is missing: no " + jar + "; fetch it with `mvn dependency:get"
                    + " -Dartifact=org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies`");
        }
        return jar;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** A client for the tests' own look at the server, e.g. to list what a test left behind. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /** What s3proxy printed, for diagnosing a failed test. */
    public Path log() {
        return folder.resolve("s3proxy.log");
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or about to: nothing left to do
        }
        deleteRecursively(folder);
    }

    private static S3ProxyProcess startOnFreePort(Path jar, Path folder) throws IOException, InterruptedException {
        var data = Files.createDirectories(folder.resolve("data"));
        // A free port can be taken by someone else before s3proxy binds it; then try another.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            var endpoint = URI.create("http://127.0.0.1:" + port);
            var properties = folder.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY,
                    "jclouds.filesystem.basedir=" + data.toString().replace("\\", "\\\\"),
                    ""), StandardCharsets.UTF_8);
            var log = folder.resolve("s3proxy.log");
            var process = new ProcessBuilder(List.of(java(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(), "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (awaitPort(process, port)) {
                return new S3ProxyProcess(process, folder, endpoint);
            }
            process.destroyForcibly().waitFor();
            var output = Files.readString(log, StandardCharsets.UTF_8);
            if (attempt < 3 && output.contains("Address already in use")) {
                continue;
            }
            throw new IllegalStateException("s3proxy did not start on port " + port + " within " + STARTUP.toSeconds()
                    + " s; its output:\n" + tail(output, 4000));
        }
    }

    /** The JVM running the tests: s3proxy needs a recent Java, and this one is known to be installed. */
    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean awaitPort(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static String tail(String text, int characters) {
        return text.length() <= characters ? text : "…" + text.substring(text.length() - characters);
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
