package io.dossier.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.ClientKind;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

/** A File API application for tests: an OAuth client of a tenant, its token, and raw HTTP calls. */
public final class FileApiClient {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;
    private final String tenant;
    private final String clientId;
    private final String secret;
    private String token;

    private FileApiClient(TestServer server, String tenant, String clientId, String secret) {
        this.server = server;
        this.tenant = tenant;
        this.clientId = clientId;
        this.secret = secret;
    }

    /** A new tenant (slug returned by {@link #tenant()}). */
    public static String newTenant(TestServer server) {
        var slug = "fa-" + UUID.randomUUID().toString().substring(0, 8);
        server.server().dossier().tenants().create(slug, "File API " + slug);
        return slug;
    }

    /** A new OAuth client of {@code tenant} authorized for {@code role} and {@code businessTypes} there. */
    public static FileApiClient app(TestServer server, String tenant, DeliveryRole role, Long... businessTypes) {
        var dossier = server.server().dossier();
        var t = dossier.tenants().bySlug(tenant);
        var issued = dossier.identities().createClient(t.id(), ClientKind.OAUTH, role.name().toLowerCase() + " app", null, Set.of());
        if (businessTypes.length > 0) {
            dossier.deliveries().authorize(t.id(), issued.client().id(), role, Set.of(businessTypes));
        }
        return new FileApiClient(server, tenant, issued.client().publicId(), issued.secret());
    }

    public String tenant() {
        return tenant;
    }

    public String clientId() {
        return clientId;
    }

    public String secret() {
        return secret;
    }

    public TestServer server() {
        return server;
    }

    public HttpResponse<String> requestToken(String path, String form) {
        try {
            return HTTP.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token for the tenant (current flow), cached. */
    public String token() {
        if (token == null) {
            var response = requestToken("/fileapi/connect/token", "grant_type=client_credentials&client_id=" + clientId + "&client_secret="
                    + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&tenant_id=" + tenant);
            if (response.statusCode() != 200) {
                throw new AssertionError("token refused: " + response.body());
            }
            token = json(response.body()).path("access_token").asText();
        }
        return token;
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(server.uri(pathAndQuery)).header("Authorization", "Bearer " + token());
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String pathAndQuery, String range) {
        var request = request(pathAndQuery).header("Accept", "application/octet-stream");
        if (range != null) {
            request.header("Range", range);
        }
        return send(request.GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request.build(), handler);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lists as subscriber; {@code query} is appended raw after {@code role=subscriber}. */
    public JsonNode list(String query) {
        var response = get("/fileapi/v1.0/files?role=subscriber" + query);
        if (response.statusCode() != 200) {
            throw new AssertionError("list failed " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /**
     * Lists until {@code count} matches are reported (for at most 5 s): a download is marked once its
     * last byte is out, which may be a moment after the client has read it.
     */
    public JsonNode listWhenCount(String query, int count) {
        var page = list(query);
        for (int attempt = 0; attempt < 50 && page.path("count").asInt() != count; attempt++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            page = list(query);
        }
        return page;
    }

    /** Publishes {@code content} as {@code name} under {@code businessType} (multipart/related, the way real clients send it). */
    public HttpResponse<String> publish(String name, long businessType, byte[] content) {
        var boundary = "related-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"name\":\"" + name + "\",\"businesstypeid\":\""
                + businessType + "\"}\r\n--" + boundary + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/fileapi/v1.0/files?uploadType=multipart").header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), HttpResponse.BodyHandlers.ofString());
    }

    public String publishOk(String name, long businessType, byte[] content) {
        var response = publish(name, businessType, content);
        if (response.statusCode() != 201) {
            throw new AssertionError("publish failed " + response.statusCode() + ": " + response.body());
        }
        return json(response.body()).path("fileId").asText();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
