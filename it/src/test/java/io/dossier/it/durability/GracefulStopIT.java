package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.StorageSetup;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to {@code dossier dev}, as an operator (or Ctrl-C) stops it. The embedded database used
 * to close itself by a shutdown hook of its own, beside Dossier's: requests that Dossier's hook lets
 * finish failed with 500s, and a start still seeding the demo died with a stack trace. Only in the
 * embedded run ({@code dossier start} on PostgreSQL has no such hook).
 */
class GracefulStopIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Path logs;

    @BeforeEach
    void embeddedOnly() throws IOException {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.EMBEDDED, "dossier dev runs on the embedded database");
        logs = CrashIT.logFolder("graceful-stop");
        Files.createDirectories(logs);
    }

    @Test
    void aStopWhileTheDemoIsSeededEndsQuietlyAndTheNextStartSeedsIt() throws Exception {
        var data = logs.resolve("data");
        int port = Node.freePort();
        try (var node = launch("seeding", data, port)) {
            // /health/ready answers 503 from when HTTP listens until the demo is seeded
            int status = awaitListening(node);
            assertThat(status).as("the demo was seeded before the test could stop the start; its log:%n%s", node.logTail()).isEqualTo(503);
            node.stop();
            assertThat(node.isAlive()).isFalse();
            assertThat(node.logTail()).contains("dossier: stopped while starting").doesNotContain("Exception").doesNotContain("\tat ");
        }
        try (var node = launch("after", data, port)) {
            node.awaitReady(Deployment.STARTUP);
            var demo = JSON.readTree(data.resolve("demo-credentials.json").toFile());
            var tenants = HTTP.send(HttpRequest.newBuilder(node.uri("/admin/api/tenants"))
                    .header("Authorization", "Bearer " + demo.path("adminToken").asText()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tenants.statusCode()).isEqualTo(200);
            assertThat(tenants.body()).contains("\"demo\"");
            node.stop();
            assertThat(node.logTail()).doesNotContain("Exception");
        }
    }

    @Test
    void requestsInFlightWhenStoppedAreAnsweredNeverWithA500() throws Exception {
        var data = logs.resolve("data");
        int port = Node.freePort();
        try (var node = launch("serving", data, port)) {
            node.awaitReady(Deployment.STARTUP);
            var token = JSON.readTree(data.resolve("demo-credentials.json").toFile()).path("adminToken").asText();
            var statuses = new ConcurrentHashMap<Integer, AtomicInteger>();
            var stopping = new AtomicBoolean();
            var clients = new ArrayList<Thread>();
            for (int i = 0; i < 8; i++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    // until the server is gone: each request reads the database, and is answered or refused
                    while (true) {
                        try {
                            var response = HTTP.send(HttpRequest.newBuilder(node.uri("/admin/api/tenants/demo/users"))
                                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        } catch (IOException gone) {
                            if (stopping.get()) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            while (statuses.getOrDefault(200, new AtomicInteger()).get() < 200) {
                Node.sleep(20);
            }
            stopping.set(true);
            node.stop();
            for (var client : clients) {
                client.join(Duration.ofSeconds(30));
            }
            assertThat(node.isAlive()).isFalse();
            assertThat(statuses).as("answers by status, the log:%n%s", node.logTail()).doesNotContainKey(500);
            assertThat(node.logTail()).doesNotContain("already closed").doesNotContain("Exception");
        }
    }

    private Node launch(String name, Path data, int port) {
        return Node.launch(name, port, List.of("dev", "--data", data.toString(), "--port", Integer.toString(port)), Map.of(),
                logs.resolve(name + ".log"));
    }

    /** The first status of /health/ready once the node listens. */
    private static int awaitListening(Node node) {
        long deadline = System.nanoTime() + Deployment.STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException(node.name() + " exited before it listened; its log:\n" + node.logTail());
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(node.uri("/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYet) {
                Node.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(node.name() + " did not listen within " + Deployment.STARTUP.toSeconds() + " s");
    }
}
