package io.dossier.it.youforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.identity.ClientKind;
import io.dossier.it.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

/** A Youforce application of one tenant: its credentials, a token, and plain HTTP calls as real clients make them. */
final class YouforceClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final TestServer server;
    final String tenant;
    final long id;
    final String clientId;
    final String secret;
    private String token;

    private YouforceClient(TestServer server, String tenant, long id, String clientId, String secret) {
        this.server = server;
        this.tenant = tenant;
        this.id = id;
        this.clientId = clientId;
        this.secret = secret;
    }

    static String newTenant(TestServer server) {
        var slug = "yf-" + UUID.randomUUID().toString().substring(0, 8);
        server.server().dossier().tenants().create(slug, "Youforce " + slug);
        return slug;
    }

    /** A client with these scopes and no rate limit to speak of (the rate-limit test makes its own). */
    static YouforceClient app(TestServer server, String tenant, String... scopes) {
        var dossier = server.server().dossier();
        var t = dossier.tenants().bySlug(tenant);
        var issued = dossier.identities().createClient(t.id(), ClientKind.OAUTH, "learning app", null, Set.of(scopes));
        dossier.rateLimits().set(t.id(), issued.client().id(), "youforce", 1_000_000, 0);
        return new YouforceClient(server, tenant, issued.client().id(), issued.client().publicId(), issued.secret());
    }

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }

    HttpResponse<String> tokenCall(String path, String form) {
        return send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cache-Control", "no-cache").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    String token() {
        if (token == null) {
            var answer = tokenCall("/youforce/connect/token", "grant_type=client_credentials&client_id=" + q(clientId) + "&client_secret="
                    + q(secret) + "&tenant_id=" + q(tenant));
            if (answer.statusCode() != 200) {
                throw new AssertionError(answer.body());
            }
            token = json(answer.body()).path("access_token").asText();
        }
        return token;
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(server.uri(pathAndQuery)).header("Authorization", "Bearer " + token());
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    JsonNode getOk(String pathAndQuery) {
        var answer = get(pathAndQuery);
        if (answer.statusCode() != 200) {
            throw new AssertionError(pathAndQuery + " → " + answer.statusCode() + " " + answer.body());
        }
        return json(answer.body());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
