package io.dossier.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An Opus 2 client over {@code java.net.http} that checks every response it receives against the
 * server's own {@code /opus2/openapi.json}: the operation (path and verb) must be described, the
 * status must be one of its responses, and a JSON body must match that response's schema.
 */
public final class Opus2Client {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, OpenApi> SPECS = new ConcurrentHashMap<>();

    private final TestServer server;
    private final String token;
    private final String header;

    public Opus2Client(TestServer server, String token) {
        this(server, token, "X-API-Token");
    }

    public Opus2Client(TestServer server, String token, String header) {
        this.server = server;
        this.token = token;
        this.header = header;
    }

    public Opus2Client withHeader(String name) {
        return new Opus2Client(server, token, name);
    }

    public Opus2Client withToken(String other) {
        return new Opus2Client(server, other, header);
    }

    public record Response(int status, byte[] bytes, HttpResponse<byte[]> raw) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body(), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    public Response head(String path) {
        return send("HEAD", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    public Response delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    public Response post(String path, String json) {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    public Response patch(String path, String json) {
        return send("PATCH", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    public Response put(String path, String json) {
        return send("PUT", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    /** PUT with no body and {@code Content-Length: 0}, as the publication asks. */
    public Response putEmpty(String path) {
        return send("PUT", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    public Response send(String method, String path, HttpRequest.BodyPublisher body, String contentType, String... headers) {
        var builder = HttpRequest.newBuilder(server.uri("/opus2" + path)).timeout(Duration.ofSeconds(60)).method(method, body);
        if (token != null) {
            builder.header(header, token);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            var raw = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            var response = new Response(raw.statusCode(), raw.body(), raw);
            spec().check(method, path, response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A multipart/form-data body: text fields, then one file part. */
    public static HttpRequest.BodyPublisher multipart(String boundary, Map<String, String> fields, String fileName, String fileType,
                                                      byte[] content) {
        var parts = new ArrayList<byte[]>();
        fields.forEach((name, value) -> parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (fileName != null) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            parts.add(content);
            parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArrays(parts);
    }

    public OpenApi spec() {
        return SPECS.computeIfAbsent(server.uri("/").toString(), k -> {
            try {
                var raw = CLIENT.send(HttpRequest.newBuilder(server.uri("/opus2/openapi.json")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (raw.statusCode() != 200) {
                    throw new AssertionError("openapi.json: " + raw.statusCode());
                }
                return new OpenApi(JSON.readTree(raw.body()), raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** The OpenAPI document, and the check of a response against it. */
    public static final class OpenApi {

        private final JsonNode doc;
        private final String text;
        private final List<Route> routes = new ArrayList<>();
        private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
        private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

        private record Route(String template, Pattern pattern, int variables) {
        }

        OpenApi(JsonNode doc, String text) {
            this.doc = doc;
            this.text = text;
            doc.path("paths").fieldNames().forEachRemaining(template -> routes.add(new Route(template,
                    Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+")), template.split("\\{", -1).length - 1)));
            routes.sort(Comparator.comparingInt(Route::variables));
        }

        public String text() {
            return text;
        }

        public JsonNode document() {
            return doc;
        }

        void check(String method, String fullPath, Response response) {
            var bare = fullPath.contains("?") ? fullPath.substring(0, fullPath.indexOf('?')) : fullPath;
            var path = bare.length() > 1 && bare.endsWith("/") ? bare.substring(0, bare.length() - 1) : bare;   // served as without it
            var operation = routes.stream().filter(r -> r.pattern().matcher(path).matches())
                    .map(r -> doc.path("paths").path(r.template()).path(method.toLowerCase(java.util.Locale.ROOT)))
                    .filter(node -> !node.isMissingNode()).findFirst()
                    .orElseThrow(() -> new AssertionError("openapi.json describes no " + method + " " + path));
            var described = operation.path("responses").path(Integer.toString(response.status()));
            if (described.isMissingNode()) {
                throw new AssertionError("openapi.json describes no " + response.status() + " for " + method + " " + path + ": " + response.body());
            }
            described = resolve(described);
            if (method.equals("HEAD")) {
                if (response.bytes().length != 0) {
                    throw new AssertionError("HEAD " + path + " answered a body");
                }
                return;
            }
            var schema = described.path("content").path("application/json").path("schema");
            var type = response.header("Content-Type");
            if (schema.isMissingNode()) {
                return;
            }
            if (type == null || !type.startsWith("application/json")) {
                throw new AssertionError(method + " " + path + " answered " + type + " where JSON is described");
            }
            var errors = schema(schema).validate(response.json());
            if (!errors.isEmpty()) {
                throw new AssertionError(method + " " + path + " " + response.status() + " does not match openapi.json: " + errors + "\n" + response.body());
            }
        }

        private JsonNode resolve(JsonNode node) {
            while (node.has("$ref")) {
                node = doc.at(node.get("$ref").asText().substring(1));
            }
            return node;
        }

        private JsonSchema schema(JsonNode schema) {
            return schemas.computeIfAbsent(schema.toString(), key -> {
                ObjectNode wrapper = JSON.createObjectNode();
                wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
                wrapper.set("$defs", doc.path("components").path("schemas"));
                wrapper.setAll((ObjectNode) JSON.valueToTree(schema).deepCopy());
                var rewritten = wrapper.toString().replace("#/components/schemas/", "#/$defs/");
                try {
                    return factory.getSchema(JSON.readTree(rewritten));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
