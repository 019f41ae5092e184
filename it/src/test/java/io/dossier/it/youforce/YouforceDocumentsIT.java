package io.dossier.it.youforce;

import static io.dossier.it.youforce.YouforceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.TestServer;
import io.dossier.server.config.Settings;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Documents into the personal file: the knowledge base's "Examples version 1.1" and "version 1.0",
 * "Upload status", the bad input table, the fault switch with retries and the retry deadline.
 */
class YouforceDocumentsIT {

    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    static final String BOUNDARY = "boundary_not_used_within_file_content";

    static TestServer server;
    static String tenant;
    static YouforceClient client;

    @BeforeAll
    static void start() {
        // a short retry deadline, so that a rejection is seen within the test
        server = TestServer.start(s -> s.withJobs(new Settings.JobSettings(s.jobs().concurrency(), s.jobs().lease(), Duration.ofMillis(200),
                s.jobs().keep(), Duration.ofSeconds(3))));
        tenant = YouforceClient.newTenant(server);
        HrData.load(server, tenant, HrData.lines());
        client = YouforceClient.app(server, tenant, "Get_Basic", "Upload_documents");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> uploadForm(YouforceClient client, String personCode, String type, String description, String validFrom,
                                           byte[] file) {
        var body = new ByteArrayOutputStream();
        if (description != null) {
            field(body, "Description", description);
        }
        if (validFrom != null) {
            field(body, "ValidFrom", validFrom);
        }
        if (file != null) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"diploma.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return YouforceClient.send(client.request("/youforce/learning/v1.1/employees/" + personCode + "/documents/" + type)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).header("X-Raet-Tenant-Id", client.tenant)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static void field(ByteArrayOutputStream body, String name, String value) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The knowledge base's v1.0 request, byte for byte but for the PDF and the person code in the path. */
    static HttpResponse<String> uploadRelated(YouforceClient client, String personCode, byte[] file) {
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--boundary_not_used_within_file_content\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
                + "{ \"Description\":\"YOUR_OWN_DESCRIPTION\", \"ValidFrom\" : \"2021-01-01\" }\r\n"
                + "--boundary_not_used_within_file_content\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes("\r\n--boundary_not_used_within_file_content--".getBytes(StandardCharsets.UTF_8));
        return YouforceClient.send(client.request("/youforce/learning/V1.0/employees/" + personCode + "/documents/certificate")
                .header("Content-Type", "multipart/related; boundary=boundary_not_used_within_file_content")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    static String status(YouforceClient client, String ticketId, String expected) {
        String last = null;
        for (int i = 0; i < 300; i++) {
            var answer = client.get("/youforce/learning/v1.0/employees/documents/" + ticketId + "/status");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            last = answer.body();
            if (json(last).path("status").asText().equals(expected)) {
                return last;
            }
            try {
                Thread.sleep(50);   // waiting for the job: it is asynchronous by design
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("ticket " + ticketId + " never became " + expected + ": " + last);
    }

    void available(boolean on) {
        var admin = server.http().bearer(server.adminToken());
        var answer = admin.send(admin.builder("/admin/api/tenants/" + tenant + "/settings/hr.personal-file-available")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":" + on + "}")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void examplesVersion11_formDataAnswersTheTicketAndFilesTheDocument() {
        var answer = uploadForm(client, "100020", "diploma", "Example description", "2021-01-01", PDF);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var ticket = json(answer.body());
        assertThat(ticket.fieldNames()).toIterable().containsExactly("ticketId", "description", "size", "tenantId", "creationDateTime",
                "status", "errorMessages");
        assertThat(ticket.path("ticketId").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(ticket.path("description").asText()).isEqualTo("Example description");
        assertThat(ticket.path("size").asLong()).isEqualTo(PDF.length);
        assertThat(ticket.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(ticket.path("creationDateTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}");
        assertThat(ticket.path("status").asText()).isEqualTo("InProgress");
        assertThat(ticket.path("errorMessages").toString()).isEqualTo("[]");
        var done = status(client, ticket.path("ticketId").asText(), "Complete");
        assertThat(done).isEqualTo("{\"status\":\"Complete\",\"errorMessages\":[]}");
        var file = server.http().bearer(server.adminToken()).get("/admin/api/tenants/" + tenant + "/hr/persons/100020/documents");
        assertThat(file.json().path("documents").toString()).contains("\"folder\":\"diploma\"").contains("Example description")
                .contains(ticket.path("ticketId").asText());
        var id = file.json().path("documents").get(0).path("id").asLong();
        var content = YouforceClient.HTTP.sendAsync(HttpRequest.newBuilder(server.uri("/admin/api/tenants/" + tenant + "/hr/documents/" + id
                + "/content")).header("Authorization", "Bearer " + server.adminToken()).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).join();
        assertThat(content.body()).isEqualTo(PDF);
    }

    @Test
    void examplesVersion11_everyTypeGoesToItsFolderAndValidFromDefaultsToToday() {
        var folders = List.of("certificate=certificaat", "appraisalReview=beoordelingsGesprek", "performanceReview=functioneringsGesprek",
                "careerAgreement=loopbaanafspraken", "careerMail=corrLoopbaan", "careerOther=ovLoopbaan");
        for (var pair : folders) {
            var type = pair.substring(0, pair.indexOf('='));
            var answer = uploadForm(client, "100022", type, "Doc " + type, null, PDF);
            assertThat(answer.statusCode()).as(type + answer.body()).isEqualTo(200);
            status(client, json(answer.body()).path("ticketId").asText(), "Complete");
        }
        var file = server.http().bearer(server.adminToken()).get("/admin/api/tenants/" + tenant + "/hr/persons/100022/documents").json();
        var text = file.path("documents").toString();
        for (var pair : folders) {
            assertThat(text).contains("\"folder\":\"" + pair.substring(pair.indexOf('=') + 1) + "\"");
        }
        assertThat(text).contains("\"validFrom\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"");
        assertThat(uploadForm(client, "100022", "payslip", "x", null, PDF).statusCode()).isEqualTo(404);
    }

    @Test
    void examplesVersion10_multipartRelatedCertificate() {
        var answer = uploadRelated(client, "100024", PDF);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer.body()).path("description").asText()).isEqualTo("YOUR_OWN_DESCRIPTION");
        status(client, json(answer.body()).path("ticketId").asText(), "Complete");
        var file = server.http().bearer(server.adminToken()).get("/admin/api/tenants/" + tenant + "/hr/persons/100024/documents").json();
        assertThat(file.path("documents").toString()).contains("\"folder\":\"certificaat\"").contains("\"validFrom\":\"2021-01-01\"");
    }

    @Test
    void badInput_refusedAtOnceWith400AndNothingStored() {
        var notPdf = uploadForm(client, "100026", "diploma", "x", null, "just text, not a PDF".getBytes(StandardCharsets.UTF_8));
        assertThat(notPdf.statusCode()).isEqualTo(400);
        assertThat(json(notPdf.body()).path("message").asText()).contains("PDF");
        var big = Arrays.copyOf(PDF, 4 * 1024 * 1024 + 1);
        var tooBig = uploadForm(client, "100026", "diploma", "x", null, big);
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(json(tooBig.body()).path("message").asText()).contains("4 MB");
        var exactly = uploadForm(client, "100026", "diploma", "4 MB", null, Arrays.copyOf(PDF, 4 * 1024 * 1024));
        assertThat(exactly.statusCode()).isEqualTo(200);
        assertThat(uploadForm(client, "100026", "diploma", "no file", null, null).statusCode()).isEqualTo(400);
        assertThat(uploadForm(client, "100026", "diploma", null, null, PDF).statusCode()).isEqualTo(400);
        assertThat(uploadForm(client, "100026", "diploma", "x", "01-01-2021", PDF).statusCode()).isEqualTo(400);
        assertThat(uploadForm(client, "999999", "diploma", "x", null, PDF).statusCode()).isEqualTo(404);
        var notMultipart = YouforceClient.send(client.request("/youforce/learning/v1.1/employees/100026/documents/diploma")
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(PDF)));
        assertThat(notMultipart.statusCode()).isEqualTo(400);
        var relatedNoJson = YouforceClient.send(client.request("/youforce/learning/v1.0/employees/100026/documents/certificate")
                .header("Content-Type", "multipart/related; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Type: application/json\r\n\r\n{nope\r\n--b--\r\n")));
        assertThat(relatedNoJson.statusCode()).isEqualTo(400);
        var file = server.http().bearer(server.adminToken()).get("/admin/api/tenants/" + tenant + "/hr/persons/100026/documents");
        status(client, json(exactly.body()).path("ticketId").asText(), "Complete");
        assertThat(server.http().bearer(server.adminToken()).get("/admin/api/tenants/" + tenant + "/hr/persons/100026/documents")
                .json().path("documents").size()).as(file.body()).isEqualTo(1);
    }

    @Test
    void uploadStatus_unknownTicketsAndOtherTenantsTicketsAreNotFound() {
        assertThat(client.get("/youforce/learning/v1.0/employees/documents/" + java.util.UUID.randomUUID() + "/status").statusCode())
                .isEqualTo(404);
        var ticket = json(uploadForm(client, "100028", "diploma", "mine", null, PDF).body()).path("ticketId").asText();
        var other = YouforceClient.newTenant(server);
        var stranger = YouforceClient.app(server, other, "Upload_documents");
        assertThat(stranger.get("/youforce/learning/v1.0/employees/documents/" + ticket + "/status").statusCode()).isEqualTo(404);
        assertThat(uploadForm(stranger, "100028", "diploma", "x", null, PDF).statusCode()).isEqualTo(404);
    }

    @Test
    void retries_whileThePersonalFileIsUnavailable_thenRejectedAfterTheDeadline() {
        available(false);
        try {
            var waiting = json(uploadForm(client, "100030", "diploma", "waits", null, PDF).body()).path("ticketId").asText();
            var rejected = status(client, waiting, "Rejected");
            assertThat(json(rejected).path("errorMessages").get(0).asText()).contains("not available");
            available(true);
            assertThat(server.http().bearer(server.adminToken()).get("/admin/api/tenants/" + tenant + "/hr/persons/100030/documents")
                    .json().path("documents").size()).isZero();
            available(false);
            var second = json(uploadForm(client, "100030", "diploma", "comes through", null, PDF).body()).path("ticketId").asText();
            assertThat(json(client.get("/youforce/learning/v1.0/employees/documents/" + second + "/status").body()).path("status").asText())
                    .isEqualTo("InProgress");
            available(true);
            status(client, second, "Complete");
        } finally {
            available(true);
        }
    }
}
