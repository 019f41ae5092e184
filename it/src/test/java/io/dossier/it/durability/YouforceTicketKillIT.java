package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.StorageSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Youforce document ticket survives {@code kill -9} of the node that took the upload: the
 * personal file store is down (the fault switch) when the node dies mid-ticket, and another node
 * on the same storage completes the ticket once the store is back. Two {@code dossier start} nodes
 * on PostgreSQL + S3, started together; only in that run (on the embedded database a second node
 * could only start after the first, which the test budget does not allow; CrashIT kills
 * {@code dossier dev} there).
 */
class YouforceTicketKillIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void aTicketSurvivesKillNineAndCompletesAfterTheRestart() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.POSTGRES_S3,
                "two nodes at once need PostgreSQL + S3");
        var logs = CrashIT.logFolder("youforce-ticket");
        java.nio.file.Files.createDirectories(logs);
        // a short job lease: the killed node may hold the ticket's job mid-attempt, and the other node
        // takes it over only once that lease has run out (60 s by default, as long as the wait below)
        try (var deployment = new Deployment(StorageSetup.kind(), logs, Map.of("jobs.lease-seconds", "5", "jobs.poll-millis", "200"))) {
            var a = deployment.launch("node-a");
            var b = deployment.launch("node-b");
            a.awaitReady(Deployment.STARTUP);
            String adminToken;
            String tenant;
            String clientId;
            String secret;
            String person;
            if (deployment.kind() == StorageSetup.Kind.EMBEDDED) {
                var demo = JSON.readTree(deployment.storageFolder().resolve("demo-credentials.json").toFile());
                adminToken = demo.path("adminToken").asText();
                tenant = demo.path("tenant").asText();
                var full = demo.path("youforce").path("clients").get(0);
                clientId = full.path("clientId").asText();
                secret = full.path("clientSecret").asText();
                person = "100001";
            } else {
                adminToken = deployment.createAdminToken();
                tenant = "yf-kill";
                var admin = new AdminCalls(adminToken);
                admin.send(a, "POST", "/admin/api/tenants", "{\"slug\":\"" + tenant + "\"}", 201);
                var client = admin.send(a, "POST", "/admin/api/tenants/" + tenant + "/clients",
                        "{\"kind\":\"oauth\",\"name\":\"learning\",\"scopes\":[\"Get_Basic\",\"Upload_documents\"]}", 201);
                clientId = client.path("clientId").asText();
                secret = client.path("secret").asText();
                person = "200001";
                var imported = admin.send(a, "POST", "/admin/api/tenants/" + tenant + "/hr/import",
                        "{\"type\":\"hr.Person\",\"op\":\"upsert\",\"record\":{\"id\":\"" + person + "\",\"personCode\":\"" + person
                                + "\",\"lastName\":\"Dood\"}}", 200);
                assertThat(imported.path("applied").asInt()).as(imported.toString()).isEqualTo(1);
            }
            var admin = new AdminCalls(adminToken);
            admin.send(a, "PUT", "/admin/api/tenants/" + tenant + "/settings/hr.personal-file-available", "{\"value\":false}", 200);

            var token = json(send(HttpRequest.newBuilder(a.uri("/youforce/connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret="
                            + enc(secret) + "&tenant_id=" + enc(tenant))), 200)).path("access_token").asText();
            var ticket = json(send(upload(a, token, person), 200)).path("ticketId").asText();
            assertThat(status(a, token, ticket)).isEqualTo("InProgress");

            a.kill();
            b.awaitReady(Deployment.STARTUP);
            assertThat(status(b, token, ticket)).isEqualTo("InProgress");
            admin.send(b, "PUT", "/admin/api/tenants/" + tenant + "/settings/hr.personal-file-available", "{\"value\":true}", 200);
            // the operator asks for the waiting job now rather than at its next backoff
            var jobs = admin.send(b, "GET", "/admin/api/tenants/" + tenant + "/jobs?kind=hr.personal-file", null, 200).path("jobs");
            assertThat(jobs.size()).isEqualTo(1);
            var jobId = jobs.get(0).path("id").asLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String state = "InProgress";
            while (System.nanoTime() < deadline && !state.equals("Complete")) {
                var retry = send(HttpRequest.newBuilder(b.uri("/admin/api/tenants/" + tenant + "/jobs/" + jobId + "/retry"))
                        .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()), -1);
                assertThat(retry.statusCode()).as(retry.body()).isLessThan(500);
                Node.sleep(200);
                state = status(b, token, ticket);
            }
            assertThat(state).isEqualTo("Complete");
            var file = admin.send(b, "GET", "/admin/api/tenants/" + tenant + "/hr/persons/" + person + "/documents", null, 200);
            assertThat(file.path("documents").size()).isEqualTo(1);
            assertThat(file.path("documents").get(0).path("folder").asText()).isEqualTo("diploma");
        }
    }

    static HttpRequest.Builder upload(Node node, String token, String person) {
        var boundary = "b0undary";
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"Description\"\r\n\r\nDiploma HBO\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"diploma.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(PDF);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(node.uri("/youforce/learning/v1.1/employees/" + person + "/documents/diploma"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    static String status(Node node, String token, String ticket) {
        var answer = send(HttpRequest.newBuilder(node.uri("/youforce/learning/v1.0/employees/documents/" + ticket + "/status"))
                .header("Authorization", "Bearer " + token), 200);
        return json(answer).path("status").asText();
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, int expected) {
        try {
            var response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (expected > 0) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
