package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Health, metrics, a dialect on a port of its own, HTTP/1.0, and graceful shutdown. */
class OperationsIT {

    @Test
    void healthAndMetricsAnswer() {
        var server = TestServer.shared();
        var live = server.http().get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        var ready = server.http().get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("database").asText()).isEqualTo("UP");
        assertThat(ready.json().path("checks").path("blobs").asText()).isEqualTo("UP");

        server.http().bearer(server.adminToken()).get("/admin/api/tenants");
        server.http().get("/admin/api/tenants");
        var metrics = server.http().get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("dossier_http_requests_total{dialect=\"admin\",method=\"GET\",route=\"/api/tenants\",status=\"200\"}")
                .contains("dossier_http_requests_total{dialect=\"admin\",method=\"GET\",route=\"/api/tenants\",status=\"401\"}")
                .contains("dossier_http_request_duration_seconds_bucket{dialect=\"admin\",route=\"/api/tenants\"")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void aDialectCanAlsoAnswerAtTheRootOfItsOwnPort() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var server = TestServer.start(Map.of("admin", port), false)) {
            var token = server.adminToken();
            var client = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/tenants"))
                    .header("Authorization", "Bearer " + token).build();
            var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"tenants\"");
            var missing = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/nope")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"not_found\"");
            // and it is still mounted under its base path on the main port
            assertThat(server.http().bearer(token).get("/admin/api/tenants").status()).isEqualTo(200);
        }
    }

    @Test
    void http10ClientsAreServed() throws Exception {
        var server = TestServer.shared();
        try (var socket = new Socket("127.0.0.1", server.server().port())) {
            socket.getOutputStream().write("GET /health/live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            // RFC 9110: a server answers with its own highest version; an HTTP/1.0 client reads it as 1.x
            assertThat(reader.readLine()).matches("HTTP/1\\.[01] 200 OK");
            var rest = reader.lines().toList();   // the server closes the connection after the answer
            assertThat(rest).contains("{\"status\":\"UP\"}");
        }
    }

    @Test
    void shutdownLetsAnInFlightRequestFinish() throws Exception {
        var server = TestServer.start();
        try {
            var token = server.adminToken();
            var body = "{\"slug\":\"graceful\"}".getBytes(StandardCharsets.UTF_8);
            try (var socket = new Socket("127.0.0.1", server.server().port())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /admin/api/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 5);   // the request is now in flight, its body half sent
                out.flush();
                Thread.sleep(300);
                var stopping = CompletableFuture.runAsync(server::stop);
                // the rest a byte at a time: once stopping, Jetty cuts a connection silent for 1 s (which
                // also closes idle keep-alive connections); a pause that long on a loaded machine lost the body
                for (int i = 5; i < body.length; i++) {
                    Thread.sleep(100);
                    assertThat(stopping).isNotDone();
                    out.write(body, i, 1);
                    out.flush();
                }
                var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(reader.readLine()).startsWith("HTTP/1.1 201");
                stopping.get(20, TimeUnit.SECONDS);
            }
        } finally {
            server.storage().close();
        }
    }
}
