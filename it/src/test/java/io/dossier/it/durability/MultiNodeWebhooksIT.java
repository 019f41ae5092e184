package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.StorageSetup;
import io.dossier.it.support.WebhookReceiver;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks on two {@code dossier start} nodes sharing one PostgreSQL database and one secrets key:
 * the node delivering a notification to a receiver that does not answer is killed with SIGKILL,
 * and the other node takes the delivery over when its lease ends (timeout 3 s + 1 s) and completes
 * it. Only in the PostgreSQL + S3 run: the embedded database belongs to one process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeWebhooksIT {

    /** Short timeout and lease, quick polls: a takeover within seconds. */
    static final Map<String, String> FAST_WEBHOOKS = Map.of(
            "webhooks.timeout-millis", "3000",
            "webhooks.lease-margin-millis", "1000",
            "webhooks.poll-millis", "150",
            "webhooks.first-backoff-millis", "200",
            "webhooks.max-backoff-millis", "400",
            "secrets.key", Base64.getEncoder().encodeToString(StorageSetup.TEST_SECRETS_KEY));

    Deployment deployment;
    WebhookReceiver receiver;
    Node a;
    Node b;
    AdminCalls admin;
    Credentials credentials;

    @BeforeAll
    void start() {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.POSTGRES_S3, "several nodes need PostgreSQL + S3");
        var logs = CrashIT.logFolder("multi-node-webhooks");
        try {
            java.nio.file.Files.createDirectories(logs);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        receiver = new WebhookReceiver();
        deployment = new Deployment(StorageSetup.Kind.POSTGRES_S3, logs, FAST_WEBHOOKS);
        a = deployment.launch("node-a");
        b = deployment.launch("node-b");
        a.awaitReady(Deployment.STARTUP);
        b.awaitReady(Deployment.STARTUP);
        admin = new AdminCalls(deployment.createAdminToken());
        credentials = Credentials.provision(a, adminToken(), "hooks");
        admin.send(a, "PUT", "/admin/api/tenants/hooks/settings/webhooks.allow-private-targets", "{\"value\":true}", 200);
    }

    private String adminToken() {
        return admin.token();
    }

    @AfterAll
    void stop() {
        if (deployment != null) {
            deployment.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aDeliveryWhoseNodeIsKilledMidAttemptIsCompletedByTheOtherNode() {
        var path = "/hook/takeover";
        receiver.script(path, WebhookReceiver.HANG);
        var webhook = admin.send(b, "POST", "/admin/api/tenants/hooks/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"]}", 201);
        var session = AdminCalls.rpc(a, "loginByUid", "[\"" + credentials.owsApiKey() + "\"]").path("result").asText();
        var added = AdminCalls.rpc(a, "Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Takeover\"}}]");
        assertThat(added.has("result")).as(added.toString()).isTrue();

        var hung = receiver.await(path, 1, Duration.ofSeconds(30));
        assertThat(hung).hasSize(1);
        var deliveryPath = "/admin/api/tenants/hooks/webhooks/" + webhook.path("id").asLong() + "/deliveries/" + hung.getFirst().header("X-Dossier-Delivery");
        var running = admin.send(a, "GET", deliveryPath, null, 200);
        assertThat(running.path("state").asText()).isEqualTo("running");
        var runner = running.path("node").asText();
        var victim = runner.endsWith("-" + a.pid()) ? a : b;
        var survivor = victim == a ? b : a;
        assertThat(runner).endsWith("-" + victim.pid());
        victim.kill();

        var got = receiver.await(path, 2, Duration.ofSeconds(30));
        assertThat(got).hasSize(2);
        assertThat(got.get(1).header("X-Dossier-Delivery")).isEqualTo(got.get(0).header("X-Dossier-Delivery"));
        assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
        JsonNode done = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            done = admin.send(survivor, "GET", deliveryPath, null, 200);
            if (done.path("state").asText().equals("done")) {
                break;
            }
            Node.sleep(50);
        }
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
        assertThat(done.path("node").asText()).endsWith("-" + survivor.pid());
        assertThat(done.path("lastResponseCode").asInt()).isEqualTo(200);
    }
}
