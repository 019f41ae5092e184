package io.dossier.it.logicaldoc;

import static io.dossier.it.logicaldoc.LogicalDoc.elements;
import static io.dossier.it.logicaldoc.LogicalDoc.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Http;
import io.dossier.it.support.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LogicalDOC's SOAP wire beyond the methods: the WSDL (CXF's shape, its address the URL the client
 * used, behind a proxy too) loaded by real toolkits (python-zeep, PHP SoapClient) that then call the
 * server; SOAPAction and envelope variants real clients send; hostile XML refused as soap:Client.
 */
class LogicalDocSoapProtocolIT {

    private static LogicalDoc ld;
    private static String sid;

    @BeforeAll
    static void tenant() {
        ld = LogicalDoc.newTenant(TestServer.shared());
        sid = ld.login();
    }

    private static Http.Response get(String path, String... headers) {
        var request = ld.http().builder(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return ld.http().send(request);
    }

    @Test
    void wsdl_rootImportsThePortTypeDocument() {
        var base = ld.server.uri("/logicaldoc/services/DocumentMetadata").toString();
        var root = get("/logicaldoc/services/DocumentMetadata?wsdl");
        assertThat(root.status()).isEqualTo(200);
        var doc = LogicalDoc.parse(root.body());
        var definitions = doc.getDocumentElement();
        assertThat(definitions.getAttribute("name")).isEqualTo("SoapDocumentMetadataServiceService");
        assertThat(definitions.getAttribute("targetNamespace")).isEqualTo("http://endpoint.soap.webservice.logicaldoc.com/");
        assertThat(elements(doc, "import").getFirst().getAttribute("location")).isEqualTo(base + "?wsdl=DocumentMetadata.wsdl");
        assertThat(elements(doc, "binding").getFirst().getAttribute("name")).isEqualTo("SoapDocumentMetadataServiceServiceSoapBinding");
        assertThat(elements(doc, "port").getFirst().getAttribute("name")).isEqualTo("SoapDocumentMetadataServicePort");
        assertThat(elements(doc, "address").getFirst().getAttribute("location")).isEqualTo(base);

        var imported = LogicalDoc.parse(get("/logicaldoc/services/DocumentMetadata?wsdl=DocumentMetadata.wsdl").body());
        assertThat(imported.getDocumentElement().getAttribute("targetNamespace")).isEqualTo("http://ws.logicaldoc.com");
        var operations = new ArrayList<String>();
        for (var portType : elements(imported, "portType")) {
            assertThat(portType.getAttribute("name")).isEqualTo("DocumentMetadata");
            for (var operation : LogicalDoc.children(portType, "operation")) {
                operations.add(operation.getAttribute("name"));
            }
        }
        assertThat(operations).contains("getAttributeSetById", "setAttributeOptions", "getAttributeOptions", "grantUserToTemplate",
                "grantGroupToTemplate", "getGrantedGroups", "getGrantedUsers", "deleteTemplate", "storeTemplate", "storeAttributeSet",
                "getTemplateById", "deleteAttributeSet", "isTemplateReadable", "getTemplate", "listAttributeSets", "listTemplates",
                "getAttributeSet", "isTemplateWritable");
        var types = elements(imported, "complexType").stream().map(e -> e.getAttribute("name")).toList();
        assertThat(types).contains("WSTemplate", "WSAttributeSet", "WSAttribute", "WSRight", "WSAttributeOption", "WSAccessControlEntry");
        var template = elements(imported, "complexType").stream().filter(e -> e.getAttribute("name").equals("WSTemplate")).findFirst().orElseThrow();
        assertThat(elements(template, "element").stream().map(e -> e.getAttribute("name")).toList())
                .containsExactly("attributes", "description", "docsCount", "id", "lastModified", "name");

        var auth = LogicalDoc.parse(get("/logicaldoc/services/Auth?wsdl").body());
        assertThat(auth.getDocumentElement().getAttribute("name")).isEqualTo("SoapAuthServiceService");
        assertThat(elements(auth, "import").getFirst().getAttribute("location")).endsWith("/logicaldoc/services/Auth?wsdl=Auth.wsdl");
        assertThat(get("/logicaldoc/services/Auth?wsdl=Auth.wsdl").body()).contains("<wsdl:portType name=\"Auth\">");
    }

    @Test
    void wsdl_addressBehindAProxy() {
        var doc = LogicalDoc.parse(get("/logicaldoc/services/DocumentMetadata?wsdl", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "docs.example.com", "X-Forwarded-Prefix", "/dms").body());
        assertThat(elements(doc, "address").getFirst().getAttribute("location"))
                .isEqualTo("https://docs.example.com/dms/logicaldoc/services/DocumentMetadata");
        assertThat(elements(doc, "import").getFirst().getAttribute("location"))
                .isEqualTo("https://docs.example.com/dms/logicaldoc/services/DocumentMetadata?wsdl=DocumentMetadata.wsdl");
    }

    @Test
    void soapAction_emptyAbsentOrTheOperation_andPostsToTheWsdlUrl() {
        var body = LogicalDoc.ENVELOPE.formatted("<ws:listTemplates><sid>" + sid + "</sid></ws:listTemplates>");
        for (var action : new String[]{"\"\"", null, "\"listTemplates\"", "listTemplates"}) {
            var response = ld.post("DocumentMetadata", action, body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("text/xml");
            assertThat(response.body()).contains("listTemplatesResponse");
        }
        var toWsdl = ld.http().send(ld.http().builder("/logicaldoc/services/DocumentMetadata?wsdl").header("Content-Type", "text/xml")
                .header("SOAPAction", "\"\"").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(toWsdl.status()).isEqualTo(200);
        assertThat(toWsdl.body()).contains("listTemplatesResponse");
    }

    @Test
    void envelope_xsiTypesWhitespaceAndLongsAsStrings() {
        var id = ld.storeTemplate(sid, LogicalDoc.ws("template", 0, "typed-" + System.nanoTime(), null));
        var envelope = """
                <?xml version="1.0" encoding="UTF-8"?>
                <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xmlns:ns1="http://ws.logicaldoc.com">
                  <SOAP-ENV:Body>
                    <ns1:getTemplateById>
                      <sid xsi:type="xsd:string">%s</sid>
                      <templateId xsi:type="xsd:string"> %d </templateId>
                    </ns1:getTemplateById>
                  </SOAP-ENV:Body>
                </SOAP-ENV:Envelope>
                """.formatted(sid, id);
        var response = ld.post("DocumentMetadata", "\"\"", envelope);
        assertThat(response.status()).isEqualTo(200);
        assertThat(text(LogicalDoc.parse(response.body()), "id")).isEqualTo(Long.toString(id));
    }

    @Test
    void hostile_refusedAsClientFaults() {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + LogicalDoc.ENVELOPE.formatted("<ws:getTemplate><sid>" + sid + "</sid><name>&x;</name></ws:getTemplate>");
        var laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]>").append(LogicalDoc.ENVELOPE.formatted("<ws:getTemplate><sid>" + sid + "</sid><name>&lol9;</name></ws:getTemplate>"));
        var deep = LogicalDoc.ENVELOPE.formatted("<ws:listTemplates><sid>" + sid + "</sid>" + "<a>".repeat(5000) + "</a>".repeat(5000)
                + "</ws:listTemplates>");
        for (var hostile : List.of(xxe, laughs.toString(), deep, "not xml at all", "<a><b></a>", "<root/>",
                "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>",
                LogicalDoc.ENVELOPE.formatted("<ws:noSuchMethod><sid>" + sid + "</sid></ws:noSuchMethod>"),
                LogicalDoc.ENVELOPE.formatted("<ws:getTemplateById><sid>" + sid + "</sid><templateId>12x</templateId></ws:getTemplateById>"),
                LogicalDoc.ENVELOPE.formatted("<ws:grantUserToTemplate><sid>" + sid + "</sid><templateId>1</templateId><userId>1</userId>"
                        + "<permissions>-1</permissions></ws:grantUserToTemplate>"))) {
            var fault = LogicalDoc.faultOf(ld.post("DocumentMetadata", "\"\"", hostile));
            assertThat(fault[0]).as(hostile.substring(0, Math.min(80, hostile.length()))).isEqualTo("soap:Client");
            assertThat(fault[1]).doesNotContain("root:");
        }
        // 20 MB: refused, not read into memory
        var big = new byte[20 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        var prefix = LogicalDoc.ENVELOPE.formatted("<ws:getTemplate><sid>" + sid + "</sid><name>").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, big, 0, prefix.length);
        var response = ld.http().send(ld.http().builder("/logicaldoc/services/DocumentMetadata").header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        var fault = LogicalDoc.faultOf(response);
        assertThat(fault[0]).isEqualTo("soap:Client");
        assertThat(fault[1]).contains("at most");
    }

    @Test
    void zeep_generatedClientCallsEveryMethod() throws Exception {
        // the Debian package python3-zeep installs into the system's python3, whatever else is on the PATH
        var python = Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Assumptions.assumeTrue(available(python, "-c", "import zeep"), "python3-zeep is not installed");
        var other = ld.newUser("zeep-other");
        var group = ld.newGroup("zeep-group", other.userId);
        run(python, script("zeep_client.py"), ld.server.uri("").toString().replaceAll("/$", ""), ld.username, ld.password,
                Long.toString(other.userId), Long.toString(group), Long.toString(ld.userId), ld.apiKey);
    }

    @Test
    void php_soapClientCallsTheCoreMethods() throws Exception {
        Assumptions.assumeTrue(available("php", "-r", "exit(class_exists('SoapClient') ? 0 : 1);"), "php-soap is not installed");
        var other = ld.newUser("php-other");
        run("php", script("php_client.php"), ld.server.uri("").toString().replaceAll("/$", ""), ld.username, ld.password,
                Long.toString(other.userId), Long.toString(ld.userId));
    }

    private static String script(String name) throws IOException {
        var file = Files.createTempFile("ld-", name);
        try (var in = LogicalDocSoapProtocolIT.class.getResourceAsStream("/logicaldoc/" + name)) {
            Files.write(file, in.readAllBytes());
        }
        file.toFile().deleteOnExit();
        return file.toString();
    }

    private static boolean available(String... command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(String.join(" ", command)).contains("OK");
        assertThat(process.exitValue()).as(output).isZero();
    }
}
