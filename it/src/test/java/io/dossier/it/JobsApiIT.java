package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.Http;
import io.dossier.it.support.TestServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable jobs through the admin API on the run's storage setup: an operator's no-op job runs, a
 * failing one records its error and waits for its next attempt, is cancelled and retried, and a
 * tenant's jobs are not reachable under another tenant.
 */
class JobsApiIT {

    TestServer server;
    Http admin;

    @BeforeEach
    void start() {
        server = TestServer.shared();
        admin = server.http().bearer(server.adminToken());
    }

    String createTenant() {
        var slug = "j-" + UUID.randomUUID().toString().substring(0, 8);
        var created = admin.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return slug;
    }

    JsonNode awaitState(String path, String state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode job;
        do {
            job = admin.get(path).json();
            if (job.path("state").asText().equals(state)) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        return job;
    }

    @Test
    void anOperatorsNoopJobRunsToDone() {
        var tenant = createTenant();
        var created = admin.post("/admin/api/tenants/" + tenant + "/jobs", "{\"kind\":\"noop\",\"payload\":{\"sleepMillis\":10}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("state").asText()).isEqualTo("queued");
        assertThat(created.json().path("payload").asText()).isEqualTo("{\"sleepMillis\":10}");
        var id = created.json().path("id").asLong();

        var done = awaitState("/admin/api/tenants/" + tenant + "/jobs/" + id, "done");
        assertThat(done.path("state").asText()).isEqualTo("done");
        assertThat(done.path("attempts").asInt()).isEqualTo(1);
        assertThat(done.path("finishedAt").isNull()).isFalse();
        assertThat(done.path("node").asText()).isNotBlank();

        var listed = admin.get("/admin/api/tenants/" + tenant + "/jobs?state=done");
        assertThat(listed.json().path("jobs").findValuesAsText("kind")).containsExactly("noop");
        assertThat(admin.get("/admin/api/jobs?tenant=" + tenant).json().path("jobs").size()).isEqualTo(1);
    }

    @Test
    void aFailingJobKeepsItsErrorIsCancelledAndRetried() {
        var tenant = createTenant();
        var created = admin.post("/admin/api/tenants/" + tenant + "/jobs", "{\"kind\":\"noop\",\"payload\":{\"fail\":\"receiver said no\"}}");
        var path = "/admin/api/tenants/" + tenant + "/jobs/" + created.json().path("id").asLong();
        var failed = awaitState(path, "failed");
        assertThat(failed.path("lastError").asText()).isEqualTo("IllegalStateException: receiver said no");
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.has("nextAttemptAt")).isTrue();

        var cancelled = admin.post(path + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asText()).isEqualTo("dead");
        assertThat(cancelled.json().path("lastError").asText()).isEqualTo("cancelled by an operator");
        var again = admin.post(path + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("code").asText()).isEqualTo("conflict");

        var retried = admin.post(path + "/retry", "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("state").asText()).isIn("queued", "running", "failed");
        var failedAgain = awaitState(path, "failed");
        assertThat(failedAgain.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void onlyKindsAnOperatorMayEnqueueAreAccepted() {
        var tenant = createTenant();
        var internal = admin.post("/admin/api/tenants/" + tenant + "/jobs", "{\"kind\":\"files.collect\"}");
        assertThat(internal.status()).isEqualTo(400);
        assertThat(internal.json().path("error").path("message").asText()).contains("noop");
        assertThat(admin.post("/admin/api/tenants/" + tenant + "/jobs", "{}").status()).isEqualTo(400);
        assertThat(admin.post("/admin/api/tenants/" + tenant + "/jobs", "{\"kind\":\"noop\",\"x\":1}").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/jobs?state=sleeping").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/jobs?limit=0").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/jobs/abc").status()).isEqualTo(404);
    }

    @Test
    void aTenantsJobIsNotReachableUnderAnotherTenant() {
        var owner = createTenant();
        var other = createTenant();
        var created = admin.post("/admin/api/tenants/" + owner + "/jobs", "{\"kind\":\"noop\",\"payload\":{\"fail\":\"x\"}}");
        var id = created.json().path("id").asLong();
        for (var path : new String[] {"/admin/api/tenants/" + other + "/jobs/" + id}) {
            assertThat(admin.get(path).status()).isEqualTo(404);
            assertThat(admin.post(path + "/cancel", "").status()).isEqualTo(404);
            assertThat(admin.post(path + "/retry", "").status()).isEqualTo(404);
        }
        assertThat(admin.get("/admin/api/tenants/" + other + "/jobs").json().path("jobs").size()).isZero();
        // the operator's view over every tenant finds it
        assertThat(admin.get("/admin/api/jobs/" + id).status()).isEqualTo(200);
        assertThat(admin.post("/admin/api/tenants/" + owner + "/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        // without a token nothing is listed
        assertThat(server.http().get("/admin/api/jobs").status()).isEqualTo(401);
    }
}
