package io.dossier.it.fileapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens, authorization, publishing (whole and resumable), prefixes, bad input and concurrency. */
class FileApiIT {

    TestServer server;
    String tenant;
    FileApiClient publisher;
    FileApiClient subscriber;

    @BeforeEach
    void sandbox() {
        server = TestServer.shared();
        tenant = FileApiClient.newTenant(server);
        publisher = FileApiClient.app(server, tenant, DeliveryRole.PUBLISHER, 7100L, 7101L);
        subscriber = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
    }

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static byte[] random(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void tokensCurrentAndLegacy() {
        var current = subscriber.requestToken("/fileapi/connect/token", "grant_type=client_credentials&client_id=" + subscriber.clientId()
                + "&client_secret=" + q(subscriber.secret()) + "&tenant_id=" + tenant);
        assertThat(current.statusCode()).isEqualTo(200);
        var body = FileApiClient.json(current.body());
        assertThat(body.path("access_token").asText()).hasSizeGreaterThan(30);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(7200);

        var legacy = subscriber.requestToken("/fileapi/authentication/token", "grant_type=client_credentials&client_id=" + subscriber.clientId()
                + "&client_secret=" + q(subscriber.secret()));
        var legacyBody = FileApiClient.json(legacy.body());
        assertThat(legacyBody.path("token_type").asText()).isEqualTo("BearerToken");
        assertThat(legacyBody.path("expires_in").isTextual()).isTrue();
        assertThat(legacyBody.path("expires_in").asText()).isEqualTo("7200");
        var token = legacyBody.path("access_token").asText();
        var withHeader = subscriber.send(HttpRequest.newBuilder(server.uri("/fileapi/v1.0/files?role=subscriber"))
                .header("Authorization", "Bearer " + token).header("x-raet-tenant-id", tenant).GET(), HttpResponse.BodyHandlers.ofString());
        assertThat(withHeader.statusCode()).isEqualTo(200);
        var withoutHeader = subscriber.send(HttpRequest.newBuilder(server.uri("/fileapi/v1.0/files?role=subscriber"))
                .header("Authorization", "Bearer " + token).GET(), HttpResponse.BodyHandlers.ofString());
        assertThat(withoutHeader.statusCode()).isEqualTo(401);

        var wrongSecret = subscriber.requestToken("/fileapi/connect/token", "grant_type=client_credentials&client_id=" + subscriber.clientId()
                + "&client_secret=nope&tenant_id=" + tenant);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(FileApiClient.json(wrongSecret.body()).path("errorCode").asText()).isEqualTo("401");
        var otherTenant = FileApiClient.newTenant(server);
        var notGranted = subscriber.requestToken("/fileapi/connect/token", "grant_type=client_credentials&client_id=" + subscriber.clientId()
                + "&client_secret=" + q(subscriber.secret()) + "&tenant_id=" + otherTenant);
        assertThat(notGranted.statusCode()).isEqualTo(403);
        var foreignHeader = subscriber.send(subscriber.request("/fileapi/v1.0/files?role=subscriber").header("x-raet-tenant-id", otherTenant).GET(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreignHeader.statusCode()).isEqualTo(403);
        var noToken = subscriber.send(HttpRequest.newBuilder(server.uri("/fileapi/v1.0/files?role=subscriber")).GET(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(FileApiClient.json(noToken.body()).fieldNames()).toIterable().containsExactly("correlationId", "message", "errorCode", "exception");
    }

    @Test
    void aClientGrantedSeveralTenantsChoosesOneWithItsToken() {
        var other = FileApiClient.newTenant(server);
        var admin = server.http().bearer(server.adminToken());
        var granted = admin.post("/admin/api/tenants/" + other + "/fileapi/authorizations",
                "{\"clientId\":\"" + subscriber.clientId() + "\",\"role\":\"subscriber\",\"businessTypes\":[7101]}");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(granted.json().path("subscriber").toString()).isEqualTo("[7101]");
        var otherPublisher = FileApiClient.app(server, other, DeliveryRole.PUBLISHER, 7101L);
        otherPublisher.publishOk("in-other.txt", 7101, "x".getBytes());
        publisher.publishOk("in-home.txt", 7101, "y".getBytes());

        var token = FileApiClient.json(subscriber.requestToken("/fileapi/connect/token", "grant_type=client_credentials&client_id="
                + subscriber.clientId() + "&client_secret=" + q(subscriber.secret()) + "&tenant_id=" + other).body()).path("access_token").asText();
        var list = subscriber.send(HttpRequest.newBuilder(server.uri("/fileapi/v1.0/files?role=subscriber")).header("Authorization", "Bearer " + token).GET(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(FileApiClient.json(list.body()).path("data").get(0).path("fileName").asText()).isEqualTo("in-other.txt");
        assertThat(FileApiClient.json(list.body()).path("count").asInt()).isEqualTo(1);
        assertThat(subscriber.list("").path("data").get(0).path("fileName").asText()).isEqualTo("in-home.txt");
    }

    @Test
    void authorizationIsPerBusinessTypeAndTenant() {
        var id7100 = publisher.publishOk("only-7100.csv", 7100, "a".getBytes());
        assertThat(subscriber.list("").path("count").asInt()).isZero();
        var forbidden = subscriber.getBytes("/fileapi/v1.0/files/" + id7100 + "?role=subscriber", null);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(new String(forbidden.body(), StandardCharsets.UTF_8)).doesNotContain("\"a\"").contains("errorCode");
        assertThat(subscriber.send(subscriber.request("/fileapi/v1.0/files/" + id7100 + "?role=subscriber").DELETE(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

        var refused = publisher.publish("nope.csv", 9999, "b".getBytes());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(subscriber.publish("by-subscriber.csv", 7101, "c".getBytes()).statusCode()).isEqualTo(403);
        var notSubscriber = publisher.get("/fileapi/v1.0/files?role=subscriber");
        assertThat(notSubscriber.statusCode()).isEqualTo(403);

        var otherTenant = FileApiClient.newTenant(server);
        var foreignSubscriber = FileApiClient.app(server, otherTenant, DeliveryRole.SUBSCRIBER, 7101L);
        var id = publisher.publishOk("home.csv", 7101, "d".getBytes());
        assertThat(foreignSubscriber.list("").path("count").asInt()).isZero();
        assertThat(foreignSubscriber.getBytes("/fileapi/v1.0/files/" + id + "?role=subscriber", null).statusCode()).isEqualTo(404);
    }

    @Test
    void publishingAcceptsBothMetadataSpellingsAndHeaderlessParts() {
        var boundary = "b0undary";
        var body = ("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"FileName\":\"docs-style.txt\",\"BusinessTypeId\":7101}\r\n"
                + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        var response = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=multipart").header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(FileApiClient.json(response.body()).path("fileName").asText()).isEqualTo("docs-style.txt");
        assertThat(FileApiClient.json(response.body()).fieldNames()).as("the answer: the file as subscribers see it, and its SHA-256").toIterable()
                .containsExactly("downloaded", "fileId", "fileName", "fileSize", "tenantId", "businessType", "publisherId", "uploadDate", "sha256");
        publisher.publishOk("client-style.txt", 7101, "world".getBytes());
        var published = FileApiClient.json(publisher.get("/fileapi/v1.0/files?role=publisher").body());
        assertThat(published.fieldNames()).toIterable().containsExactly("data", "pageIndex", "pageSize", "count");
        assertThat(published.path("count").asInt()).isEqualTo(2);
        assertThat(published.path("data").get(0).fieldNames()).as("a publisher's list has no downloaded flag").toIterable()
                .containsExactly("fileId", "fileName", "fileSize", "tenantId", "businessType", "publisherId", "uploadDate");
        assertThat(published.path("data").get(0).path("businessType").toString()).isEqualTo("{\"id\":7101,\"name\":\"7101\"}");

        var badMetadata = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=multipart").header("Content-Type", "multipart/related; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\n\r\n{not json\r\n--x\r\n\r\nbody\r\n--x--\r\n")), HttpResponse.BodyHandlers.ofString());
        assertThat(badMetadata.statusCode()).isEqualTo(400);
        var noType = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=multipart").header("Content-Type", "multipart/related; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\n\r\n{\"name\":\"a\"}\r\n--x\r\n\r\nbody\r\n--x--\r\n")), HttpResponse.BodyHandlers.ofString());
        assertThat(noType.statusCode()).isEqualTo(400);
    }

    @Test
    void aResumableUploadOfFiftyMegabytesInFourMegabyteChunksWithOneChunkSentTwice() throws Exception {
        var content = random(50 * 1024 * 1024, 50);
        var chunk = 4 * 1024 * 1024;
        var boundary = "resumable";
        var first = new ByteArrayOutputStream();
        first.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"name\":\"big.bin\",\"businesstypeid\":\"7101\"}\r\n--"
                + boundary + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        first.write(content, 0, chunk);
        first.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var started = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable").header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(first.toByteArray())), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        var token = FileApiClient.json(started.body()).path("uploadToken").asText();
        var chunks = (content.length + chunk - 1) / chunk;
        // the POST carried chunk 0; the PUTs carry chunks 1 … chunks-1
        for (int position = 1; position < chunks; position++) {
            var from = position * chunk;
            var to = Math.min(content.length, from + chunk);
            var last = position == chunks - 1;
            var times = position == 5 ? 2 : 1;
            for (int t = 0; t < times; t++) {
                var put = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable&uploadToken=" + q(token) + "&position=" + position
                        + (last ? "&close=true" : "")).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content, from, to - from)), HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as("chunk " + position + ": " + put.body()).isEqualTo(last ? 201 : 200);
                if (position == 5 && t == 0) {
                    var gap = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable&uploadToken=" + q(token) + "&position=7")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10])), HttpResponse.BodyHandlers.ofString());
                    assertThat(gap.statusCode()).isEqualTo(400);
                }
            }
        }
        var page = subscriber.list("&$filter=" + q("fileName eq 'big.bin'"));
        assertThat(page.path("data").get(0).path("fileSize").asLong()).isEqualTo(content.length);
        var download = subscriber.send(subscriber.request("/fileapi/v1.0/files/" + page.path("data").get(0).path("fileId").asText() + "?role=subscriber").GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sha256(download.body())).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        var afterClose = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable&uploadToken=" + q(token) + "&position=14")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1])), HttpResponse.BodyHandlers.ofString());
        assertThat(afterClose.statusCode()).as("a chunk after the close: " + afterClose.body()).isEqualTo(409);
    }

    static String sha256(InputStream in) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            var buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void theFilesResourceAnswersUnderEveryPrefixClientsUse() {
        var id = publisher.publishOk("prefixed.txt", 7101, "p".getBytes());
        for (var prefix : new String[] {"/fileapi/v1.0/files", "/fileapi/mft/v1.0/files", "/fileapi/fileapi/v1.0/files"}) {
            assertThat(subscriber.get(prefix + "?role=subscriber").statusCode()).as(prefix).isEqualTo(200);
            assertThat(subscriber.getBytes(prefix + "/" + id + "?role=subscriber", "bytes=0-0").statusCode()).as(prefix).isEqualTo(206);
        }
    }

    @Test
    void badInputGetsTheErrorShapeNever500() {
        var cases = new String[][] {
                {"&$filter=" + q("size gt 5"), "400", "position 0"},
                {"&$filter=" + q("uploadDate gt 2020-13-45T00:00:00Z"), "400", "position"},
                {"&$filter=" + q("businessType eq"), "400", "position"},
                {"&$filter=" + q("(status eq 'all'"), "400", "position"},
                {"&$filter=" + q("status eq 'sometimes'"), "400", "status"},
                {"&$orderBy=" + q("size desc"), "400", "size"},
                {"&pageSize=0", "400", "pageSize"},
                {"&pageSize=1001", "400", "pageSize"},
                {"&pageSize=ten", "400", "pageSize"},
                {"&pageIndex=-1", "400", "pageIndex"},
        };
        for (var c : cases) {
            var response = subscriber.get("/fileapi/v1.0/files?role=subscriber" + c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            var error = FileApiClient.json(response.body());
            assertThat(error.path("errorCode").asText()).isEqualTo(c[1]);
            assertThat(error.path("message").asText()).as(c[0]).contains(c[2]);
        }
        assertThat(subscriber.getBytes("/fileapi/v1.0/files/" + java.util.UUID.randomUUID() + "?role=subscriber", null).statusCode()).isEqualTo(404);
        assertThat(subscriber.getBytes("/fileapi/v1.0/files/not-a-uuid?role=subscriber", null).statusCode()).isEqualTo(404);
        assertThat(subscriber.get("/fileapi/v1.0/files?role=somebody").statusCode()).isEqualTo(400);
        assertThat(publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=multipart").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }

    @Test
    void aDownloadCutOffHalfwayLeavesTheFileAvailable() throws Exception {
        var id = publisher.publishOk("cut.bin", 7101, random(8 * 1024 * 1024, 9));
        try (var socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream().write(("GET /fileapi/v1.0/files/" + id + "?role=subscriber HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + subscriber.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var in = socket.getInputStream();
            var read = in.readNBytes(64 * 1024);
            assertThat(read.length).isEqualTo(64 * 1024);
        }
        Thread.sleep(1500);
        assertThat(subscriber.list("&$filter=" + q("fileName eq 'cut.bin'")).path("count").asInt()).isEqualTo(1);
        var whole = subscriber.getBytes("/fileapi/v1.0/files/" + id + "?role=subscriber", null);
        assertThat(whole.body()).hasSize(8 * 1024 * 1024);
        assertThat(subscriber.listWhenCount("&$filter=" + q("fileName eq 'cut.bin'"), 0).path("count").asInt()).isZero();
    }

    @Test
    void concurrentDownloadsAndDeletesOfTwoSubscribersStayIndependent() throws Exception {
        var other = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
        var ids = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            ids.add(publisher.publishOk("c" + i + ".bin", 7101, random(100_000, i)));
        }
        var pool = Executors.newFixedThreadPool(12);
        try {
            var tasks = new ArrayList<Callable<Integer>>();
            for (var id : ids) {
                tasks.add(() -> subscriber.getBytes("/fileapi/v1.0/files/" + id + "?role=subscriber", null).statusCode());
                tasks.add(() -> other.send(other.request("/fileapi/v1.0/files/" + id + "?role=subscriber").DELETE(), HttpResponse.BodyHandlers.ofString()).statusCode());
                tasks.add(() -> subscriber.getBytes("/fileapi/v1.0/files/" + id + "?role=subscriber", "bytes=0-99").statusCode());
            }
            for (var result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isIn(200, 204, 206);
            }
        } finally {
            pool.shutdownNow();
        }
        // a download is marked once its last byte is out, which may be just after the client has read it
        var downloaded = 0;
        for (int attempt = 0; attempt < 50 && downloaded < 20; attempt++) {
            downloaded = subscriber.list("&$filter=" + q("status eq 'downloaded'") + "&pageSize=100").path("count").asInt();
            if (downloaded < 20) {
                Thread.sleep(100);
            }
        }
        assertThat(downloaded).isEqualTo(20);
        assertThat(other.list("&$filter=" + q("status eq 'all'")).path("count").asInt()).isZero();
    }
}
