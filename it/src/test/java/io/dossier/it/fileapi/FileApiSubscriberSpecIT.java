package io.dossier.it.fileapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every example of "File API - Downloading files (Subscriber)", one test each, named after its example. */
class FileApiSubscriberSpecIT {

    static final String XML = "<root>\n<company>Visma YouServe</company>\n<product>File API</product>\n<content>Sample File</content>\n</root>";

    TestServer server;
    String tenant;
    FileApiClient publisher;
    FileApiClient subscriber;
    String xmlId;

    @BeforeEach
    void sandbox() {
        server = TestServer.shared();
        tenant = FileApiClient.newTenant(server);
        publisher = FileApiClient.app(server, tenant, DeliveryRole.PUBLISHER, 7100L, 7101L, 8000L);
        subscriber = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7100L, 7101L, 8000L);
        assertThat(XML.length()).isEqualTo(107);
        xmlId = publisher.publishOk("sandbox_test_file.xml", 7101, XML.getBytes(StandardCharsets.UTF_8));
        publisher.publishOk("sandbox_test_file.txt", 7101, "this sandbox test file has 33 b\n".getBytes(StandardCharsets.UTF_8));
        publisher.publishOk("sandbox_test_file.csv", 7101, "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8));
    }

    static String q(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<String> names(JsonNode page) {
        var out = new ArrayList<String>();
        page.path("data").forEach(f -> out.add(f.path("fileName").asText()));
        return out;
    }

    @Test
    void listAvailableFiles() {
        var page = subscriber.list("");
        assertThat(page.path("pageIndex").asInt()).isZero();
        assertThat(page.path("pageSize").asInt()).isEqualTo(20);
        assertThat(page.path("count").asInt()).isEqualTo(3);
        var first = page.path("data").get(0);
        assertThat(first.fieldNames()).toIterable()
                .containsExactly("downloaded", "fileId", "fileName", "fileSize", "tenantId", "businessType", "publisherId", "uploadDate");
        assertThat(first.path("downloaded").asBoolean()).isFalse();
        assertThat(first.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(first.path("businessType").toString()).isEqualTo("{\"id\":7101,\"name\":\"7101\"}");
        assertThat(first.path("publisherId").asText()).isEqualTo(publisher.clientId());
        assertThat(first.path("uploadDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(names(page)).as("newest first by default").containsExactly("sandbox_test_file.csv", "sandbox_test_file.txt", "sandbox_test_file.xml");
    }

    @Test
    void listAvailableFilesUsingTheSandboxTenant() {
        publisher.publishOk("other.xml", 8000, "<x/>".getBytes(StandardCharsets.UTF_8));
        var response = subscriber.send(subscriber.request("/fileapi/v1.0/files?role=subscriber&pageSize=20&$filter=" + q("businessType eq 8000")
                + "&$orderBy=" + q("uploadDate desc")).header("x-raet-tenant-id", tenant).GET(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        var page = FileApiClient.json(response.body());
        assertThat(names(page)).containsExactly("other.xml");
        assertThat(page.path("count").asInt()).isEqualTo(1);
    }

    @Test
    void searchForFiles_queryStringExamples() throws Exception {
        var before = java.time.Instant.now().minusSeconds(3600).toString();
        var after = java.time.Instant.now().plusSeconds(3600).toString();
        publisher.publishOk("payroll_2026.csv", 7100, "p".getBytes());
        publisher.publishOk("holidays", 7101, "h".getBytes());
        publisher.publishOk("a_test_file", 7100, "t".getBytes());
        subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", null);   // now downloaded
        subscriber.listWhenCount("&$filter=" + q("status eq 'downloaded'"), 1);

        assertThat(subscriber.list("&$filter=" + q("uploadDate gt " + before)).path("count").asInt()).isEqualTo(5);
        assertThat(subscriber.list("&$filter=" + q("uploadDate gt " + before + " and uploadDate lt " + after)).path("count").asInt()).isEqualTo(5);
        assertThat(subscriber.list("&$filter=" + q("status eq 'all'")).path("count").asInt()).isEqualTo(6);
        assertThat(names(subscriber.list("&$filter=" + q("status eq 'downloaded'")))).containsExactly("sandbox_test_file.xml");
        assertThat(subscriber.list("&$filter=" + q("status eq 'available'")).path("count").asInt()).isEqualTo(5);
        assertThat(subscriber.list("&$filter=" + q("businessType eq 7101")).path("count").asInt()).isEqualTo(3);
        assertThat(subscriber.list("&$filter=" + q("businessType eq 7100 or businessType eq 7101")).path("count").asInt()).isEqualTo(5);
        assertThat(names(subscriber.list("&$filter=" + q("status eq 'downloaded' and (businessType eq 7100 or businessType eq 7101)"))))
                .containsExactly("sandbox_test_file.xml");
        assertThat(subscriber.list("&$filter=" + q("uploadDate gt " + before + " and businessType eq 7101 and status eq 'all'")).path("count").asInt())
                .isEqualTo(4);
        assertThat(names(subscriber.list("&$filter=" + q("startsWith(FileName, 'payroll')")))).containsExactly("payroll_2026.csv");
        assertThat(names(subscriber.list("&$filter=" + q("endsWith(FileName, 'holidays')")))).containsExactly("holidays");
        assertThat(names(subscriber.list("&$filter=" + q("contains(fileName, 'test')")))).containsExactlyInAnyOrder(
                "a_test_file", "sandbox_test_file.txt", "sandbox_test_file.csv");
        assertThat(subscriber.list("&$filter=" + q("startsWith(FileName, 'payroll') and businessType eq 7101")).path("count").asInt()).isZero();
        assertThat(subscriber.list("&$filter=" + q("startsWith(FileName,'sandbox') eq false")).path("count").asInt()).isEqualTo(3);
    }

    @Test
    void sortFiles() {
        assertThat(names(subscriber.list("&$orderBy=" + q("uploadDate asc"))))
                .containsExactly("sandbox_test_file.xml", "sandbox_test_file.txt", "sandbox_test_file.csv");
        assertThat(names(subscriber.list("&$orderBy=" + q("fileName asc"))))
                .containsExactly("sandbox_test_file.csv", "sandbox_test_file.txt", "sandbox_test_file.xml");
        assertThat(names(subscriber.list("&$filter=" + q("businessType eq 7101") + "&$orderBy=" + q("uploadDate asc"))).getFirst())
                .isEqualTo("sandbox_test_file.xml");
        var paged = subscriber.list("&pageSize=2&pageIndex=1&$orderBy=" + q("fileName desc"));
        assertThat(names(paged)).containsExactly("sandbox_test_file.csv");
        assertThat(paged.path("count").asInt()).isEqualTo(3);
    }

    @Test
    void downloadAvailableFile() {
        var response = subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(XML);
        var page = subscriber.listWhenCount("", 2);
        assertThat(page.path("count").asInt()).as("a downloaded file leaves the default list").isEqualTo(2);
        var all = subscriber.list("&$filter=" + q("status eq 'all'"));
        var xml = new ArrayList<JsonNode>();
        all.path("data").forEach(f -> {
            if (f.path("fileId").asText().equals(xmlId)) {
                xml.add(f);
            }
        });
        assertThat(xml.getFirst().path("downloaded").asBoolean()).isTrue();
    }

    @Test
    void checkAvailableFileCanBeDownloadedByChunks() {
        var response = subscriber.send(subscriber.request("/fileapi/v1.0/files/" + xmlId + "?role=subscriber")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length").orElse("")).isEqualTo("107");
        assertThat(response.headers().firstValue("Accept-Ranges").orElse("")).isEqualTo("bytes");
        assertThat(subscriber.list("").path("count").asInt()).as("HEAD does not download").isEqualTo(3);
    }

    @Test
    void downloadFirst50BytesOfAnAvailableFile() {
        var response = subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", "bytes=0-49");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Length").orElse("")).isEqualTo("50");
        assertThat(response.headers().firstValue("Content-Range").orElse("")).isEqualTo("bytes 0-49/107");
        assertThat(response.headers().firstValue("Content-Disposition").orElse("")).isEqualTo("attachment; filename=\"sandbox_test_file.xml\"");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(XML.substring(0, 50));
        assertThat(subscriber.list("").path("count").asInt()).as("a first chunk does not mark it downloaded").isEqualTo(3);
        var rest = subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", "bytes=50-");
        assertThat(new String(rest.body(), StandardCharsets.UTF_8)).isEqualTo(XML.substring(50));
        assertThat(subscriber.listWhenCount("", 2).path("count").asInt()).as("the last chunk does").isEqualTo(2);
        var suffix = subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", "bytes=-7");
        assertThat(new String(suffix.body(), StandardCharsets.UTF_8)).isEqualTo("</root>");
    }

    @Test
    void requestNotSatisfiableRangeWhenDownloadRangeOutOfAvailableFileBounds() {
        var response = subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", "bytes=107-110");
        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range").orElse("")).isEqualTo("bytes */107");
        assertThat(FileApiClient.json(new String(response.body(), StandardCharsets.UTF_8)).toString())
                .isEqualTo("{\"correlationId\":null,\"message\":\"Range not satisfiable.\",\"errorCode\":\"416\",\"exception\":null}");
    }

    @Test
    void severalRangesComeAsMultipartByteranges() {
        var response = subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", "bytes=0-5,100-106");
        assertThat(response.statusCode()).isEqualTo(206);
        var type = response.headers().firstValue("Content-Type").orElse("");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        var body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("Content-Range: bytes 0-5/107\r\n\r\n<root>\r\n").contains("Content-Range: bytes 100-106/107\r\n\r\n" + XML.substring(100, 107));
        assertThat(Long.parseLong(response.headers().firstValue("Content-Length").orElse("-1"))).isEqualTo(response.body().length);
    }

    @Test
    void deleteFile() {
        var other = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
        var response = subscriber.send(subscriber.request("/fileapi/v1.0/files/" + xmlId + "?role=subscriber").header("Accept", "application/octet-stream")
                .DELETE(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(subscriber.list("&$filter=" + q("status eq 'all'")).path("count").asInt()).isEqualTo(2);
        assertThat(subscriber.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", null).statusCode()).isEqualTo(404);
        assertThat(other.list("").path("count").asInt()).as("other subscribers keep it").isEqualTo(3);
        assertThat(other.getBytes("/fileapi/v1.0/files/" + xmlId + "?role=subscriber", null).statusCode()).isEqualTo(200);
    }
}
