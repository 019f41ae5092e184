package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.Ows;
import io.dossier.it.support.StorageSetup;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OWS manual chapter 3: upload, document types, bind, find, download — on the run's storage setup. */
class OwsFilesChapter3IT {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BOUNDARY = "----DossierTestBoundary7MA4YWxkTrZu0gW";

    TestServer own;
    Ows ows;
    String session;

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en"));
        session = ows.login();
    }

    @AfterEach
    void close() {
        if (own != null) {
            own.close();
        }
    }

    // ---- helpers

    record Part(String name, String fileName, String contentType, byte[] content) {
    }

    static byte[] multipart(Part... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            var header = new StringBuilder("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\"");
            if (part.fileName() != null) {
                header.append("; filename=\"").append(part.fileName().replace("\"", "\\\"")).append("\"");
            }
            header.append("\r\n");
            if (part.contentType() != null) {
                header.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            header.append("\r\n");
            out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static Part sessionPart(String token) {
        return new Part("sessionId", null, null, token.getBytes(StandardCharsets.UTF_8));
    }

    static Part filePart(String name, String type, byte[] content) {
        return new Part("file", name, type, content);
    }

    JsonNode upload(TestServer server, byte[] body) throws Exception {
        var response = CLIENT.send(HttpRequest.newBuilder(server.uri("/ows/fileService.php"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    String documentType(String name, boolean forCandidates) {
        return ows.result("Otys.Services.DocumentTypeService.add", "[\"" + session + "\",{\"name\":\"" + name
                + "\",\"forDocuments\":true,\"forCandidates\":" + forCandidates + ",\"forVacancies\":true}]").asText();
    }

    String candidate(String lastName) {
        return ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"" + lastName + "\"}}]").asText();
    }

    String bind(String entityKey, String recordUid, String fileUid, String typeId, String subject) {
        return ows.result("Otys.Services.AttachedDocumentsService.add", "[\"" + session + "\",{\"" + entityKey + "\":\"" + recordUid
                + "\",\"fileUid\":\"" + fileUid + "\",\"typeId\":\"" + typeId + "\",\"subject\":\"" + subject + "\",\"private\":\"false\"}]").asText();
    }

    HttpResponse<byte[]> download(TestServer server, String ouid, String cookie, String range) throws Exception {
        var request = HttpRequest.newBuilder(server.uri("/ows/fileServiceDownload?ouid=" + URLEncoder.encode(ouid, StandardCharsets.UTF_8)
                + "&class=AttachedDocument"));
        if (cookie != null) {
            request.header("Cookie", "PHPSESSID=" + cookie);
        }
        if (range != null) {
            request.header("Range", range);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] pdf(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 9);
        return bytes;
    }

    // ---- the manual's flow

    @Test
    void section_3_1_1_uploadBindFindAndDownload() throws Exception {
        var content = pdf(300_000, 1);
        var uploaded = upload(ows.server(), multipart(sessionPart(session), filePart("cv.pdf", "application/octet-stream", content)));
        var meta = uploaded.path("cv.pdf");
        assertThat(meta.path("ouid").asText()).hasSize(32);
        assertThat(meta.path("name").asText()).isEqualTo("cv.pdf");
        assertThat(meta.path("mimeType").asText()).as("detected from content").isEqualTo("application/pdf");
        assertThat(meta.path("size").asLong()).isEqualTo(content.length);

        var typeId = documentType("CV", true);
        var types = ows.result("Otys.Services.DocumentTypeService.getListEx", "[\"" + session + "\",{\"what\":{\"uid\":1,\"name\":1,"
                + "\"forDocuments\":1,\"forCandidates\":1,\"forVacancies\":1,\"forCustomers\":1,\"forCustomerContacts\":1,\"forTasks\":1,"
                + "\"forSales\":1,\"forProjects\":1},\"limit\":100,\"offset\":0,\"getTotalCount\":true}]");
        assertThat(types.path("totalCount").asInt()).isEqualTo(1);
        assertThat(types.path("listOutput").get(0).path("uid").asText()).isEqualTo(typeId);
        assertThat(types.path("listOutput").get(0).path("forDocuments").asBoolean()).isTrue();

        var candidate = candidate("Uploader");
        var dossierId = bind("candidateUid", candidate, meta.path("ouid").asText(), typeId, "CV Uploader");
        assertThat(dossierId).matches("\\d+");

        var list = ows.result("Otys.Services.DossierService.getList", "[\"" + session + "\",{\"objectEntityId\":2,\"objectUid\":\""
                + candidate + "\",\"restrictClass\":[\"AttachedDocs\"],\"limit\":100,\"offset\":0}]");
        assertThat(list).hasSize(1);
        var item = list.get(0);
        assertThat(item.path("id_rec").asText()).isEqualTo(meta.path("ouid").asText());
        assertThat(item.path("subject").asText()).isEqualTo("CV Uploader");
        assertThat(item.path("type").asText()).isEqualTo("CV");
        assertThat(item.path("fileName").asText()).isEqualTo("cv.pdf");
        assertThat(item.path("fileSize").asLong()).isEqualTo(content.length);
        assertThat(item.path("mimeType").asText()).isEqualTo("application/pdf");
        assertThat(item.path("entryDateTime").asText()).isNotBlank();
        assertThat(item.path("creatorId").asLong()).isEqualTo(ows.userId());
        var count = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.DossierService.getCount\",\"params\":[\"" + session
                + "\",{\"objectEntityId\":2,\"objectUid\":\"" + candidate + "\",\"restrictClass\":[\"AttachedDocs\"],\"limit\":100,\"offset\":0}],\"id\":1}");
        assertThat(count.toString()).isEqualTo("{\"result\":1,\"id\":1}");

        var whole = download(ows.server(), item.path("id_rec").asText(), session, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        assertThat(whole.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        assertThat(whole.headers().firstValue("Content-Length").orElse("")).isEqualTo(Integer.toString(content.length));
        assertThat(whole.headers().firstValue("Accept-Ranges").orElse("")).isEqualTo("bytes");
        assertThat(whole.headers().firstValue("ETag").orElse("")).matches("\"[0-9a-f]{64}\"");
        assertThat(whole.headers().firstValue("Content-Disposition").orElse("")).isEqualTo("attachment; filename=\"cv.pdf\"");
    }

    @Test
    void section_3_2_1_downloadWithTheLegacySessionParameterAndRanges() throws Exception {
        var content = pdf(10_000, 2);
        var ouid = upload(ows.server(), multipart(sessionPart(session), filePart("r.pdf", "application/pdf", content))).path("r.pdf").path("ouid").asText();
        bind("candidateUid", candidate("Ranges"), ouid, documentType("Other", true), "ranges");

        var legacy = CLIENT.send(HttpRequest.newBuilder(ows.server().uri("/ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument&sessionId=" + session))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(legacy.body()).isEqualTo(content);

        var first = download(ows.server(), ouid, session, "bytes=0-0");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.body()).containsExactly(content[0]);
        assertThat(first.headers().firstValue("Content-Range").orElse("")).isEqualTo("bytes 0-0/10000");
        var tail = download(ows.server(), ouid, session, "bytes=-100");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 9900, 10000));
        var from = download(ows.server(), ouid, session, "bytes=9999-");
        assertThat(from.body()).containsExactly(content[9999]);
        var beyond = download(ows.server(), ouid, session, "bytes=10000-10010");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range").orElse("")).isEqualTo("bytes */10000");
        var garbage = download(ows.server(), ouid, session, "bytes=abc");
        assertThat(garbage.statusCode()).as("an unparseable Range is ignored").isEqualTo(200);

        var etag = first.headers().firstValue("ETag").orElseThrow();
        var notModified = CLIENT.send(HttpRequest.newBuilder(ows.server().uri("/ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument"))
                .header("Cookie", "PHPSESSID=" + session).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void theClientThatSendsTheFileFirstAndTheSessionAsJsonIsServed() throws Exception {
        var content = "plain text CV\n".getBytes(StandardCharsets.UTF_8);
        var uploaded = upload(ows.server(), multipart(filePart("cv.txt", "text/plain", content),
                new Part("sessionId", null, "application/json", session.getBytes(StandardCharsets.UTF_8))));
        var first = uploaded.properties().iterator().next();
        assertThat(first.getKey()).isEqualTo("cv.txt");
        assertThat(first.getValue().path("mimeType").asText()).isEqualTo("text/plain");

        var several = upload(ows.server(), multipart(sessionPart(session), filePart("a.txt", null, "a".getBytes()),
                filePart("b.txt", null, "b".getBytes())));
        assertThat(several.has("a.txt")).isTrue();
        assertThat(several.has("b.txt")).isTrue();
    }

    @Test
    void anUploadWhoseSessionFieldComesFirstAndIsUnknownIsRefusedBeforeItsFileIsRead() throws Exception {
        var head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\nno-such-session\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (var socket = new Socket("127.0.0.1", ows.server().server().port())) {
            // 100 MiB announced, 64 KiB of it sent, and the rest held back: the answer must not wait for it
            socket.getOutputStream().write(("POST /ows/fileService.php HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary="
                    + BOUNDARY + "\r\nContent-Length: " + (head.length + 100L * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(new byte[64 * 1024]);
            socket.getOutputStream().flush();
            socket.setSoTimeout(20_000);
            var answer = new StringBuilder();
            var in = socket.getInputStream();
            var buffer = new byte[4096];
            while (!answer.toString().contains("please login first")) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 200").contains("Access denied; please login first");
        }
    }

    @Test
    void refusalsGiveNoBytes() throws Exception {
        var content = pdf(5000, 3);
        var ouid = upload(ows.server(), multipart(sessionPart(session), filePart("secret.pdf", null, content))).path("secret.pdf").path("ouid").asText();
        bind("candidateUid", candidate("Secret"), ouid, documentType("Contract", true), "secret");

        var anonymous = download(ows.server(), ouid, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(new String(anonymous.body(), StandardCharsets.UTF_8)).contains("Access denied; please login first").doesNotContain("%PDF");
        var unknown = download(ows.server(), "0".repeat(32), session, null);
        assertThat(unknown.statusCode()).isEqualTo(404);

        var other = Ows.newTenant(ows.server(), List.of("en"));
        var otherSession = other.login();
        var foreign = download(ows.server(), ouid, otherSession, null);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(new String(foreign.body(), StandardCharsets.ISO_8859_1)).doesNotContain("%PDF");

        // the other tenant cannot bind this tenant's (unbound) upload either
        var unbound = upload(ows.server(), multipart(sessionPart(session), filePart("mine.pdf", null, content))).path("mine.pdf").path("ouid").asText();
        var otherType = other.result("Otys.Services.DocumentTypeService.add", "[\"" + otherSession + "\",{\"name\":\"CV\",\"forDocuments\":true,\"forCandidates\":true}]").asText();
        var otherCandidate = other.result("Otys.Services.CandidateService.add", "[\"" + otherSession + "\",{\"Person\":{\"lastName\":\"Thief\"}}]").asText();
        var stolen = other.call("Otys.Services.AttachedDocumentsService.add", "[\"" + otherSession + "\",{\"candidateUid\":\"" + otherCandidate
                + "\",\"fileUid\":\"" + unbound + "\",\"typeId\":\"" + otherType + "\",\"subject\":\"x\"}]");
        assertThat(stolen.has("error")).isTrue();
        // and still can be bound by its owner
        bind("candidateUid", candidate("Owner"), unbound, documentType("CV2", true), "mine");
    }

    @Test
    void bindingIsChecked() throws Exception {
        var ouid = upload(ows.server(), multipart(sessionPart(session), filePart("x.pdf", null, pdf(100, 4)))).path("x.pdf").path("ouid").asText();
        var candidate = candidate("Checked");
        var notForCandidates = documentType("Vacancy text", false);
        var c = "Otys.Services.AttachedDocumentsService.add";
        assertThat(ows.call(c, "[\"" + session + "\",{\"candidateUid\":\"" + candidate + "\",\"fileUid\":\"" + ouid + "\",\"typeId\":\""
                + notForCandidates + "\",\"subject\":\"s\"}]").path("error").path("message").asText()).contains("forCandidates");
        var type = documentType("CV", true);
        assertThat(ows.call(c, "[\"" + session + "\",{\"candidateUid\":\"nope\",\"fileUid\":\"" + ouid + "\",\"typeId\":\"" + type
                + "\",\"subject\":\"s\"}]").path("error").path("message").asText()).contains("nope");
        assertThat(ows.call(c, "[\"" + session + "\",{\"candidateUid\":\"" + candidate + "\",\"fileUid\":\"missing\",\"typeId\":\"" + type
                + "\",\"subject\":\"s\"}]").has("error")).isTrue();
        assertThat(ows.call(c, "[\"" + session + "\",{\"fileUid\":\"" + ouid + "\",\"typeId\":\"" + type + "\"}]")
                .path("error").path("message").asText()).contains("entity key");
        var id = bind("candidateUid", candidate, ouid, type, "first");
        assertThat(ows.call(c, "[\"" + session + "\",{\"candidateUid\":\"" + candidate + "\",\"fileUid\":\"" + ouid + "\",\"typeId\":\"" + type
                + "\",\"subject\":\"again\"}]").path("error").path("message").asText()).contains("already bound");

        var detail = ows.result("Otys.Services.AttachedDocumentsService.getDetail", "[\"" + session + "\",\"" + id + "\"]");
        assertThat(detail.path("subject").asText()).isEqualTo("first");
        assertThat(detail.path("private").asText()).isEqualTo("false");
        ows.result("Otys.Services.AttachedDocumentsService.update", "[\"" + session + "\",\"" + id + "\",{\"subject\":\"renamed\"}]");
        assertThat(ows.result("Otys.Services.AttachedDocumentsService.getDetail", "[\"" + session + "\",\"" + id + "\"]").path("subject").asText())
                .isEqualTo("renamed");
        assertThat(ows.result("Otys.Services.AttachedDocumentsService.delete", "[\"" + session + "\",\"" + id + "\"]").asBoolean()).isTrue();
        assertThat(download(ows.server(), ouid, session, null).statusCode()).isEqualTo(404);
        assertThat(ows.result("Otys.Services.DossierService.getCount", "[\"" + session + "\",{\"objectEntityId\":2,\"objectUid\":\"" + candidate + "\"}]")
                .asInt()).isZero();
    }

    @Test
    void fileNamesAreStoredAndReturnedSafely() throws Exception {
        var type = documentType("CV", true);
        var candidate = candidate("Names");
        for (var name : List.of("quote\"d.pdf", "../../etc/passwd", "sub/dir/file.pdf", "..\\win.pdf", "Curriculum vitæ – Zoë.pdf", "名前.pdf")) {
            var uploaded = upload(ows.server(), multipart(sessionPart(session), filePart(name, null, pdf(50, name.hashCode()))));
            var meta = uploaded.properties().iterator().next().getValue();
            var stored = meta.path("name").asText();
            assertThat(stored).doesNotContain("/").doesNotContain("\\").isNotEqualTo("..");
            bind("candidateUid", candidate, meta.path("ouid").asText(), type, "n");
            var response = download(ows.server(), meta.path("ouid").asText(), session, null);
            assertThat(response.statusCode()).isEqualTo(200);
            var disposition = response.headers().firstValue("Content-Disposition").orElseThrow();
            assertThat(disposition).startsWith("attachment; filename=\"").doesNotContain("\r").doesNotContain("\n");
            assertThat(disposition.substring("attachment; filename=\"".length()).split("\"")[0]).matches("[\\x20-\\x7e]*").doesNotContain("\\");
            if (!stored.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f) || stored.contains("\"")) {
                assertThat(disposition).contains("filename*=UTF-8''" + URLEncoder.encode(stored, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
    }

    @Test
    void anOversizeUploadIsRefusedAndNothingIsStored() throws Exception {
        own = TestServer.start();
        var tenant = Ows.newTenant(own, List.of("en"));
        var token = tenant.login();
        var before = stored(own);
        var big = pdf((int) StorageSetup.MAX_UPLOAD_BYTES + 1, 5);
        var answer = upload(own, multipart(sessionPart(token), filePart("big.pdf", null, "small".getBytes()), filePart("big.pdf", null, big)));
        assertThat(answer.path("error").path("message").asText()).contains("too large");
        assertThat(stored(own)).isEqualTo(before);
    }

    @Test
    void anInterruptedUploadLeavesNothing() throws Exception {
        own = TestServer.start();
        var tenant = Ows.newTenant(own, List.of("en"));
        var token = tenant.login();
        var before = stored(own);
        var body = multipart(sessionPart(token), filePart("cut.pdf", null, pdf(2_000_000, 6)));
        try (var socket = new Socket("127.0.0.1", own.server().port())) {
            socket.getOutputStream().write(("POST /ows/fileService.php HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body, 0, body.length / 2);
            socket.getOutputStream().flush();
            Thread.sleep(300);
        }
        Thread.sleep(1000);
        assertThat(stored(own)).isEqualTo(before);
        own.restart();
        assertThat(stored(own)).isEqualTo(before);
    }

    @Test
    void fiveHundredConcurrentUploadsAndBindsAllLand() throws Exception {
        ows.withoutRateLimit();   // 1,000 calls of one key in seconds: the load is the point here, not the limit
        var type = documentType("CV", true);
        var candidates = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            candidates.add(candidate("Busy" + i));
        }
        var pool = Executors.newFixedThreadPool(16);
        try {
            var tasks = new ArrayList<Callable<String[]>>();
            for (int i = 0; i < 500; i++) {
                var n = i;
                tasks.add(() -> {
                    var content = pdf(1000 + n, 100 + n);
                    var ouid = upload(ows.server(), multipart(sessionPart(session), filePart("f" + n + ".pdf", null, content)))
                            .path("f" + n + ".pdf").path("ouid").asText();
                    var candidate = candidates.get(n % 10);
                    bind("candidateUid", candidate, ouid, type, "file " + n);
                    return new String[] {ouid, candidate, Integer.toString(n)};
                });
            }
            var results = new ArrayList<String[]>();
            for (var future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            for (int i = 0; i < 10; i++) {
                assertThat(ows.result("Otys.Services.DossierService.getCount", "[\"" + session + "\",{\"objectEntityId\":2,\"objectUid\":\""
                        + candidates.get(i) + "\"}]").asInt()).isEqualTo(50);
            }
            for (var result : results.subList(0, 20)) {
                var n = Integer.parseInt(result[2]);
                assertThat(download(ows.server(), result[0], session, null).body()).isEqualTo(pdf(1000 + n, 100 + n));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Downloads leave no memory mapping of a blob file behind. A mapped file stays mapped until a
     * GC collects its buffer (issue 15 counted hundreds after a download benchmark), so a mapping
     * found right after the downloads have completed, with no GC asked for, is one a download left.
     * Linux only: it reads this JVM's (the server's) {@code /proc/self/maps}.
     */
    @Test
    void downloadsLeaveNoMappingOfBlobFiles() throws Exception {
        var maps = java.nio.file.Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux's /proc/self/maps");
        var content = pdf(5_000_000, 15);
        var ouid = upload(ows.server(), multipart(sessionPart(session), filePart("mapped.pdf", null, content))).path("mapped.pdf").path("ouid").asText();
        bind("candidateUid", candidate("Mapped"), ouid, documentType("CV", true), "mapped");
        for (int i = 0; i < 3; i++) {
            assertThat(download(ows.server(), ouid, session, null).body()).isEqualTo(content);
        }
        assertThat(download(ows.server(), ouid, session, "bytes=1000000-3999999").body())
                .isEqualTo(java.util.Arrays.copyOfRange(content, 1_000_000, 4_000_000));
        assertThat(download(ows.server(), ouid, session, "bytes=-10").body()).isEqualTo(java.util.Arrays.copyOfRange(content, content.length - 10, content.length));
        // every file the storage keeps lies under its folder (blobs of the embedded setup; nothing local on S3)
        var folder = ows.server().storage().folder().toRealPath().toString();
        assertThat(Files.readAllLines(maps).stream().filter(line -> line.contains(folder)).toList()).as("mappings of files under " + folder).isEmpty();
    }

    @Test
    void aDamagedBlobIsNeverServedWholeOrRanged() throws Exception {
        var content = pdf(3_000_000, 77);
        var ouid = upload(ows.server(), multipart(sessionPart(session), filePart("rot.pdf", null, content))).path("rot.pdf").path("ouid").asText();
        bind("candidateUid", candidate("Rot"), ouid, documentType("CV", true), "rot");
        var dossier = ows.server().server().dossier();
        var file = dossier.content().file(ows.tenantId(), ouid);
        // flip one byte of the stored blob behind the server's back
        var blobs = dossier.blobs();
        if (blobs.localFile(file.blobId()).isPresent()) {
            try (var channel = java.nio.channels.FileChannel.open(blobs.localFile(file.blobId()).get(), java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (content[1_000_000] ^ 0xff)}), 1_000_000);
            }
        } else {
            var corrupted = content.clone();
            corrupted[1_000_000] ^= (byte) 0xff;
            var s3 = ows.server().storage().s3Server().orElseThrow().client();
            // the paginator: the bucket holds more than one listing page (1,000 keys) once the busier tests have run
            var key = s3.listObjectsV2Paginator(b -> b.bucket(ows.server().storage().bucket().orElseThrow())).contents().stream()
                    .map(o -> o.key()).filter(k -> k.endsWith(file.blobId())).findFirst().orElseThrow();
            s3.putObject(b -> b.bucket(ows.server().storage().bucket().orElseThrow()).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(corrupted));
        }
        try (var socket = new Socket("127.0.0.1", ows.server().server().port())) {
            socket.getOutputStream().write(("GET /ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument HTTP/1.1\r\nHost: x\r\n"
                    + "Cookie: PHPSESSID=" + session + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(20_000);
            var received = socket.getInputStream().readAllBytes();
            var text = new String(received, StandardCharsets.ISO_8859_1);
            var headerEnd = text.indexOf("\r\n\r\n");
            if (text.startsWith("HTTP/1.1 200")) {
                assertThat(received.length - headerEnd - 4).as("the body is cut off before its end").isLessThan(content.length);
            } else {
                // found before the first byte: an error in the OWS shape, no bytes of the file
                assertThat(text).startsWith("HTTP/1.1 503").contains("\"error\"").contains("damaged").doesNotContain("%PDF");
            }
        } catch (java.net.SocketException reset) {
            // the connection was reset: also a refusal to serve the whole file
        }
        var intact = download(ows.server(), ouid, session, "bytes=0-99");
        assertThat(intact.statusCode()).as("a range of intact chunks is served").isEqualTo(206);
        assertThat(intact.body()).isEqualTo(java.util.Arrays.copyOf(content, 100));
        // a range inside the damaged chunk: refused before a byte goes out, in the OWS shape
        var inside = download(ows.server(), ouid, session, "bytes=999990-1000009");
        assertThat(inside.statusCode()).isEqualTo(503);
        assertThat(new String(inside.body(), StandardCharsets.UTF_8)).contains("\"error\"").contains("damaged");
        // a range that starts in intact chunks: cut off before the damaged chunk's bytes
        try {
            var across = download(ows.server(), ouid, session, "bytes=900000-1100000");
            assertThat(across.body().length).as("the body is cut off before the damaged chunk").isLessThan(200_001);
        } catch (java.io.IOException cutOff) {
            // the connection was cut: also a refusal
        }
        // ranges of several read buffers (256 KiB), read a buffer ahead of the writing: after the
        // damaged chunk, every byte in order; across it, the bytes before it and none of it
        var after = download(ows.server(), ouid, session, "bytes=1100000-2999999");
        assertThat(after.statusCode()).isEqualTo(206);
        assertThat(after.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 1_100_000, 3_000_000));
        try {
            var acrossMany = download(ows.server(), ouid, session, "bytes=10-2999999");
            assertThat(acrossMany.body().length).as("the body is cut off before the damaged chunk").isLessThan(1_000_000 - 10);
            assertThat(acrossMany.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 10 + acrossMany.body().length));
        } catch (java.io.IOException cutOff) {
            // the connection was cut: also a refusal
        }
        // and the verdict does not depend on a cache: the same after the damage has been seen
        assertThat(download(ows.server(), ouid, session, "bytes=999990-1000009").statusCode()).isEqualTo(503);
        // reported: listed for the operator with the file that holds it, and counted
        var http = java.net.http.HttpClient.newHttpClient();
        var base = "http://127.0.0.1:" + ows.server().server().port();
        var listed = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/admin/api/blobs/damaged"))
                .header("Authorization", "Bearer " + ows.server().adminToken()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains(file.blobId()).contains(ouid).contains("\"foundBy\":\"read\"").contains("CRC32C");
        var anonymous = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/admin/api/blobs/damaged")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("dossier_damaged_blobs_found_total\\{found_by=\"read\"} [1-9]");
    }

    /** Blobs and file rows the server holds. */
    static long stored(TestServer server) throws Exception {
        long blobs;
        if (server.storage().setupKind() == StorageSetup.Kind.EMBEDDED) {
            var root = server.storage().folder().resolve("blobs");
            try (var files = Files.walk(root)) {
                blobs = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".sums")).count();
            }
        } else {
            blobs = server.storage().s3Server().orElseThrow().client()
                    .listObjectsV2(b -> b.bucket(server.storage().bucket().orElseThrow())).contents().stream()
                    .filter(o -> !o.key().endsWith(".sums")).count();   // a blob's chunk sums are not a blob
        }
        try (var connection = server.server().dossier().database().dataSource().getConnection();
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM stored_file")) {
            rows.next();
            return blobs * 1_000_000 + rows.getLong(1);
        }
    }


}
