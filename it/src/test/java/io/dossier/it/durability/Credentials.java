package io.dossier.it.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the load's clients log in with: an OWS API key, a File API publisher and subscriber of one
 * tenant, both authorized for {@link #BUSINESS_TYPE}, an Opus 2 API token of a user who may create
 * projects, the admin token that imports HR data, and (once {@link #withHrReader}) a Youforce client
 * that reads it, with no authorization filter and no rate limit to speak of.
 */
record Credentials(String tenant, String owsApiKey, String publisherId, String publisherSecret, String subscriberId, String subscriberSecret,
                   String opus2Token, String adminToken, String hrReaderId, String hrReaderSecret) {

    /** The sandbox's publishing business type; the demo's publisher and first subscriber both have it. */
    static final long BUSINESS_TYPE = 7100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code <data>/demo-credentials.json}, written by {@code dossier dev} when it seeded the demo tenant. */
    static Credentials fromDemo(Path dataFolder) {
        try {
            var demo = JSON.readTree(dataFolder.resolve("demo-credentials.json").toFile());
            var fileApi = demo.path("fileapi");
            var subscriber = fileApi.path("subscribers").get(0);
            return new Credentials(fileApi.path("tenant").asText(), demo.path("ows").path("apiKey").asText(),
                    fileApi.path("publisher").path("clientId").asText(), fileApi.path("publisher").path("clientSecret").asText(),
                    subscriber.path("clientId").asText(), subscriber.path("clientSecret").asText(),
                    demo.path("opus2").path("readWriteToken").asText(), demo.path("adminToken").asText(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo credentials of " + dataFolder, e);
        }
    }

    /**
     * A new tenant with a user, its OWS API key, a publisher and a subscriber, made through the admin
     * REST API of {@code node} with {@code adminToken}, as an operator of {@code dossier start} would.
     */
    static Credentials provision(Node node, String adminToken, String tenant) {
        post(node, adminToken, "/admin/api/tenants", "{\"slug\":\"" + tenant + "\"}");
        var user = post(node, adminToken, "/admin/api/tenants/" + tenant + "/users", "{\"username\":\"" + tenant + ".writer\"}");
        var apiKey = post(node, adminToken, "/admin/api/tenants/" + tenant + "/clients",
                "{\"kind\":\"ows-api-key\",\"name\":\"crash writers\",\"userId\":" + user.path("id").asLong() + "}");
        var publisher = oauthClient(node, adminToken, tenant, "publisher");
        var subscriber = oauthClient(node, adminToken, tenant, "subscriber");
        // in a tenant where nobody holds a grant on creating projects, every user may
        var opus2 = post(node, adminToken, "/admin/api/tenants/" + tenant + "/clients",
                "{\"kind\":\"api-token\",\"name\":\"crash integrator\",\"userId\":" + user.path("id").asLong() + "}");
        return new Credentials(tenant, apiKey.path("secret").asText(), publisher.path("clientId").asText(), publisher.path("secret").asText(),
                subscriber.path("clientId").asText(), subscriber.path("secret").asText(), opus2.path("secret").asText(), adminToken, null, null);
    }

    /**
     * These credentials with a new Youforce client (scope {@code Get_Basic}) made on {@code node},
     * allowed far more calls than the load makes (Youforce's default is 100 a minute, 3 at once).
     */
    Credentials withHrReader(Node node) {
        var client = post(node, adminToken, "/admin/api/tenants/" + tenant + "/clients",
                "{\"kind\":\"oauth\",\"name\":\"crash HR reader\",\"scopes\":[\"Get_Basic\"]}");
        call(node, adminToken, "PUT", "/admin/api/tenants/" + tenant + "/clients/" + client.path("id").asLong() + "/rate-limits/youforce",
                "{\"perMinute\":1000000000,\"concurrent\":16}");
        return new Credentials(tenant, owsApiKey, publisherId, publisherSecret, subscriberId, subscriberSecret, opus2Token, adminToken,
                client.path("clientId").asText(), client.path("secret").asText());
    }

    private static JsonNode oauthClient(Node node, String adminToken, String tenant, String role) {
        var client = post(node, adminToken, "/admin/api/tenants/" + tenant + "/clients", "{\"kind\":\"oauth\",\"name\":\"crash " + role + "\"}");
        post(node, adminToken, "/admin/api/tenants/" + tenant + "/fileapi/authorizations", "{\"clientId\":\"" + client.path("clientId").asText()
                + "\",\"role\":\"" + role + "\",\"businessTypes\":[" + BUSINESS_TYPE + "]}");
        return client;
    }

    private static JsonNode post(Node node, String adminToken, String path, String json) {
        return call(node, adminToken, "POST", path, json);
    }

    private static JsonNode call(Node node, String adminToken, String method, String path, String json) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
