package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.LogCapture;
import io.dossier.it.support.Ows;
import io.dossier.it.support.RawHttp;
import io.dossier.it.support.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What is not the client's fault: a bug is answered 500 in the dialect's shape with the reference
 * it was logged under (never 503, which would read as an outage), and a client that goes away
 * mid-request costs one INFO line, not a stack trace.
 */
class UnexpectedErrorsIT {

    private static final Pattern REFERENCE = Pattern.compile("reference ([0-9a-f]{8})");

    TestServer own;

    @AfterEach
    void stop() {
        if (own != null) {
            own.close();
        }
    }

    static String reference(String message) {
        var matcher = REFERENCE.matcher(message);
        assertThat(matcher.find()).as(message).isTrue();
        return matcher.group(1);
    }

    static List<ILoggingEvent> loggedUnder(LogCapture log, String reference) {
        return log.await(e -> e.getFormattedMessage().contains(reference), 1);
    }

    @Test
    void aBugIsAnswered500InEachDialectWithTheReferenceItWasLoggedUnder() throws Exception {
        own = TestServer.start();
        var ows = Ows.newTenant(own, List.of("en"));
        var session = ows.login();
        var tenant = FileApiClient.newTenant(own);
        var app = FileApiClient.app(own, tenant, DeliveryRole.SUBSCRIBER, 7101L);
        var admin = own.http().bearer(own.adminToken());

        // a database in a state the code does not expect: every tenant lookup now throws
        own.server().dossier().database().sql().execute("DROP TABLE tenant CASCADE");

        try (var log = LogCapture.start()) {
            var listed = admin.get("/admin/api/tenants");
            assertThat(listed.status()).as(listed.body()).isEqualTo(500);
            assertThat(listed.json().path("error").path("code").asText()).isEqualTo("internal");
            var adminReference = reference(listed.json().path("error").path("message").asText());

            var token = app.requestToken("/fileapi/connect/token", "grant_type=client_credentials&client_id=" + app.clientId()
                    + "&client_secret=" + URLEncoder.encode(app.secret(), StandardCharsets.UTF_8) + "&tenant_id=" + tenant);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(500);
            var fileApiError = FileApiClient.json(token.body());
            assertThat(fileApiError.path("errorCode").asText()).isEqualTo("500");
            var fileApiReference = reference(fileApiError.path("message").asText());
            assertThat(fileApiError.path("correlationId").asText()).isEqualTo(fileApiReference);

            // OWS answers every error inside HTTP 200; its internal error is -32603
            var checked = ows.call("check", "[\"" + session + "\"]");
            assertThat(checked.path("error").path("code").asInt()).as(checked.toString()).isEqualTo(-32603);
            var owsReference = reference(checked.path("error").path("message").asText());
            // and over XML-RPC, a fault
            var fault = ows.xml("<?xml version=\"1.0\"?><methodCall><methodName>check</methodName><params><param><value><string>"
                    + session + "</string></value></param></params></methodCall>");
            assertThat(fault).contains("<name>faultCode</name>").contains("-32603");
            var xmlReference = reference(fault);

            for (var reference : List.of(adminReference, fileApiReference, owsReference, xmlReference)) {
                var logged = loggedUnder(log, reference);
                assertThat(logged).hasSize(1);
                assertThat(logged.getFirst().getLevel()).isEqualTo(Level.ERROR);
                assertThat(logged.getFirst().getThrowableProxy()).as("the stack trace is logged with the reference").isNotNull();
            }
            assertThat(List.of(adminReference, fileApiReference, owsReference, xmlReference)).doesNotHaveDuplicates();
        }
    }

    /**
     * Beyond the calls above: the upload, download and page routes of each dialect, which answer
     * through their own code paths (multipart reading, downloads, HTML), also answer a bug 500 in
     * the dialect's shape (OWS uploads: the error object inside HTTP 200, as every OWS call) with
     * the reference the stack trace was logged under.
     */
    @Test
    void aBugOnUploadDownloadAndPageRoutesIsAnswered500InTheDialectsShape() throws Exception {
        own = TestServer.start();
        var ows = Ows.newTenant(own, List.of("en"));
        var session = ows.login();
        var tenant = FileApiClient.newTenant(own);
        var publisher = FileApiClient.app(own, tenant, DeliveryRole.PUBLISHER, 7102L);
        var subscriber = FileApiClient.app(own, tenant, DeliveryRole.SUBSCRIBER, 7102L);
        publisher.token();
        subscriber.token();
        var http = own.http();
        var admin = own.http().bearer(own.adminToken());
        var basic = "Basic " + java.util.Base64.getEncoder().encodeToString((ows.username() + ":" + ows.password()).getBytes(StandardCharsets.UTF_8));

        // a database in a state the code does not expect
        for (var table : List.of("tenant", "app_user", "stored_file", "document", "delivery")) {
            own.server().dossier().database().sql().execute("DROP TABLE " + table + " CASCADE");
        }

        try (var log = LogCapture.start()) {
            var references = new java.util.ArrayList<String>();

            var info = http.send(http.builder("/ows/info/").header("Authorization", basic));
            assertThat(info.status()).as(info.body()).isEqualTo(500);
            assertThat(info.header("Content-Type")).startsWith("text/html");
            references.add(reference(info.body()));

            var boundary = "b0undary";
            var upload = http.send(http.builder("/ows/fileService.php").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n"
                            + session + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                            + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n")));
            assertThat(upload.status()).as(upload.body()).isEqualTo(200);
            assertThat(upload.json().path("error").path("code").asInt()).as(upload.body()).isEqualTo(-32603);
            references.add(reference(upload.json().path("error").path("message").asText()));

            var download = http.send(http.builder("/ows/fileServiceDownload?ouid=x&class=AttachedDocument").header("Cookie", "PHPSESSID=" + session));
            assertThat(download.status()).as(download.body()).isEqualTo(500);
            assertThat(download.json().path("error").path("code").asInt()).isEqualTo(-32603);
            references.add(reference(download.json().path("error").path("message").asText()));

            var listed = subscriber.get("/fileapi/v1.0/files?role=subscriber");
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(500);
            var listError = FileApiClient.json(listed.body());
            assertThat(listError.path("errorCode").asText()).isEqualTo("500");
            assertThat(listError.path("correlationId").asText()).isEqualTo(reference(listError.path("message").asText()));
            references.add(listError.path("correlationId").asText());

            var published = publisher.publish("a.pdf", 7102L, "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
            assertThat(published.statusCode()).as(published.body()).isEqualTo(500);
            var publishError = FileApiClient.json(published.body());
            assertThat(publishError.path("errorCode").asText()).isEqualTo("500");
            references.add(reference(publishError.path("message").asText()));

            var users = admin.get("/admin/api/tenants/" + tenant + "/users");
            assertThat(users.status()).as(users.body()).isEqualTo(500);
            assertThat(users.json().path("error").path("code").asText()).isEqualTo("internal");
            references.add(reference(users.json().path("error").path("message").asText()));

            for (var reference : references) {
                var logged = loggedUnder(log, reference);
                assertThat(logged).hasSize(1);
                assertThat(logged.getFirst().getLevel()).isEqualTo(Level.ERROR);
                assertThat(logged.getFirst().getThrowableProxy()).as("the stack trace is logged with the reference").isNotNull();
            }
            assertThat(references).doesNotHaveDuplicates();
        }
    }

    @Test
    void aClientThatStopsSendingMidBodyCostsOneInfoLine() throws Exception {
        var server = TestServer.shared();
        var admin = "Authorization: Bearer " + server.adminToken() + "\r\n";
        var requests = List.of(
                new String[] {"/fileapi/connect/token", "Content-Type: application/x-www-form-urlencoded\r\n"},
                new String[] {"/fileapi/authentication/token", "Content-Type: application/x-www-form-urlencoded\r\n"},
                new String[] {"/ows/jservice.php", "Content-Type: application/json\r\n"},
                new String[] {"/ows/service.php", "Content-Type: text/xml\r\n"},
                new String[] {"/admin/api/tenants", admin + "Content-Type: application/json\r\n"});
        try (var log = LogCapture.start()) {
            for (var request : requests) {
                try (var socket = RawHttp.connect(server)) {
                    var out = socket.getOutputStream();
                    out.write(("POST " + request[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + request[1] + "Content-Length: 60000\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write("grant_type=client_credentials&client_id=".repeat(20).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }   // closed with 99 % of the body unsent
            }
            var wentAway = log.await(e -> e.getFormattedMessage().contains("ended early"), requests.size());
            assertThat(wentAway).hasSize(requests.size());
            assertThat(wentAway).allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getThrowableProxy()).isNull();
            });
            assertThat(wentAway.stream().map(ILoggingEvent::getFormattedMessage))
                    .anySatisfy(line -> assertThat(line).contains("/fileapi/connect/token"))
                    .anySatisfy(line -> assertThat(line).contains("/ows/jservice.php"))
                    .anySatisfy(line -> assertThat(line).contains("/admin/api/tenants"));
            assertThat(log.events()).as("no warning, error or stack trace for a client going away")
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
        }
        // and the server still answers
        var health = server.http().send(server.http().builder("/health/live").GET());
        assertThat(health.status()).isEqualTo(200);
    }

    @Test
    void aClientThatStopsSendingButStaysConnectedCostsOneInfoLine() throws Exception {
        var server = TestServer.shared();
        try (var log = LogCapture.start(); var socket = RawHttp.connect(server)) {
            socket.setSoTimeout(120_000);
            var out = socket.getOutputStream();
            out.write(("POST /ows/jservice.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"method\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // nothing more is sent: the server gives up after its idle timeout (Jetty's default, 30 s)
            var answer = socket.getInputStream().readAllBytes();
            // should it still be listening, the client gets the OWS error object (inside HTTP 200)
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").contains("-32602").contains("ended");
            var wentAway = log.await(e -> e.getFormattedMessage().contains("ended early"), 1);
            assertThat(wentAway).hasSize(1);
            assertThat(wentAway.getFirst().getLevel()).isEqualTo(Level.INFO);
            assertThat(log.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
        }
    }

    @Test
    void anUploadCutOffMidFileIsNotAnError() throws Exception {
        var server = TestServer.shared();
        var tenant = FileApiClient.newTenant(server);
        var publisher = FileApiClient.app(server, tenant, DeliveryRole.PUBLISHER, 7100L);
        var token = publisher.token();
        try (var log = LogCapture.start()) {
            try (var socket = RawHttp.connect(server)) {
                var out = socket.getOutputStream();
                out.write(("POST /fileapi/v1.0/files?uploadType=multipart HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: multipart/related; boundary=b\r\nContent-Length: 10000000\r\n\r\n"
                        + "--b\r\nContent-Type: application/json\r\n\r\n{\"name\":\"cut.pdf\",\"businesstypeid\":\"7100\"}\r\n--b\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[200_000]);
                out.flush();
            }
            log.await(e -> e.getFormattedMessage().contains("ended early"), 1);
            assertThat(log.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
        }
        var published = publisher.send(publisher.request("/fileapi/v1.0/files?role=publisher").GET(), HttpResponse.BodyHandlers.ofString());
        assertThat(FileApiClient.json(published.body()).path("count").asInt()).as("nothing half-written was published").isZero();
    }
}
