package io.dossier.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dossier.core.identity.ClientKind;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An OWS client for tests: a tenant of its own with a user and an API key, JSON-RPC calls as raw
 * JSON text (so tests read like the manual's examples), and XML-RPC calls for comparison.
 */
public final class Ows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;
    private final String tenant;
    private final long tenantId;
    private final long userId;
    private final String apiKey;
    private final String username;
    private final String password;

    private Ows(TestServer server, String tenant, long tenantId, long userId, String apiKey, String username, String password) {
        this.server = server;
        this.tenant = tenant;
        this.tenantId = tenantId;
        this.userId = userId;
        this.apiKey = apiKey;
        this.username = username;
        this.password = password;
    }

    /** A new tenant with content languages {@code languages} (first is the default), a user and an OWS API key. */
    public static Ows newTenant(TestServer server, List<String> languages) {
        var dossier = server.server().dossier();
        var slug = "ows-" + UUID.randomUUID().toString().substring(0, 8);
        var tenant = dossier.tenants().create(slug, "Recruitment " + slug, languages, languages.getFirst());
        var user = dossier.identities().createUser(tenant.id(), slug + ".partner", slug + "@example.com", "Partner " + slug, null);
        var key = dossier.identities().createClient(tenant.id(), ClientKind.OWS_API_KEY, "partner", user.user().id(), Set.of());
        return new Ows(server, slug, tenant.id(), user.user().id(), key.secret(), user.user().username(), user.password());
    }

    /** The demo tenant of a server started with the demo seeded ({@code TestServer.start(Map.of(), true)}), by its OWS API key. */
    public static Ows demo(TestServer server) {
        var dossier = server.server().dossier();
        var demo = server.server().demo();
        var tenant = dossier.tenants().list().stream().filter(t -> t.slug().equals(demo.tenant())).findFirst().orElseThrow();
        var key = dossier.identities().listClients(tenant.id()).stream().filter(c -> c.kind() == ClientKind.OWS_API_KEY).findFirst().orElseThrow();
        var user = demo.users().getFirst();
        return new Ows(server, demo.tenant(), tenant.id(), key.userId(), (String) demo.dialects().get("ows").get("apiKey"), user.username(),
                user.password());
    }

    /**
     * Lifts the API key's OWS rate limit (350 per minute by default), for a test whose load is
     * the point and not the limit.
     */
    public Ows withoutRateLimit() {
        var dossier = server.server().dossier();
        var key = dossier.identities().listClients(tenantId).stream()
                .filter(c -> c.kind() == ClientKind.OWS_API_KEY).findFirst().orElseThrow();
        dossier.rateLimits().set(tenantId, key.id(), "ows", 0, null);
        return this;
    }

    public String apiKey() {
        return apiKey;
    }

    public long tenantId() {
        return tenantId;
    }

    public long userId() {
        return userId;
    }

    public String tenant() {
        return tenant;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public TestServer server() {
        return server;
    }

    /** Logs in with the API key and returns the session token. */
    public String login() {
        var response = rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + apiKey + "\"],\"id\":1}");
        if (!response.path("result").isTextual()) {
            throw new AssertionError("login failed: " + response);
        }
        return response.path("result").asText();
    }

    /** Posts a JSON-RPC request document to /ows/jservice.php and returns the response document. */
    public JsonNode rpc(String body) {
        var response = server.http().send(server.http().builder("/ows/jservice.php")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.status() != 200) {
            throw new AssertionError("OWS answers HTTP 200 always, got " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** Calls {@code method} with {@code params} (a JSON array text) and returns the whole response. */
    public JsonNode call(String method, String params) {
        return rpc("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}");
    }

    /** The result of a call that must succeed. */
    public JsonNode result(String method, String params) {
        var response = call(method, params);
        if (response.has("error")) {
            throw new AssertionError(method + " failed: " + response.path("error"));
        }
        return response.path("result");
    }

    /** Posts an XML-RPC methodCall text to /ows/service.php and returns the response text. */
    public String xml(String body) {
        var response = server.http().send(server.http().builder("/ows/service.php")
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.status() != 200) {
            throw new AssertionError("OWS answers HTTP 200 always, got " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    public static ArrayNode array(Object... values) {
        return JSON.valueToTree(List.of(values));
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
