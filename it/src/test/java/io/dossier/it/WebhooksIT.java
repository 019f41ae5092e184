package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.Http;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.it.support.WebhookReceiver;
import io.dossier.server.config.Settings;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OWS webhooks end to end: registered through the admin API, fed by records changed through OWS,
 * posted to a real HTTP receiver on a loopback port (allowed by the tenant's setting), with short
 * timeouts, backoffs and deadline so that retries and death are seen within seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    TestServer server;
    Http admin;
    WebhookReceiver receiver;

    @BeforeAll
    void start() {
        receiver = new WebhookReceiver();
        // answers within 700 ms, retries after 100–400 ms, dead 3 s after the change
        var hooks = new Settings.WebhookSettings(Duration.ofMillis(700), Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofMillis(100), 8, Duration.ofDays(7),
                java.util.Optional.of(io.dossier.it.support.StorageSetup.TEST_SECRETS_KEY));
        server = TestServer.start(s -> s.withWebhooks(hooks));
        admin = server.http().bearer(server.adminToken());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** A tenant with an OWS key, whose webhooks may post to loopback. */
    record Tenant(Ows ows, String session) {
        String slug() {
            return ows.tenant();
        }

        String addCandidate(String lastName) {
            return ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"" + lastName + "\"}}]")
                    .asText();
        }

        void update(String uid, String fields) {
            ows.result("Otys.Services.CandidateService.update", "[\"" + session + "\",\"" + uid + "\"," + fields + "]");
        }
    }

    Tenant tenant(boolean allowLoopback) {
        var ows = Ows.newTenant(server, List.of("en")).withoutRateLimit();
        if (allowLoopback) {
            var set = admin.send(admin.builder("/admin/api/tenants/" + ows.tenant() + "/settings/webhooks.allow-private-targets")
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":true}")));
            assertThat(set.status()).as(set.body()).isEqualTo(200);
        }
        return new Tenant(ows, ows.login());
    }

    static String path() {
        return "/hook/" + UUID.randomUUID();
    }

    JsonNode register(Tenant tenant, String body) {
        var created = admin.post("/admin/api/tenants/" + tenant.slug() + "/webhooks", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    JsonNode register(Tenant tenant, String path, String events) {
        return register(tenant, "{\"url\":\"" + receiver.url(path) + "\",\"recordTypes\":[\"Candidate\"],\"events\":" + events + "}");
    }

    List<JsonNode> deliveries(Tenant tenant, long webhook) {
        var listed = admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks/" + webhook + "/deliveries");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        var out = new java.util.ArrayList<JsonNode>();
        listed.json().path("deliveries").forEach(out::add);
        return out.reversed();
    }

    JsonNode awaitDelivery(Tenant tenant, long webhook, long delivery, String state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode got;
        do {
            got = admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks/" + webhook + "/deliveries/" + delivery).json();
            if (got.path("state").asText().equals(state)) {
                return got;
            }
            sleep(25);
        } while (System.nanoTime() < deadline);
        return got;
    }

    static String hmac(String secret, String message) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCreatedRecordIsPostedSignedInTheOwsNotificationShape() throws Exception {
        var tenant = tenant(true);
        var path = path();
        var webhook = register(tenant, path, "[\"created\",\"updated\"]");
        var secret = webhook.path("secret").asText();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        var uid = tenant.addCandidate("Signed");

        var got = receiver.await(path, 1, WAIT);
        assertThat(got).hasSize(1);
        var request = got.getFirst();
        var timestamp = request.header("X-Dossier-Timestamp");
        assertThat(Math.abs(Long.parseLong(timestamp) - Instant.now().getEpochSecond())).isLessThan(60);
        assertThat(request.header("X-Dossier-Signature")).isEqualTo("sha256=" + hmac(secret, timestamp + "." + request.body()));
        assertThat(request.header("X-Dossier-Event")).isEqualTo("Candidate.created");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        var body = JSON.readTree(request.body());
        assertThat(body.path("request").path("method").asText()).isEqualTo("Otys.Services.CandidateService.add");
        assertThat(body.path("request").path("params").get(0).asText()).isEqualTo(uid);
        assertThat(body.path("uid").asText()).isEqualTo(uid);
        assertThat(body.path("event").asText()).isEqualTo("Candidate.created");
        assertThat(Instant.parse(body.path("time").asText())).isBefore(Instant.now().plusSeconds(1));

        var deliveryId = Long.parseLong(request.header("X-Dossier-Delivery"));
        var delivery = awaitDelivery(tenant, webhook.path("id").asLong(), deliveryId, "done");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.path("lastResponseCode").asInt()).isEqualTo(200);
        assertThat(delivery.path("event").asText()).isEqualTo("Candidate.created");

        // the secret is shown once: neither the listing nor the webhook itself carries it
        var listed = admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks");
        assertThat(listed.body()).doesNotContain(secret);
        assertThat(listed.json().path("webhooks").get(0).path("url").asText()).isEqualTo(receiver.url(path));
        assertThat(admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks/" + webhook.path("id").asLong()).body()).doesNotContain(secret);
        // and it is not stored as itself
        try (var c = java.sql.DriverManager.getConnection(server.server().dossier().settings().dbUrl(),
                server.server().dossier().settings().dbUser(), server.server().dossier().settings().dbPassword());
             var rows = c.createStatement().executeQuery("SELECT secret_sealed FROM webhook")) {
            while (rows.next()) {
                assertThat(rows.getString(1)).doesNotContain(secret).startsWith("v1.");
            }
        }
    }

    @Test
    void anOperatorsOwnSecretSignsAndRedeliverySendsTheSameBodyAgain() throws Exception {
        var tenant = tenant(true);
        var path = path();
        var webhook = register(tenant, "{\"url\":\"" + receiver.url(path) + "\",\"secret\":\"a-partner-chosen-secret-of-32-chars\","
                + "\"recordTypes\":[\"recruiting.Candidate\"],\"events\":[\"created\"]}");
        assertThat(webhook.path("secret").asText()).isEqualTo("a-partner-chosen-secret-of-32-chars");
        tenant.addCandidate("Again");
        var first = receiver.await(path, 1, WAIT).getFirst();
        var id = Long.parseLong(first.header("X-Dossier-Delivery"));
        var webhookId = webhook.path("id").asLong();
        awaitDelivery(tenant, webhookId, id, "done");

        var again = admin.post("/admin/api/tenants/" + tenant.slug() + "/webhooks/" + webhookId + "/deliveries/" + id + "/redeliver", "");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        var second = receiver.await(path, 2, WAIT);
        assertThat(second).hasSize(2);
        assertThat(second.get(1).body()).isEqualTo(first.body());
        assertThat(second.get(1).header("X-Dossier-Delivery")).isEqualTo(Long.toString(id));
        assertThat(second.get(1).header("X-Dossier-Signature"))
                .isEqualTo("sha256=" + hmac("a-partner-chosen-secret-of-32-chars", second.get(1).header("X-Dossier-Timestamp") + "." + first.body()));
        var done = awaitDelivery(tenant, webhookId, id, "done");
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aReceiverAnswering500IsRetriedUntilItTakesIt() {
        var tenant = tenant(true);
        var path = path();
        receiver.script(path, 500, 503);
        var webhook = register(tenant, path, "[\"created\"]");
        tenant.addCandidate("Retried");
        var got = receiver.await(path, 3, WAIT);
        assertThat(got).hasSize(3);
        assertThat(got.stream().map(r -> r.header("X-Dossier-Delivery")).distinct()).hasSize(1);
        var done = awaitDelivery(tenant, webhook.path("id").asLong(), Long.parseLong(got.getFirst().header("X-Dossier-Delivery")), "done");
        assertThat(done.path("attempts").asInt()).isEqualTo(3);
        assertThat(done.path("lastResponseCode").asInt()).isEqualTo(200);
    }

    @Test
    void aHungReceiverIsGivenUpOnAfterTheTimeoutAndTriedAgain() {
        var tenant = tenant(true);
        var path = path();
        receiver.script(path, WebhookReceiver.HANG);
        var webhook = register(tenant, path, "[\"created\"]");
        tenant.addCandidate("Hung");
        var got = receiver.await(path, 2, WAIT);
        assertThat(got).hasSize(2);
        // the second attempt came after the timeout (700 ms) and a backoff, not at once
        assertThat(Duration.ofNanos(got.get(1).arrivedNanos() - got.get(0).arrivedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        var done = awaitDelivery(tenant, webhook.path("id").asLong(), Long.parseLong(got.getFirst().header("X-Dossier-Delivery")), "done");
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void oneRecordsChangesArriveInTheirOrderEvenWhenTheFirstIsRetried() throws Exception {
        var tenant = tenant(true);
        var path = path();
        receiver.script(path, 500, 500);
        var webhook = register(tenant, path, "[\"created\",\"updated\"]");
        var uid = tenant.addCandidate("Ordered");
        for (int i = 1; i <= 3; i++) {
            tenant.update(uid, "{\"Person\":{\"firstName\":\"V" + i + "\"}}");
        }
        var got = receiver.await(path, 6, WAIT);
        assertThat(got).hasSize(6);
        var ids = got.stream().map(r -> Long.parseLong(r.header("X-Dossier-Delivery"))).toList();
        assertThat(ids).as("delivery ids in arrival order").isSorted();
        assertThat(ids.get(0)).isEqualTo(ids.get(1)).isEqualTo(ids.get(2));
        assertThat(got.stream().map(r -> r.header("X-Dossier-Event")).toList())
                .containsExactly("Candidate.created", "Candidate.created", "Candidate.created", "Candidate.updated", "Candidate.updated",
                        "Candidate.updated");
        assertThat(deliveries(tenant, webhook.path("id").asLong())).hasSize(4);
    }

    @Test
    void aStatusChangeMatchingTheConditionIsToldAndNothingElse() {
        var tenant = tenant(true);
        var path = path();
        var webhook = register(tenant, "{\"url\":\"" + receiver.url(path) + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"statusChanged\"],"
                + "\"condition\":{\"field\":\"statusId\",\"op\":\"EQ\",\"value\":2}}");
        assertThat(webhook.path("condition").path("field").asText()).isEqualTo("statusId");
        var uid = tenant.addCandidate("Status");
        tenant.update(uid, "{\"Person\":{\"firstName\":\"NotAStatus\"}}");
        tenant.update(uid, "{\"statusId\":3}");
        // the condition is tested on the record as it is when its change is dispatched: wait for that
        awaitDispatched(tenant, webhook.path("id").asLong());
        assertThat(receiver.received(path)).isEmpty();
        tenant.update(uid, "{\"statusId\":2}");
        tenant.update(uid, "{\"statusId\":2}");
        var got = receiver.await(path, 1, WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().header("X-Dossier-Event")).isEqualTo("Candidate.statusChanged");
        // a later change sorts after the one told: once it is dispatched, nothing more came
        tenant.addCandidate("Marker");
        awaitDispatched(tenant, webhook.path("id").asLong());
        assertThat(deliveries(tenant, webhook.path("id").asLong())).hasSize(1);
        assertThat(receiver.received(path)).hasSize(1);
    }

    /**
     * Waits until the webhook's place in the feed is at the tenant's last change. The last change is
     * read again each time: on PostgreSQL the feed shows a change only once every write transaction
     * that began before it has ended, so a head read while another write was still running (such
     * as another test's delivery being recorded) can miss the newest change, which the dispatcher
     * then passes, never standing on that head. A CI run on PostgreSQL failed once that way, as
     * far as its log tells (the webhook did not reach a head read once within 30 s).
     */
    void awaitDispatched(Tenant tenant, long webhookId) {
        var dossier = server.server().dossier();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var head = dossier.changes().head(tenant.ows().tenantId());
            try (var c = java.sql.DriverManager.getConnection(dossier.settings().dbUrl(), dossier.settings().dbUser(), dossier.settings().dbPassword());
                 var s = c.prepareStatement("SELECT after_transaction, after_position FROM webhook_cursor WHERE webhook_id = ?")) {
                s.setLong(1, webhookId);
                try (var rows = s.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == head.major() && rows.getLong(2) == head.minor()) {
                        return;
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            sleep(25);
        }
        throw new AssertionError("webhook " + webhookId + " did not reach the end of the feed");
    }

    @Test
    void aDeliveryNoReceiverTakesIsDeadAfterTheDeadlineAndCanBeRedelivered() {
        var tenant = tenant(true);
        var path = path();
        receiver.always(path, 500);
        var webhook = register(tenant, path, "[\"created\"]");
        tenant.addCandidate("Dead");
        var first = receiver.await(path, 1, WAIT).getFirst();
        var id = Long.parseLong(first.header("X-Dossier-Delivery"));
        var dead = awaitDelivery(tenant, webhook.path("id").asLong(), id, "dead");
        assertThat(dead.path("state").asText()).isEqualTo("dead");
        assertThat(dead.path("attempts").asInt()).isGreaterThan(1);
        assertThat(dead.path("lastResponseCode").asInt()).isEqualTo(500);
        assertThat(dead.path("lastError").asText()).contains("500");
        var listedDead = admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks/" + webhook.path("id").asLong() + "/deliveries?state=dead");
        assertThat(listedDead.json().path("deliveries").size()).isEqualTo(1);

        receiver.always(path, 204);
        int before = receiver.received(path).size();
        var again = admin.post("/admin/api/tenants/" + tenant.slug() + "/webhooks/" + webhook.path("id").asLong() + "/deliveries/" + id
                + "/redeliver", "");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        var done = awaitDelivery(tenant, webhook.path("id").asLong(), id, "done");
        assertThat(done.path("lastResponseCode").asInt()).isEqualTo(204);
        assertThat(receiver.received(path)).hasSize(before + 1);
    }

    @Test
    void targetsOnLoopbackPrivateOrOtherSchemesAreRefused() {
        var tenant = tenant(false);
        var base = "/admin/api/tenants/" + tenant.slug() + "/webhooks";
        for (var url : List.of(receiver.url("/x"), "http://localhost:9/", "http://10.1.2.3/hook", "http://192.168.0.10/",
                "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/", "http://[fd00::1]/",
                "http://0.0.0.0/", "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/")) {
            var refused = admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"]}");
            assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().path("error").path("message").asText()).as(url).contains("webhooks.allow-private-targets");
        }
        for (var url : List.of("ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "gopher://example.com/", "example.com/hook",
                "http://user:pw@example.com/", "")) {
            var refused = admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"]}");
            assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(400);
        }
        assertThat(admin.get(base).json().path("webhooks").size()).isZero();
        // bad registrations in other ways
        var url = receiver.url("/y");
        assertThat(admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Nope\"],\"events\":[\"created\"]}").status()).isEqualTo(400);
        assertThat(admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"exploded\"]}").status()).isEqualTo(400);
        assertThat(admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Candidate\"],\"events\":[]}").status()).isEqualTo(400);
        assertThat(admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"],\"x\":1}").status()).isEqualTo(400);
        assertThat(admin.post(base, "{\"url\":\"" + url + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"],\"secret\":\"short\"}").status())
                .isEqualTo(400);
        assertThat(admin.post(base, "[]").status()).isEqualTo(400);
    }

    @Test
    void aTargetIsCheckedAgainBeforeEveryAttempt() {
        var tenant = tenant(true);
        var path = path();
        var webhook = register(tenant, path, "[\"created\"]");
        var reset = admin.send(admin.builder("/admin/api/tenants/" + tenant.slug() + "/settings/webhooks.allow-private-targets")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":false}")));
        assertThat(reset.status()).isEqualTo(200);
        tenant.addCandidate("Refused");
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> listed;
        do {
            listed = deliveries(tenant, webhook.path("id").asLong());
            sleep(25);
        } while ((listed.isEmpty() || listed.getFirst().path("attempts").asInt() == 0) && System.nanoTime() < deadline);
        assertThat(listed).hasSize(1);
        var delivery = awaitDelivery(tenant, webhook.path("id").asLong(), listed.getFirst().path("id").asLong(), "failed");
        assertThat(delivery.path("lastError").asText()).contains("webhooks.allow-private-targets");
        assertThat(delivery.path("lastResponseCode").isMissingNode() || delivery.path("lastResponseCode").isNull()).isTrue();
        assertThat(receiver.received(path)).isEmpty();
    }

    @Test
    void anotherTenantsWebhookAndDeliveriesAreNotFoundUnderATenant() {
        var owner = tenant(true);
        var other = tenant(true);
        var path = path();
        var webhook = register(owner, path, "[\"created\"]");
        owner.addCandidate("Private");
        var delivery = Long.parseLong(receiver.await(path, 1, WAIT).getFirst().header("X-Dossier-Delivery"));
        var id = webhook.path("id").asLong();
        var under = "/admin/api/tenants/" + other.slug() + "/webhooks/" + id;
        assertThat(admin.get(under).status()).isEqualTo(404);
        assertThat(admin.get(under + "/deliveries").status()).isEqualTo(404);
        assertThat(admin.get(under + "/deliveries/" + delivery).status()).isEqualTo(404);
        assertThat(admin.post(under + "/deliveries/" + delivery + "/redeliver", "").status()).isEqualTo(404);
        assertThat(admin.delete(under).status()).isEqualTo(404);
        assertThat(admin.get("/admin/api/tenants/" + other.slug() + "/webhooks").json().path("webhooks").size()).isZero();
        // another webhook of the other tenant does not reach this delivery either
        var theirs = register(other, path(), "[\"created\"]");
        assertThat(admin.get("/admin/api/tenants/" + other.slug() + "/webhooks/" + theirs.path("id").asLong() + "/deliveries/" + delivery).status())
                .isEqualTo(404);
        // the other tenant's changes are not told to this tenant's webhook
        other.addCandidate("Theirs");
        awaitDispatched(other, theirs.path("id").asLong());
        assertThat(deliveries(owner, id)).hasSize(1);
        // without a token nothing is listed
        assertThat(server.http().get("/admin/api/tenants/" + owner.slug() + "/webhooks").status()).isEqualTo(401);
        // the owner deletes it, with its deliveries
        assertThat(admin.delete("/admin/api/tenants/" + owner.slug() + "/webhooks/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/admin/api/tenants/" + owner.slug() + "/webhooks/" + id).status()).isEqualTo(404);
    }

    @Test
    void aDocumentAttachedThroughOwsIsToldAsDocumentAttachedOfItsRecord() throws Exception {
        var tenant = tenant(true);
        var path = path();
        register(tenant, path, "[\"documentAttached\"]");
        var uid = tenant.addCandidate("WithCv");
        var type = tenant.ows().result("Otys.Services.DocumentTypeService.add", "[\"" + tenant.session() + "\",{\"name\":\"CV\","
                + "\"forDocuments\":true,\"forCandidates\":true}]").asText();
        var boundary = "----hooks" + System.nanoTime();
        var body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n" + tenant.session() + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n%PDF-1.7 cv\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        var uploaded = server.http().send(server.http().builder("/ows/fileService.php")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
        var file = uploaded.json().path("cv.pdf").path("ouid").asText();
        tenant.ows().result("Otys.Services.AttachedDocumentsService.add", "[\"" + tenant.session() + "\",{\"candidateUid\":\"" + uid
                + "\",\"fileUid\":\"" + file + "\",\"typeId\":\"" + type + "\",\"subject\":\"CV\"}]");

        var got = receiver.await(path, 1, WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().header("X-Dossier-Event")).isEqualTo("Candidate.documentAttached");
        var notification = JSON.readTree(got.getFirst().body());
        assertThat(notification.path("request").path("method").asText()).isEqualTo("Otys.Services.CandidateService.update");
        assertThat(notification.path("uid").asText()).isEqualTo(uid);
    }

    /** The CLI's webhook commands, run as a {@code dossier webhook …} beside a running server goes through its admin API. */
    @Test
    void theCommandsRegisterListShowDeliveriesRedeliverAndDelete() throws Exception {
        var tenant = tenant(true);
        var path = path();
        var data = java.nio.file.Files.createTempDirectory("webhook-cli");
        new io.dossier.server.DevServerFile(server.uri(""), server.adminToken(), ProcessHandle.current().pid()).write(data);
        var created = cli(data, "create", tenant.slug(), "--url", receiver.url(path), "--record-types", "Candidate", "--events",
                "created,updated", "--condition", "{\"field\":\"statusId\",\"op\":\"NE\",\"value\":99}");
        var secret = java.util.regex.Pattern.compile("secret: (\\S+)").matcher(created).results().findFirst().orElseThrow().group(1);
        assertThat(secret).startsWith("whsec_");
        var webhookId = admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks").json().path("webhooks").get(0).path("id").asLong();
        assertThat(cli(data, "list", tenant.slug())).contains(receiver.url(path)).contains("created,updated").doesNotContain(secret);

        tenant.addCandidate("Cli");
        var delivery = Long.parseLong(receiver.await(path, 1, WAIT).getFirst().header("X-Dossier-Delivery"));
        awaitDelivery(tenant, webhookId, delivery, "done");
        assertThat(cli(data, "deliveries", tenant.slug(), Long.toString(webhookId), "--state", "done")).contains("Candidate.created").contains("200");
        assertThat(cli(data, "redeliver", tenant.slug(), Long.toString(webhookId), Long.toString(delivery))).contains(Long.toString(delivery));
        assertThat(receiver.await(path, 2, WAIT)).hasSize(2);
        awaitDelivery(tenant, webhookId, delivery, "done");
        assertThat(cli(data, "delete", tenant.slug(), Long.toString(webhookId))).contains("deleted webhook " + webhookId);
        assertThat(admin.get("/admin/api/tenants/" + tenant.slug() + "/webhooks").json().path("webhooks").size()).isZero();
    }

    /** Runs {@code dossier webhook <args> --data <data>} in this JVM; returns what it printed. */
    static String cli(java.nio.file.Path data, String... args) {
        var all = new java.util.ArrayList<>(List.of(args));
        all.add("--data");
        all.add(data.toString());
        var out = new java.io.ByteArrayOutputStream();
        var before = System.out;
        int code;
        synchronized (WebhooksIT.class) {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                code = new picocli.CommandLine(new io.dossier.server.cli.AdminCommands.WebhookCommands()).execute(all.toArray(String[]::new));
            } finally {
                System.setOut(before);
            }
        }
        var printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(String.join(" ", args) + ": " + printed).isZero();
        return printed;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
