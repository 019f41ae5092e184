package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.StorageSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Durable jobs on two {@code dossier start} nodes sharing one PostgreSQL database: 1,000 jobs
 * enqueued through both are each run exactly once (counted by each node's own
 * {@code dossier_job_attempts_total}, not by the job table), and a job whose node is killed with
 * SIGKILL mid-run is taken over by the other node when its lease ends and completes there.
 * Only in the PostgreSQL + S3 run: the embedded database belongs to one process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeJobsIT {

    /** Short leases and polls, so that a takeover is seen within the test. */
    static final Map<String, String> FAST_JOBS = Map.of("jobs.lease-seconds", "3", "jobs.poll-millis", "100", "jobs.concurrency", "8");

    Deployment deployment;
    Node a;
    Node b;
    String token;
    String tenant = "jobs";

    @BeforeAll
    void start() {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.POSTGRES_S3, "several nodes need PostgreSQL + S3");
        var logs = CrashIT.logFolder("multi-node-jobs");
        try {
            java.nio.file.Files.createDirectories(logs);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        deployment = new Deployment(StorageSetup.Kind.POSTGRES_S3, logs, FAST_JOBS);
        a = deployment.launch("node-a");
        a.awaitReady(Deployment.STARTUP);
        b = deployment.launch("node-b");
        b.awaitReady(Deployment.STARTUP);
        token = deployment.createAdminToken();
        send(a, "POST", "/admin/api/tenants", "{\"slug\":\"" + tenant + "\"}", 201);
    }

    @AfterAll
    void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    @Order(1)
    void twoNodesRunEachOfAThousandJobsExactlyOnce() throws Exception {
        var nodes = List.of(a, b);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 1000; i++) {
                var node = nodes.get(i % 2);
                futures.add(pool.submit(() -> send(node, "POST", "/admin/api/tenants/" + tenant + "/jobs", "{\"kind\":\"noop\"}", 201)));
            }
            for (var f : futures) {
                f.get();
            }
        }
        var done = awaitJobs(1000, "done", Duration.ofMinutes(3));
        assertThat(done).hasSize(1000);
        assertThat(done).allSatisfy(job -> assertThat(job.path("attempts").asInt()).as(job.toString()).isEqualTo(1));
        long onA = attempts(a, "done");
        long onB = attempts(b, "done");
        assertThat(onA + onB).as("runs counted by the nodes themselves (a %d, b %d)", onA, onB).isEqualTo(1000);
        assertThat(onA).as("node a ran some").isPositive();
        assertThat(onB).as("node b ran some").isPositive();
        assertThat(attempts(a, "lost") + attempts(b, "lost")).isZero();
    }

    @Test
    @Order(2)
    void aJobSurvivesKillNineOfItsNodeAndCompletesOnTheOther() {
        var job = send(a, "POST", "/admin/api/tenants/" + tenant + "/jobs", "{\"kind\":\"noop\",\"payload\":{\"sleepMillis\":6000}}", 201);
        var id = job.path("id").asLong();
        JsonNode running = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            running = send(a, "GET", "/admin/api/jobs/" + id, null, 200);
            if (running.path("state").asText().equals("running")) {
                break;
            }
            Node.sleep(50);
        }
        assertThat(running.path("state").asText()).isEqualTo("running");
        var runner = running.path("node").asText();
        var victim = runner.endsWith("-" + a.pid()) ? a : b;
        var survivor = victim == a ? b : a;
        assertThat(runner).endsWith("-" + victim.pid());
        long doneBefore = attempts(survivor, "done");
        victim.kill();

        JsonNode finished = null;
        deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            finished = send(survivor, "GET", "/admin/api/jobs/" + id, null, 200);
            if (finished.path("state").asText().equals("done")) {
                break;
            }
            Node.sleep(200);
        }
        assertThat(finished.path("state").asText()).as(finished.toString()).isEqualTo("done");
        assertThat(finished.path("attempts").asInt()).isEqualTo(2);
        assertThat(finished.path("node").asText()).endsWith("-" + survivor.pid());
        assertThat(attempts(survivor, "done")).isEqualTo(doneBefore + 1);
    }

    /** Waits until {@code count} of the tenant's jobs are in {@code state}; returns them. */
    List<JsonNode> awaitJobs(int count, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> jobs = List.of();
        while (System.nanoTime() < deadline) {
            var page = send(a, "GET", "/admin/api/tenants/" + tenant + "/jobs?state=" + state + "&limit=1000", null, 200);
            jobs = new ArrayList<>();
            page.path("jobs").forEach(jobs::add);
            if (jobs.size() >= count) {
                return jobs;
            }
            Node.sleep(250);
        }
        return jobs;
    }

    /** The node's own count of noop attempts with {@code outcome}, from its metrics. */
    static long attempts(Node node, String outcome) {
        var metrics = get(node, "/metrics");
        var matcher = Pattern.compile("(?m)^dossier_job_attempts_total\\{kind=\"noop\",outcome=\"" + outcome + "\"} (\\S+)$").matcher(metrics);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    JsonNode send(Node node, String method, String path, String json, int expected) {
        return new AdminCalls(token).send(node, method, path, json, expected);
    }

    static String get(Node node, String path) {
        return AdminCalls.get(node, path);
    }
}
