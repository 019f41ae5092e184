package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSON-RPC and XML-RPC give the same answers; batches; bad input in the OWS envelope, never a 500. */
class OwsProtocolIT {

    Ows ows;
    String session;

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl"));
        session = ows.login();
    }

    static String xmlCall(String method, String... paramValues) {
        var out = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>").append(method).append("</methodName><params>");
        for (var value : paramValues) {
            out.append("<param><value>").append(value).append("</value></param>");
        }
        return out.append("</params></methodCall>").toString();
    }

    static String str(String s) {
        return "<string>" + s + "</string>";
    }

    @Test
    void xmlRpcLogsInChecksAndLogsOut() {
        var login = ows.xml(xmlCall("loginByUid", str(ows.apiKey())));
        assertThat(login).contains("<methodResponse>").doesNotContain("<fault>");
        var token = login.replaceAll("(?s).*<string>([^<]+)</string>.*", "$1");
        var check = ows.xml(xmlCall("check", str(token)));
        assertThat(check).contains("<name>clientId</name><value><int>" + ows.tenantId() + "</int></value>")
                .contains("<name>username</name><value><string>" + ows.username() + "</string></value>");
        assertThat(ows.xml(xmlCall("logout", str(token)))).contains("<boolean>1</boolean>");
        var denied = ows.xml(xmlCall("logout", str(token)));
        assertThat(denied).contains("<fault>").contains("<name>faultCode</name><value><int>0</int></value>")
                .contains("<string>Access denied; please login first</string>");
    }

    @Test
    void theSameCallsGiveTheSameResultsOverBothProtocols() {
        var status = ows.result("Otys.Services.CandidateService.getOptionLists", "[\"" + session + "\",[\"statusId\"]]")
                .path("statusId").fieldNames().next();
        var uid = ows.result("Otys.Services.CandidateService.add",
                "[\"" + session + "\",{\"Person\":{\"firstName\":\"Xander\",\"lastName\":\"Xml\"},\"statusId\":\"" + status + "\"}]").asText();

        var json = ows.result("Otys.Services.CandidateService.getDetail",
                "[\"" + session + "\",\"" + uid + "\",{\"uid\":1,\"Person\":{\"firstName\":1,\"lastName\":1},\"statusId\":1}]");
        var xml = ows.xml(xmlCall("Otys.Services.CandidateService.getDetail", str(session), str(uid),
                "<struct><member><name>uid</name><value><int>1</int></value></member>"
                        + "<member><name>Person</name><value><struct><member><name>firstName</name><value><int>1</int></value></member>"
                        + "<member><name>lastName</name><value><boolean>1</boolean></value></member></struct></value></member>"
                        + "<member><name>statusId</name><value><int>1</int></value></member></struct>"));
        assertThat(xml).contains("<name>uid</name><value><string>" + uid + "</string></value>")
                .contains("<name>firstName</name><value><string>" + json.path("Person").path("firstName").asText() + "</string></value>")
                .contains("<name>lastName</name><value><string>Xml</string></value>")
                .contains("<name>statusId</name><value><int>" + json.path("statusId").asText() + "</int></value>");

        // add over XML-RPC, read over JSON-RPC
        var added = ows.xml(xmlCall("Otys.Services.CandidateService.add", str(session),
                "<struct><member><name>Person</name><value><struct><member><name>lastName</name><value>Bare value</value></member></struct></value></member></struct>"));
        var addedUid = added.replaceAll("(?s).*<string>([^<]+)</string>.*", "$1");
        assertThat(ows.result("Otys.Services.CandidateService.getDetail", "[\"" + session + "\",\"" + addedUid + "\",{\"Person\":{\"lastName\":1}}]")
                .path("Person").path("lastName").asText()).isEqualTo("Bare value");

        var list = ows.xml(xmlCall("Otys.Services.CandidateService.getListEx", str(session),
                "<struct><member><name>what</name><value><struct><member><name>uid</name><value><int>1</int></value></member></struct></value></member>"
                        + "<member><name>getTotalCount</name><value><int>1</int></value></member></struct>"));
        assertThat(list).contains("<name>listOutput</name>").contains("<name>totalCount</name><value><int>2</int></value>");
    }

    @Test
    void xmlRpcRefusesDoctypesAndEntities() {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<methodCall><methodName>check</methodName><params><param><value><string>&x;</string></value></param></params></methodCall>";
        var answer = ows.xml(xxe);
        assertThat(answer).contains("<fault>").doesNotContain("root:");
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<methodCall><methodName>&b;</methodName></methodCall>";
        assertThat(ows.xml(laughs)).contains("<fault>");
        assertThat(ows.xml("not xml at all")).contains("<fault>").contains("-32700");
        assertThat(ows.xml(xmlCall("Otys.Services.Nope.getList", str(session)))).contains("<int>-32601</int>");
    }

    @Test
    void batchesAnswerEachRequestInOrder() {
        var response = ows.rpc("[{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + session + "\"],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"params\":[],\"id\":2},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"bad\"],\"id\":\"three\"}]");
        assertThat(response.isArray()).isTrue();
        assertThat(response).hasSize(3);
        assertThat(response.get(0).path("result").path("clientId").asLong()).isEqualTo(ows.tenantId());
        assertThat(response.get(1).path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(response.get(1).path("id").asInt()).isEqualTo(2);
        assertThat(response.get(2).path("error").path("message").asText()).isEqualTo("Access denied; please login first");
        assertThat(response.get(2).path("id").asText()).isEqualTo("three");
    }

    @Test
    void multiServiceExecutesCallsInOrder() {
        var result = ows.result("Otys.Services.MultiService.execute",
                "[[{\"method\":\"Otys.Services.VacancyService.add\",\"args\":[\"" + session + "\",{\"title\":\"Tester\"}]},"
                        + "{\"method\":\"Otys.Services.VacancyService.getListEx\",\"args\":[\"" + session + "\",{\"what\":{\"title\":1},\"getTotalCount\":true}]},"
                        + "{\"method\":\"Otys.Services.VacancyService.getDetail\",\"args\":[\"" + session + "\",\"missing\"]}]]");
        // each answer wrapped as real clients read it: the result under "data", a failure with status "error"
        assertThat(result).hasSize(3);
        assertThat(result.get(0).path("data").isTextual()).isTrue();
        assertThat(result.get(1).path("data").path("totalCount").asInt()).isEqualTo(1);
        assertThat(result.get(1).path("data").path("listOutput").get(0).path("title").asText()).isEqualTo("Tester");
        assertThat(result.get(2).path("error").path("message").asText()).contains("missing");
        assertThat(result.get(2).path("status").asText()).isEqualTo("error");
    }

    @Test
    void badJsonGetsTheRightErrorCodes() {
        assertThat(ows.rpc("{\"jsonrpc\":").path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(ows.rpc("").path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(ows.rpc("[]").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(ows.rpc("42").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(ows.rpc("{\"params\":[],\"id\":7}").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(ows.rpc("{\"method\":\"check\",\"params\":{\"a\":1},\"id\":7}").path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(ows.call("Otys.Services.CandidateService.fly", "[\"" + session + "\"]").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(ows.call("Otys.Services.NoSuchService.getListEx", "[\"" + session + "\"]").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(ows.call("whatever", "[]").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(ows.call("Otys.Services.CandidateService.getListEx", "[\"" + session + "\",\"not an object\"]").path("error").path("code").asInt())
                .isEqualTo(-32602);
        assertThat(ows.call("Otys.Services.CandidateService.getListEx", "[\"" + session + "\",{\"limit\":\"many\"}]").path("error").path("code").asInt())
                .isEqualTo(-32602);
        assertThat(ows.call("Otys.Services.CandidateService.getListEx", "[\"" + session + "\",{\"condition\":{\"type\":\"XOR\"}}]")
                .path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void hugeRequestsAreRefusedBySize() {
        var huge = "[\"" + "x".repeat(11 * 1024 * 1024) + "\"]";
        var response = ows.call("check", huge);
        assertThat(response.path("error").path("message").asText()).contains("too large");
    }

    @Test
    void http10AndAnOddContentTypeAreFine() throws Exception {
        var body = "{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + session + "\"],\"id\":9}";
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        try (var socket = new Socket("127.0.0.1", ows.server().server().port())) {
            socket.getOutputStream().write(("POST /ows/jservice.php HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded; charset=\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).matches("HTTP/1\\.[01] 200 OK");
            var text = String.join("\n", reader.lines().toList());
            assertThat(text).contains("\"clientId\":" + ows.tenantId()).contains("\"id\":9");
        }
    }
}
