package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.StorageSetup;
import io.dossier.it.support.TestServer;
import io.dossier.server.DevServerFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin commands, each run as its own process as an operator runs them, on a dev data folder:
 * through the admin API of the {@code dossier dev} process that holds the folder while it runs, and
 * on the database itself once it has stopped or was killed.
 */
class AdminCommandsIT {

    /** The first start seeds the demo tenant, which takes a while on a busy machine. */
    private static final long READY_SECONDS = 240;
    private static final long COMMAND_SECONDS = 120;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    Path work;
    Path data;
    Process dev;
    int devStarts;

    @BeforeEach
    void folder() throws IOException {
        work = Files.createTempDirectory("dossier-cli-it-");
        data = work.resolve("data");
    }

    static void assumeDev() {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.EMBEDDED,
                "dossier dev runs on H2 and a folder: tested once, in the embedded run");
    }

    @AfterEach
    void stop() throws Exception {
        if (dev != null && dev.isAlive()) {
            dev.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void commandsGoThroughTheRunningServerAndToTheDatabaseOnceItIsGone() throws Exception {
        assumeDev();
        var server = startDev();
        assertThat(Files.getPosixFilePermissions(data.resolve("server.json"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        var demoToken = JSON.readTree(data.resolve("demo-credentials.json").toFile()).path("adminToken").asText();

        // while dossier dev runs, only it may open the database: every command goes through its admin API
        assertThat(run("tenant", "create", "acme", "--name", "Acme Ltd", "--languages", "en,nl").out())
                .matches("tenant acme created \\(id \\d+, languages en,nl\\)\n");
        assertThat(get(server.url(), "/admin/api/tenants/acme", "Bearer " + demoToken).statusCode()).isEqualTo(200);
        assertThat(run("tenant", "list").out()).containsPattern("(?m)^\\d+ +acme +en,nl +Acme Ltd$").containsPattern("(?m)^\\d+ +demo ");

        var user = run("user", "create", "acme", "jane", "--email", "jane@acme.example", "--name", "Jane Doe").out();
        assertThat(user).matches("user jane created \\(id \\d+\\)\npassword: \\S{20,}   \\(shown once\\)\n");
        var password = group(user, "password: (\\S+)");
        assertThat(get(server.url(), "/ows/info/", "Basic " + base64("jane:" + password)).statusCode()).isEqualTo(200);

        var apiKey = run("client", "create", "acme", "ows-api-key", "--name", "ATS", "--user", "jane").out();
        assertThat(apiKey).matches("client \\d+ created: kind ows-api-key, client id \\S+\nsecret: \\S{20,}   \\(shown once\\)\n");
        var login = post(server.url(), "/ows/jservice.php", "application/json",
                "{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + group(apiKey, "secret: (\\S+)") + "\"],\"id\":1}");
        assertThat(JSON.readTree(login.body()).path("result").asText()).as(login.body()).isNotEmpty();

        // record filters of the key, set and shown through the running server
        var keyId = group(apiKey, "client (\\d+) created");
        var filter = "{\"field\":\"Person.lastName\",\"op\":\"STARTS_WITH\",\"value\":\"A\"}";
        assertThat(run("client", "filter", "set", "acme", keyId, "Candidate", filter).out())
                .isEqualTo("client " + keyId + " now sees only the Candidate records that match its filter\n");
        assertThat(run("client", "filter", "show", "acme", keyId).out()).isEqualTo("Candidate " + filter + "\n");
        assertThat(run(2, "client", "filter", "set", "acme", keyId, "Candidate", "{\"field\":\"nope\",\"op\":\"EQ\"}").err())
                .startsWith("dossier: ");

        var oauth = run("client", "create", "acme", "oauth", "--name", "Payroll").out();
        var oauthId = Long.parseLong(group(oauth, "client (\\d+) created"));
        var clientId = group(oauth, "client id (\\S+)");
        var secret = group(oauth, "secret: (\\S+)");
        assertThat(run("fileapi", "authorize", "acme", clientId, "--role", "subscriber", "--business-types", "7101").out())
                .isEqualTo("client " + clientId + " may subscribe to business types [7101] in tenant acme\n");
        assertThat(run("fileapi", "show", "acme", clientId).out()).isEqualTo("ROLE         BUSINESS TYPE\nsubscriber   7101\n");
        assertThat(fileApiToken(server.url(), clientId, secret, "acme").statusCode()).isEqualTo(200);

        var created = run("admin-token", "create", "--name", "ops").out();
        assertThat(created).matches("admin token \\d+ created\ntoken: \\S{40}   \\(shown once\\)\n");
        var opsId = group(created, "admin token (\\d+)");
        var opsToken = group(created, "token: (\\S+)");
        assertThat(get(server.url(), "/admin/api/tenants", "Bearer " + opsToken).statusCode()).isEqualTo(200);
        // the token in server.json lives in the server's memory only: it is not among the stored tokens
        assertThat(run("admin-token", "list").out()).isEqualTo(
                "ID     STATE    NAME\n1      active   demo\n" + String.format("%-6s %-8s %s%n", opsId, "active", "ops"));
        assertThat(run("admin-token", "revoke", opsId).out()).isEqualTo("admin token " + opsId + " revoked\n");
        assertThat(get(server.url(), "/admin/api/tenants", "Bearer " + opsToken).statusCode()).isEqualTo(401);

        // one tenant's name never reaches another tenant's client
        var crossing = run(2, "client", "revoke", "demo", Long.toString(oauthId));
        assertThat(crossing.err()).startsWith("dossier: no client " + oauthId);
        assertThat(fileApiToken(server.url(), clientId, secret, "acme").statusCode()).isEqualTo(200);

        assertThat(Files.readString(work.resolve("dev-1.log"))).contains("\"POST /admin/api/tenants HTTP/1.1\" 201")
                .contains("\"POST /admin/api/admin-tokens/" + opsId + "/revoke HTTP/1.1\" 204");

        // after a kill, server.json stays behind, names a dead process, and is ignored: the command opens the database
        dev.destroyForcibly();
        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(data.resolve("server.json")).exists();
        assertThat(run("client", "revoke", "acme", Long.toString(oauthId)).out()).isEqualTo("client " + oauthId + " revoked\n");

        // a new server on the folder has a new token, and the old one is worthless
        var restarted = startDev();
        assertThat(restarted.token()).isNotEqualTo(server.token());
        assertThat(get(restarted.url(), "/admin/api/tenants", "Bearer " + server.token()).statusCode()).isEqualTo(401);
        assertThat(run("client", "list", "acme").out()).containsPattern("(?m)^" + oauthId + " +oauth +" + clientId + " +revoked +Payroll$");
        assertThat(fileApiToken(restarted.url(), clientId, secret, "acme").statusCode()).isNotEqualTo(200);

        // a clean stop removes server.json; the commands then open the database and see the same data
        dev.destroy();
        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(data.resolve("server.json")).doesNotExist();
        assertThat(run("tenant", "list").out()).containsPattern("(?m)^\\d+ +acme +en,nl +Acme Ltd$");
        assertThat(run("client", "filter", "show", "acme", keyId).out()).isEqualTo("Candidate " + filter + "\n");
        assertThat(run("client", "filter", "remove", "acme", keyId, "Candidate").out())
                .isEqualTo("client " + keyId + " sees every Candidate record again\n");
        assertThat(run("client", "filter", "show", "acme", keyId).out()).isEmpty();
    }

    /** Settings through the running dev server's admin API, then on the database once it is gone: the same answers. */
    @Test
    void settingsAreSetThroughTheRunningServerAndOnTheDatabase() throws Exception {
        assumeDev();
        var server = startDev();
        var demoToken = JSON.readTree(data.resolve("demo-credentials.json").toFile()).path("adminToken").asText();
        run("tenant", "create", "set-a");
        run("tenant", "create", "set-b");

        assertThat(run("tenant", "setting", "list", "set-a").out())
                .startsWith(String.format("%-32s %-9s %-10s %-9s %s%n", "KEY", "TYPE", "SCOPE", "SOURCE", "VALUE"))
                .contains(String.format("%-32s %-9s %-10s %-9s %s%n", "api.access-allowed", "boolean", "tenant", "default", "true"));
        assertThat(run("tenant", "setting", "set", "set-a", "api.access-allowed", "false").out()).isEqualTo("api.access-allowed = false (tenant)\n");
        assertThat(get(server.url(), "/admin/api/tenants/set-a/settings/api.access-allowed", "Bearer " + demoToken).body())
                .contains("\"value\":false");
        assertThat(run("tenant", "setting", "set", "set-a", "documents.download-via-api", "false").out())
                .isEqualTo("documents.download-via-api = false (tenant)\n");
        assertThat(run("tenant", "setting", "get", "set-a", "documents.download-via-api", "--container", "Candidate/c-1").out())
                .isEqualTo("documents.download-via-api = false (tenant)\n");
        assertThat(run("tenant", "setting", "set", "set-a", "documents.download-via-api", "true", "--container", "Candidate/c-1").out())
                .isEqualTo("documents.download-via-api = true (container)\n");

        // clear refusals, as for any command: exit status 2 and one line
        assertThat(run(2, "tenant", "setting", "set", "set-a", "no.such-setting", "true").err()).startsWith("dossier: unknown setting 'no.such-setting'");
        assertThat(run(2, "tenant", "setting", "set", "set-a", "api.access-allowed", "maybe").err())
                .startsWith("dossier: setting 'api.access-allowed' takes a boolean");
        assertThat(run(2, "tenant", "setting", "set", "set-a", "api.access-allowed", "false", "--container", "Candidate/c-1").err())
                .startsWith("dossier: setting 'api.access-allowed' is a tenant setting");
        assertThat(run(2, "tenant", "setting", "get", "set-a", "api.access-allowed", "--container", "nokind").err()).startsWith("dossier: --container");
        // another tenant is untouched
        assertThat(run("tenant", "setting", "get", "set-b", "api.access-allowed").out()).isEqualTo("api.access-allowed = true (default)\n");

        // once the server is gone the commands open the database and see the same values
        dev.destroyForcibly();
        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run("tenant", "setting", "get", "set-a", "api.access-allowed").out()).isEqualTo("api.access-allowed = false (tenant)\n");
        assertThat(run("tenant", "setting", "list", "set-a", "--container", "Candidate/c-1").out())
                .contains(String.format("%-32s %-9s %-10s %-9s %s%n", "documents.download-via-api", "boolean", "container", "container", "true"));
        assertThat(run("tenant", "setting", "reset", "set-a", "api.access-allowed").out()).isEqualTo("api.access-allowed = true (default)\n");
        assertThat(run(2, "tenant", "setting", "set", "set-a", "api.access-allowed", "maybe").err())
                .startsWith("dossier: setting 'api.access-allowed' takes a boolean");
        assertThat(run("tenant", "setting", "get", "set-b", "documents.download-via-api", "--container", "Candidate/c-1").out())
                .isEqualTo("documents.download-via-api = true (default)\n");
    }

    /** Jobs and rate limits through the running dev server's admin API, then on the database once it is gone. */
    @Test
    void jobsAndRateLimitsThroughTheRunningServerAndOnTheDatabase() throws Exception {
        assumeDev();
        var server = startDev();
        var demoToken = JSON.readTree(data.resolve("demo-credentials.json").toFile()).path("adminToken").asText();
        run("tenant", "create", "ops-a");
        var created = send(HttpRequest.newBuilder(URI.create(server.url() + "/admin/api/tenants/ops-a/jobs"))
                .header("Authorization", "Bearer " + demoToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"noop\",\"payload\":{\"fail\":\"receiver down\"}}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var id = JSON.readTree(created.body()).path("id").asText();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!get(server.url(), "/admin/api/jobs/" + id, "Bearer " + demoToken).body().contains("\"state\":\"failed\"")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(run("job", "list", "--tenant", "ops-a").out()).startsWith("ID ").contains(" noop ").contains(" failed ")
                .contains("IllegalStateException: receiver down");
        assertThat(run("job", "cancel", id).out()).contains(" dead ").contains("cancelled by an operator");
        assertThat(run(2, "job", "cancel", id).err()).startsWith("dossier: job " + id + " is dead already");
        assertThat(run(2, "job", "list", "--state", "sleeping").err()).startsWith("dossier: state must be one of");

        var clients = run("client", "list", "demo").out();
        var keyId = clients.lines().filter(l -> l.contains("ows-api-key")).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(run("client", "rate-limit", "set", "demo", keyId, "ows", "--per-minute", "1000", "--concurrent", "4").out())
                .contains(String.format("%-12s %-11d %-11d %s%n", "ows", 1000, 4, "client"));
        assertThat(run(2, "client", "rate-limit", "set", "demo", keyId, "nope", "--per-minute", "1").err()).startsWith("dossier: dialect must be one of");
        assertThat(run(2, "client", "rate-limit", "show", "ops-a", keyId).err()).startsWith("dossier: no client " + keyId);

        // once the server is gone the commands open the database and see the same
        dev.destroyForcibly();
        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run("job", "show", id).out()).contains(" dead ");
        assertThat(run("job", "retry", id).out()).contains(" queued ");
        assertThat(run("client", "rate-limit", "show", "demo", keyId).out())
                .contains(String.format("%-12s %-11d %-11d %s%n", "ows", 1000, 4, "client"));
        assertThat(run("client", "rate-limit", "reset", "demo", keyId, "ows").out())
                .contains(String.format("%-12s %-11d %-11d %s%n", "ows", 350, 0, "default"));
    }

    /** A server.json whose pid lives and whose URL answers, but refuses its token (another server took the port), is ignored too. */
    @Test
    void aServerThatRefusesTheTokenIsNotTheOneThatHoldsTheFolder() throws Exception {
        assumeDev();
        Files.createDirectories(data);
        var other = TestServer.shared();
        new DevServerFile(other.uri(""), "a-token-of-a-server-long-gone", ProcessHandle.current().pid()).write(data);

        assertThat(run("tenant", "create", "beta").out()).startsWith("tenant beta created");
        assertThat(data.resolve("db")).isDirectory(); // the command made the folder's database: nobody held it
        assertThat(other.http().bearer(other.adminToken()).get("/admin/api/tenants/beta").status()).isEqualTo(404);
    }

    /** With a config (production: PostgreSQL and S3) the commands open the database themselves, beside a running server. */
    @Test
    void withAConfigTheCommandsWorkOnTheDatabaseBesideARunningServer() throws Exception {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.POSTGRES_S3, "production storage: tested in the PostgreSQL + S3 run");
        try (var server = TestServer.start()) {
            var storage = server.storage();
            var s3 = storage.s3Server().orElseThrow();
            var config = new java.util.Properties();
            config.setProperty("db.url", storage.jdbcUrl());
            config.setProperty("blob.store", "s3");
            config.setProperty("s3.endpoint", s3.endpoint().toString());
            config.setProperty("s3.region", s3.region());
            config.setProperty("s3.bucket", storage.bucket().orElseThrow());
            config.setProperty("s3.access-key", s3.accessKey());
            config.setProperty("s3.secret-key", s3.secretKey());
            var file = work.resolve("dossier.conf");
            try (var out = Files.newBufferedWriter(file)) {
                config.store(out, null);
            }
            var admin = server.http().bearer(server.adminToken());

            assertThat(run("tenant", "create", "prod-a", "--config", file.toString()).out()).containsPattern("(?m)^tenant prod-a created");
            assertThat(admin.post("/admin/api/tenants", "{\"slug\":\"prod-b\"}").status()).isEqualTo(201);
            var created = run("client", "create", "prod-a", "oauth", "--config", file.toString()).out();
            var id = group(created, "client (\\d+) created");
            assertThat(admin.get("/admin/api/tenants/prod-a/clients").json().path("clients").get(0).path("id").asText()).isEqualTo(id);

            // one tenant's name never reaches another tenant's client
            assertThat(run(2, "client", "revoke", "prod-b", id, "--config", file.toString()).err()).startsWith("dossier: no client " + id);
            assertThat(admin.get("/admin/api/tenants/prod-a/clients").json().path("clients").get(0).path("revoked").asBoolean()).isFalse();

            // settings on the database, read back through the server's admin API
            assertThat(run("tenant", "setting", "set", "prod-a", "api.access-allowed", "false", "--config", file.toString()).out())
                    .isEqualTo("api.access-allowed = false (tenant)\n");
            assertThat(admin.get("/admin/api/tenants/prod-a/settings/api.access-allowed").json().path("value").asBoolean(true)).isFalse();
            assertThat(admin.get("/admin/api/tenants/prod-b/settings/api.access-allowed").json().path("value").asBoolean(false)).isTrue();
        }
    }

    // ---- processes

    record Output(String out, String err) {
    }

    /** Starts {@code dossier dev} on the folder and waits until it wrote server.json, which it does once it serves. */
    private DevServerFile startDev() throws Exception {
        Files.createDirectories(data);
        var log = work.resolve("dev-" + ++devStarts + ".log");
        dev = java("dev", "--data", data.toString(), "--port", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            var file = DevServerFile.read(data);
            if (file.isPresent() && file.get().pid() == dev.pid()) {
                return file.get();
            }
            if (!dev.isAlive()) {
                throw new AssertionError("dossier dev exited with " + dev.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("dossier dev did not write server.json within " + READY_SECONDS + " s:\n" + Files.readString(log));
    }

    private Output run(String... args) throws Exception {
        return run(0, args);
    }

    /** Runs one admin command (on the data folder, unless given a config) in a JVM of its own and checks its exit status. */
    private Output run(int expectedExit, String... args) throws Exception {
        var command = new ArrayList<>(List.of(args));
        if (!command.contains("--config")) {
            command.addAll(List.of("--data", data.toString()));
        }
        var out = work.resolve("command.out");
        var err = work.resolve("command.err");
        var process = java(command.toArray(String[]::new)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("dossier " + String.join(" ", args) + " did not finish within " + COMMAND_SECONDS + " s");
        }
        var output = new Output(Files.readString(out), Files.readString(err));
        assertThat(process.exitValue()).as("exit status of dossier %s; stdout:%n%s%nstderr:%n%s", String.join(" ", args),
                output.out(), output.err()).isEqualTo(expectedExit);
        return output;
    }

    /** {@code dossier <args>} as the launcher runs it, with none of this JVM's DOSSIER_* settings. */
    private static ProcessBuilder java(String... args) {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.dossier.server.Main"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("DOSSIER_"));
        return builder;
    }

    // ---- HTTP

    private static HttpResponse<String> get(URI base, String path, String authorization) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization).GET());
    }

    private static HttpResponse<String> post(URI base, String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> fileApiToken(URI base, String clientId, String secret, String tenant) {
        return post(base, "/fileapi/connect/token", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id="
                + encode(clientId) + "&client_secret=" + encode(secret) + "&tenant_id=" + encode(tenant));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String group(String text, String regex) {
        var matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in %s", regex, text).isTrue();
        return matcher.group(1);
    }
}
