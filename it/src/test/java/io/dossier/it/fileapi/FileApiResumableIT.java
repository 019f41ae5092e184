package io.dossier.it.fileapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resumable publishing as Visma's own upload script does it: chunk 0 in the POST (or the whole file
 * as {@code uploadType=multipart} when it fits in one chunk), then {@code PUT position=1, 2, …},
 * {@code close=true} on the last. Every acknowledged publication must download as exactly the
 * bytes sent.
 */
class FileApiResumableIT {

    static final int MIB = 1024 * 1024;
    static final String BOUNDARY = "file_info";

    FileApiClient publisher;
    FileApiClient subscriber;

    @BeforeEach
    void sandbox() {
        var server = TestServer.shared();
        var tenant = FileApiClient.newTenant(server);
        publisher = FileApiClient.app(server, tenant, DeliveryRole.PUBLISHER, 7101L);
        subscriber = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
    }

    @Test
    void theUploadScriptsSequenceStoresEveryByteForSizesAroundChunkBoundaries() throws Exception {
        var sizes = new long[][] {
                {0, MIB}, {1, MIB}, {MIB - 1, MIB}, {MIB, MIB}, {MIB + 1, MIB}, {2L * MIB, MIB}, {3L * MIB - 1, MIB},
                {3L * MIB, MIB}, {3L * MIB + 1, MIB}, {2_621_447, MIB}, {6L * MIB, 4L * MIB}, {2_621_447, 2L * MIB}};
        for (var size : sizes) {
            var content = random((int) size[0], size[0] * 31 + size[1]);
            var name = "script-" + size[0] + "-" + size[1] + ".bin";
            var answer = uploadAsTheScriptDoes(name, content, (int) size[1]);
            assertThat(answer.path("fileSize").asLong()).as(name).isEqualTo(content.length);
            assertThat(answer.path("sha256").asText()).as(name).isEqualTo(sha256(content));
            assertThat(download(answer.path("fileId").asText())).as(name).isEqualTo(sha256(content));
        }
    }

    /** What the script sends, byte for byte: its boundary, its JSON layout, no CRLF after the closing boundary. */
    private JsonNode uploadAsTheScriptDoes(String name, byte[] content, int chunkSize) {
        long read = 0;
        int chunkNumber = 0;
        var first = Arrays.copyOfRange(content, 0, Math.min(content.length, chunkSize));
        read += first.length;
        boolean eof = first.length < chunkSize || read >= content.length;
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\r\n\"name\":\"" + name
                + "\",\r\n\"businesstypeid\":\"7101\"\r\n}\r\n--" + BOUNDARY + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(first);
        body.writeBytes(("\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.UTF_8));
        var post = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=" + (eof ? "multipart" : "resumable"))
                        .header("Content-Type", "multipart/related;boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as(name + ": " + post.body()).isEqualTo(eof ? 201 : 200);
        var answer = FileApiClient.json(post.body());
        var token = answer.path("uploadToken").asText();
        while (!eof) {
            chunkNumber++;
            var from = (int) ((long) chunkNumber * chunkSize);
            var chunk = Arrays.copyOfRange(content, from, Math.min(content.length, from + chunkSize));
            read += chunk.length;
            eof = chunk.length < chunkSize || read >= content.length;
            var put = put(token, chunkNumber, eof, chunk);
            assertThat(put.statusCode()).as(name + " chunk " + chunkNumber + ": " + put.body()).isEqualTo(eof ? 201 : 200);
            answer = FileApiClient.json(put.body());
        }
        return answer;
    }

    /**
     * Random chunk sizes, retries of chunks already sent (accepted when identical), other bytes at a
     * taken position (refused), chunks out of order (refused as a gap): whatever the client does,
     * an acknowledged close publishes exactly the chunks acknowledged, in order.
     */
    @Test
    void randomChunkSizesRetriesAndReorderingsNeverStoreOtherBytesThanSent() throws Exception {
        var random = new Random(20261202);
        for (int round = 0; round < 12; round++) {
            int chunks = 2 + random.nextInt(6);
            var parts = new ArrayList<byte[]>();
            for (int i = 0; i < chunks; i++) {
                parts.add(random(1 + random.nextInt(40_000), random.nextLong()));
            }
            var name = "random-" + round + ".bin";
            var post = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable")
                    .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(related(name, parts.getFirst()))), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
            var token = FileApiClient.json(post.body()).path("uploadToken").asText();
            JsonNode closed = null;
            for (int position = 1; position < chunks; position++) {
                var last = position == chunks - 1;
                if (random.nextInt(3) == 0 && position + 1 < chunks) {
                    var ahead = put(token, position + 1, false, parts.get(position + 1));
                    assertThat(ahead.statusCode()).as("a chunk ahead of its turn: " + ahead.body()).isEqualTo(400);
                    assertThat(FileApiClient.json(ahead.body()).path("message").asText()).contains("chunk " + (position + 1));
                }
                var sent = put(token, position, last, parts.get(position));
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(last ? 201 : 200);
                if (last) {
                    closed = FileApiClient.json(sent.body());
                    break;
                }
                var earlier = random.nextInt(position + 1);
                if (random.nextBoolean()) {
                    assertThat(put(token, earlier, false, parts.get(earlier)).statusCode()).as("an identical retry").isEqualTo(200);
                } else {
                    var other = parts.get(earlier).clone();
                    other[random.nextInt(other.length)] ^= 0x5a;
                    var refused = put(token, earlier, false, other);
                    assertThat(refused.statusCode()).as("other bytes at a taken position: " + refused.body()).isEqualTo(409);
                    assertThat(FileApiClient.json(refused.body()).path("message").asText()).contains("chunk " + earlier);
                }
            }
            var whole = concat(parts);
            assertThat(closed).isNotNull();
            assertThat(closed.path("fileSize").asLong()).isEqualTo(whole.length);
            assertThat(closed.path("sha256").asText()).isEqualTo(sha256(whole));
            assertThat(download(closed.path("fileId").asText())).isEqualTo(sha256(whole));
        }
    }

    @Test
    void closeWithAnEarlierChunkIsRefusedAndTheUploadCanStillBeFinished() throws Exception {
        var parts = List.of(random(1000, 1), random(1000, 2), random(1000, 3));
        var post = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable")
                .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related("early.bin", parts.get(0)))), HttpResponse.BodyHandlers.ofString());
        var token = FileApiClient.json(post.body()).path("uploadToken").asText();
        assertThat(put(token, 1, false, parts.get(1)).statusCode()).isEqualTo(200);
        assertThat(put(token, 2, false, parts.get(2)).statusCode()).isEqualTo(200);
        var early = put(token, 1, true, parts.get(1));
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        var closed = put(token, 2, true, parts.get(2));
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(201);
        assertThat(download(FileApiClient.json(closed.body()).path("fileId").asText())).isEqualTo(sha256(concat(parts)));
    }

    /**
     * bench/fuzz.sh (seed 20261207) found a resumable publication named with 185 emoji answered 500
     * on H2: the name went into the upload ticket as sent, 370 chars for a column of 255. It is
     * shortened as a publication in one request shortens it, never inside an emoji.
     */
    @Test
    void aResumablePublicationWithANameLongerThanTheColumnIsShortenedAsAOneRequestPublication() throws Exception {
        var name = "\uD83D\uDE42".repeat(185);
        var parts = List.of(random(1000, 4), random(10, 5));
        var post = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable")
                .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related(name, parts.get(0)))), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        var closed = put(FileApiClient.json(post.body()).path("uploadToken").asText(), 1, true, parts.get(1));
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(201);

        var whole = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=multipart")
                .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related(name, concat(parts)))), HttpResponse.BodyHandlers.ofString());
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(201);
        var shortened = FileApiClient.json(whole.body()).path("fileName").asText();
        assertThat(shortened).isEqualTo("\uD83D\uDE42".repeat(127));
        var answer = FileApiClient.json(closed.body());
        assertThat(answer.path("fileName").asText()).isEqualTo(shortened);
        assertThat(download(answer.path("fileId").asText())).isEqualTo(sha256(concat(parts)));
    }

    /**
     * The script's last PUT ({@code close=true}) sent again after the upload was published, as a
     * client does when the answer was lost: the same file again, published once; the same PUT sent
     * by several threads at once, too. Other bytes for it, or a chunk after it, are a conflict.
     */
    @Test
    void theClosingChunkSentAgainAnswersTheFileItPublishedOnce() throws Exception {
        var parts = List.of(random(2000, 6), random(700, 7));
        var name = "closed-twice.bin";
        var post = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable")
                .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related(name, parts.get(0)))), HttpResponse.BodyHandlers.ofString());
        var token = FileApiClient.json(post.body()).path("uploadToken").asText();
        var closed = put(token, 1, true, parts.get(1));
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(201);
        var fileId = FileApiClient.json(closed.body()).path("fileId").asText();

        var again = put(token, 1, true, parts.get(1));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(FileApiClient.json(again.body()).path("fileId").asText()).isEqualTo(fileId);
        assertThat(FileApiClient.json(again.body()).path("sha256").asText()).isEqualTo(sha256(concat(parts)));
        var changed = parts.get(1).clone();
        changed[0] ^= 1;
        assertThat(put(token, 1, true, changed).statusCode()).isEqualTo(409);
        assertThat(put(token, 1, false, parts.get(1)).statusCode()).isEqualTo(409);
        assertThat(put(token, 2, true, parts.get(1)).statusCode()).isEqualTo(409);
        assertThat(publishedAs(name)).containsExactly(fileId);

        // the same closing PUT from six threads at once: one publication, every 201 naming it
        var raced = "closed-at-once.bin";
        var first = publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable")
                .header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related(raced, parts.get(0)))), HttpResponse.BodyHandlers.ofString());
        var racedToken = FileApiClient.json(first.body()).path("uploadToken").asText();
        var answers = new java.util.concurrent.ConcurrentLinkedQueue<HttpResponse<String>>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                threads.submit(() -> answers.add(put(racedToken, 1, true, parts.get(1))));
            }
        }
        var published = publishedAs(raced);
        assertThat(published).hasSize(1);
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isIn(201, 409));
        assertThat(answers.stream().filter(a -> a.statusCode() == 201).map(a -> FileApiClient.json(a.body()).path("fileId").asText()))
                .isNotEmpty().containsOnly(published.getFirst());
        assertThat(download(published.getFirst())).isEqualTo(sha256(concat(parts)));
    }

    /** The file ids the subscriber is offered under {@code name}. */
    private List<String> publishedAs(String name) {
        var ids = new ArrayList<String>();
        subscriber.list("&$filter=" + FileApiIT.q("fileName eq '" + name + "'"))
                .path("data").forEach(item -> ids.add(item.path("fileId").asText()));
        return ids;
    }

    private HttpResponse<String> put(String token, int position, boolean close, byte[] chunk) {
        return publisher.send(publisher.request("/fileapi/v1.0/files?uploadType=resumable&uploadToken="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&position=" + position + (close ? "&close=true" : ""))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] related(String name, byte[] chunk) {
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n{\"name\":\"" + name
                + "\",\"businesstypeid\":\"7101\"}\r\n--" + BOUNDARY + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(chunk);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private String download(String fileId) throws Exception {
        var response = subscriber.send(subscriber.request("/fileapi/v1.0/files/" + fileId + "?role=subscriber").GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return FileApiIT.sha256(response.body());
    }

    private static byte[] concat(List<byte[]> parts) {
        var out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] random(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
