package io.dossier.it.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The request sequences real clients send, over plain HTTP to one node: the OWS WordPress plugin's
 * login, upload and bind; a File API publisher's token, multipart and resumable publications; an
 * Opus 2 integrator's project, folder and document uploads; an HR system's import of a person and a
 * Youforce client's walk of persons; and the downloads that check what was stored. A call that is
 * not answered as the client expects a success throws {@link NotAcknowledged}: for the crash
 * suites, such a write was never acknowledged.
 */
final class Wire {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;

    Wire(URI base) {
        this.base = base;
    }

    /** A call that did not end in the answer a client takes as success (refused, cut off, or never answered). */
    static final class NotAcknowledged extends Exception {
        NotAcknowledged(String message) {
            super(message);
        }

        NotAcknowledged(String message, Throwable cause) {
            super(message + ": " + cause, cause);
        }
    }

    // ---- OWS (JSON-RPC and the file service)

    /** A JSON-RPC call; returns the whole response document (OWS answers errors with HTTP 200 too). */
    JsonNode rpc(String method, Object... params) throws NotAcknowledged {
        var body = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method).put("id", 1);
        body.set("params", JSON.valueToTree(List.of(params)));
        var response = send(request("/ows/jservice.php").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new NotAcknowledged(method + ": HTTP " + response.statusCode());
        }
        return json(response.body());
    }

    /** The result of a JSON-RPC call that must succeed. */
    JsonNode result(String method, Object... params) throws NotAcknowledged {
        var response = rpc(method, params);
        if (response.has("error") || !response.has("result")) {
            throw new NotAcknowledged(method + ": " + response.path("error"));
        }
        return response.path("result");
    }

    String login(String apiKey) throws NotAcknowledged {
        return result("loginByUid", apiKey).asText();
    }

    String addCandidate(String session, String lastName) throws NotAcknowledged {
        return result("Otys.Services.CandidateService.add", session, Map.of("Person", Map.of("lastName", lastName))).asText();
    }

    String addDocumentType(String session, String name) throws NotAcknowledged {
        return result("Otys.Services.DocumentTypeService.add", session,
                Map.of("name", name, "forDocuments", true, "forCandidates", true)).asText();
    }

    /** {@code POST /ows/fileService.php} as the WordPress plugin sends it: part {@code file} first, then {@code sessionId}. */
    String upload(String session, String fileName, byte[] content) throws NotAcknowledged {
        var boundary = "----dossier" + UUID.randomUUID().toString().replace("-", "");
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\nContent-Type: application/json\r\n\r\n"
                + session + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var response = send(request("/ows/fileService.php").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), HttpResponse.BodyHandlers.ofString());
        var ouid = response.statusCode() == 200 ? json(response.body()).path(fileName).path("ouid").asText("") : "";
        if (ouid.isEmpty()) {
            throw new NotAcknowledged("upload: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return ouid;
    }

    /** {@code AttachedDocumentsService.add}: binds file {@code ouid} to a candidate; returns the document id. */
    String attach(String session, String candidateUid, String ouid, String typeId) throws NotAcknowledged {
        return result("Otys.Services.AttachedDocumentsService.add", session, Map.of("candidateUid", candidateUid,
                "fileUid", ouid, "typeId", typeId, "subject", "crash " + ouid, "private", "false")).asText();
    }

    HttpResponse<InputStream> owsDownload(String session, String ouid) throws NotAcknowledged {
        return send(request("/ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument").header("Cookie", "PHPSESSID=" + session).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    // ---- File API

    String fileApiToken(String tenant, String clientId, String secret) throws NotAcknowledged {
        return token("/fileapi/connect/token", tenant, clientId, secret);
    }

    /** An OAuth client-credentials token from {@code path} (the File API's and Youforce's token calls are alike). */
    private String token(String path, String tenant, String clientId, String secret) throws NotAcknowledged {
        var response = send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + encode(clientId)
                        + "&client_secret=" + encode(secret) + "&tenant_id=" + encode(tenant))), HttpResponse.BodyHandlers.ofString());
        var token = response.statusCode() == 200 ? json(response.body()).path("access_token").asText("") : "";
        if (token.isEmpty()) {
            throw new NotAcknowledged("token: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return token;
    }

    /** {@code POST /fileapi/v1.0/files?uploadType=multipart}, the whole file in one request; returns the file id. */
    String publish(String token, String name, long businessType, byte[] content) throws NotAcknowledged {
        var boundary = "related-" + UUID.randomUUID();
        var response = send(request("/fileapi/v1.0/files?uploadType=multipart").header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related(boundary, name, businessType, content, 0, content.length))),
                HttpResponse.BodyHandlers.ofString());
        return fileId("publish", response, 201);
    }

    /**
     * A resumable publication as Visma's upload script sends it: {@code POST ?uploadType=resumable}
     * with chunk 0, then {@code PUT …&position=1, 2, …}, the last with {@code close=true}.
     * {@code onTicket} gets the upload token as soon as it is issued. Returns the file id.
     */
    String publishResumable(String token, String name, long businessType, byte[] content, int chunkBytes, Consumer<String> onTicket)
            throws NotAcknowledged {
        var uploadToken = startResumable(token, name, businessType, content, Math.min(chunkBytes, content.length));
        onTicket.accept(uploadToken);
        int chunks = Math.max(1, (content.length + chunkBytes - 1) / chunkBytes);
        if (chunks == 1) {
            throw new IllegalArgumentException("a resumable publication needs at least two chunks");
        }
        for (int position = 1; position < chunks; position++) {
            var from = position * chunkBytes;
            var to = Math.min(content.length, from + chunkBytes);
            var last = position == chunks - 1;
            var response = send(request("/fileapi/v1.0/files?uploadType=resumable&uploadToken=" + encode(uploadToken) + "&position=" + position
                    + (last ? "&close=true" : "")).header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content, from, to - from)), HttpResponse.BodyHandlers.ofString());
            if (last) {
                return fileId("resumable close", response, 201);
            }
            if (response.statusCode() != 200) {
                throw new NotAcknowledged("resumable chunk " + position + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()));
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** {@code POST ?uploadType=resumable} with the first {@code firstChunkBytes} of {@code content} as chunk 0; returns the upload token. */
    String startResumable(String token, String name, long businessType, byte[] content, int firstChunkBytes) throws NotAcknowledged {
        var boundary = "related-" + UUID.randomUUID();
        var started = send(request("/fileapi/v1.0/files?uploadType=resumable").header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(related(boundary, name, businessType, content, 0, firstChunkBytes))),
                HttpResponse.BodyHandlers.ofString());
        var uploadToken = started.statusCode() == 200 ? json(started.body()).path("uploadToken").asText("") : "";
        if (uploadToken.isEmpty()) {
            throw new NotAcknowledged("resumable start: HTTP " + started.statusCode() + " " + abbreviate(started.body()));
        }
        return uploadToken;
    }

    HttpResponse<InputStream> fileApiDownload(String token, String fileId) throws NotAcknowledged {
        return send(request("/fileapi/v1.0/files/" + fileId + "?role=subscriber").header("Authorization", "Bearer " + token).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A cheap call that needs a valid File API token: the publisher's first page. */
    int fileApiPublisherPage(String token) throws NotAcknowledged {
        return send(request("/fileapi/v1.0/files?role=publisher&pageSize=1").header("Authorization", "Bearer " + token).GET(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- HR data: the admin import, and Youforce's delta walk of persons

    /**
     * {@code POST /admin/api/tenants/{tenant}/hr/import} of one new person, as an HR system's import
     * sends it; acknowledged when the answer says it was applied.
     */
    void importPerson(String adminToken, String tenant, String id) throws NotAcknowledged {
        var line = "{\"type\":\"hr.Person\",\"op\":\"upsert\",\"record\":{\"id\":\"" + id + "\",\"personCode\":\"" + id
                + "\",\"lastName\":\"Crash\"}}\n";
        var response = send(request("/admin/api/tenants/" + tenant + "/hr/import").header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(line)),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || json(response.body()).path("applied").asInt() != 1) {
            throw new NotAcknowledged("HR import: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    String youforceToken(String tenant, String clientId, String secret) throws NotAcknowledged {
        return token("/youforce/connect/token", tenant, clientId, secret);
    }

    /** {@code GET /youforce/learning/v1.0/persons} with {@code query} (a first query, or a nextLink's query string): the page, if 200. */
    JsonNode youforcePersons(String token, String query) throws NotAcknowledged {
        var response = send(request("/youforce/learning/v1.0/persons" + query).header("Authorization", "Bearer " + token).GET(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new NotAcknowledged("persons: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return json(response.body());
    }

    /** The status of {@code GET /youforce/learning/v1.0/persons/{id}}. */
    int youforcePerson(String token, String id) throws NotAcknowledged {
        return send(request("/youforce/learning/v1.0/persons/" + encode(id)).header("Authorization", "Bearer " + token).GET(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- helpers

    private static byte[] related(String boundary, String name, long businessType, byte[] content, int from, int to) {
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"name\":\"" + name + "\",\"businesstypeid\":\""
                + businessType + "\"}\r\n--" + boundary + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content, from, to - from);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    // ---- Opus 2

    /** {@code POST /opus2/projects} then {@code POST /opus2/projects/{id}/folders}: the project's id and its folder's. */
    String[] opus2Folder(String token, String projectName) throws NotAcknowledged {
        var project = opus2Created(token, "/opus2/projects", "{\"name\":\"" + projectName + "\"}", "projectId");
        var folder = opus2Created(token, "/opus2/projects/" + project + "/folders", "{\"name\":\"Crash\"}", "folderId");
        return new String[] {project, folder};
    }

    private String opus2Created(String token, String path, String json, String idField) throws NotAcknowledged {
        var response = send(request(path).header("X-API-Token", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), HttpResponse.BodyHandlers.ofString());
        var id = response.statusCode() == 201 ? json(response.body()).path(idField).asText("") : "";
        if (id.isEmpty()) {
            throw new NotAcknowledged(path + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return id;
    }

    /**
     * {@code POST /opus2/projects/{id}/documents}, multipart as {@code curl -F file=@… -F folderId=…}
     * sends it (the file part first); 201 with the new document's id.
     */
    String opus2Upload(String token, String projectId, String folderId, String fileName, byte[] content) throws NotAcknowledged {
        var boundary = "------------------------" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"folderId\"\r\n\r\n" + folderId
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var response = send(request("/opus2/projects/" + projectId + "/documents").header("X-API-Token", token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), HttpResponse.BodyHandlers.ofString());
        var id = response.statusCode() == 201 ? json(response.body()).path("documentId").asText("") : "";
        if (id.isEmpty()) {
            throw new NotAcknowledged("Opus 2 upload: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return id;
    }

    HttpResponse<InputStream> opus2Download(String token, String projectId, String documentId) throws NotAcknowledged {
        return send(request("/opus2/projects/" + projectId + "/documents/" + documentId + "/content").header("X-API-Token", token).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String fileId(String what, HttpResponse<String> response, int expected) throws NotAcknowledged {
        var fileId = response.statusCode() == expected ? json(response.body()).path("fileId").asText("") : "";
        if (fileId.isEmpty()) {
            throw new NotAcknowledged(what + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return fileId;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT);
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) throws NotAcknowledged {
        try {
            return HTTP.send(request.build(), handler);
        } catch (IOException e) {
            throw new NotAcknowledged("no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcknowledged("interrupted", e);
        }
    }

    private static JsonNode json(String text) throws NotAcknowledged {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new NotAcknowledged("not JSON: " + abbreviate(text));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest().digest(content));
    }

    /** The SHA-256 of a whole body; an {@link IOException} means the body was cut off. */
    static String sha256(InputStream in) throws IOException {
        var digest = digest();
        try (in) {
            var buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
