package io.dossier.it.logicaldoc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.access.Caller;
import io.dossier.it.support.Http;
import io.dossier.it.support.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST variant of the Document Metadata and Auth services, as the spec README names its verbs and parameters. */
class LogicalDocRestIT {

    private static final String MD = "/logicaldoc/services/rest/documentMetadata/";
    private static final String AUTH = "/logicaldoc/services/rest/auth/";
    private static LogicalDoc ld;
    private static String sid;

    @BeforeAll
    static void tenant() {
        ld = LogicalDoc.newTenant(TestServer.shared());
        sid = ld.http().get(AUTH + "login?u=" + ld.username + "&pw=" + enc(ld.password)).body();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Http.Response send(String method, String path, String contentType, String body) {
        var request = ld.http().builder(path).header("sid", sid);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return ld.http().send(request);
    }

    private static Http.Response get(String path) {
        return send("GET", path, null, null);
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long storeTemplate(String json) {
        var response = send("POST", MD + "storeTemplate", "application/json", json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return Long.parseLong(response.body());
    }

    @Test
    void auth_loginAnswersTheBareSid_andEveryWayOfCarryingIt() {
        assertThat(sid).matches("[0-9a-f]{40}");
        var posted = ld.http().send(ld.http().builder(AUTH + "login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + ld.username + "&password=" + enc(ld.password))));
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body()).doesNotContain("\"");
        var list = MD + "listTemplates";
        assertThat(ld.http().send(ld.http().builder(list).header("sid", posted.body()).GET()).status()).isEqualTo(200);
        assertThat(ld.http().send(ld.http().builder(list).header("Cookie", "ldoc-sid=" + posted.body()).GET()).status()).isEqualTo(200);
        assertThat(ld.http().get(list + "?sid=" + posted.body()).status()).isEqualTo(200);
        assertThat(ld.http().send(ld.http().builder(list).header("X-API-KEY", ld.apiKey).GET()).status()).isEqualTo(200);
        assertThat(ld.http().send(ld.http().builder(list).header("Authorization", ld.basic()).GET()).status()).isEqualTo(200);
        var fromBasic = ld.http().send(ld.http().builder(AUTH + "getSid").header("Authorization", ld.basic()).GET());
        assertThat(fromBasic.body()).matches("[0-9a-f]{40}");
        assertThat(ld.http().get(AUTH + "renew?sid=" + posted.body()).status()).isEqualTo(204);
        assertThat(ld.http().delete(AUTH + "logout?sid=" + posted.body()).status()).isEqualTo(204);
        var after = ld.http().get(list + "?sid=" + posted.body());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body()).isEqualTo("Invalid session " + posted.body());
        assertThat(ld.http().get(list).status()).isEqualTo(401);
        assertThat(ld.http().send(ld.http().builder(list).header("X-API-KEY", "wrong").GET()).status()).isEqualTo(401);
    }

    @Test
    void templates_storeWrappedOrNot_readListDelete() {
        var name = name("rest");
        var id = storeTemplate("{\"template\":{\"id\":0,\"name\":\"" + name + "\",\"description\":\"d\",\"attributes\":["
                + "{\"name\":\"party\",\"type\":0,\"mandatory\":1,\"hidden\":0,\"editor\":0,\"multiple\":0,\"label\":\"Party\"},"
                + "{\"name\":\"due\",\"type\":3,\"mandatory\":0,\"hidden\":1,\"editor\":0,\"multiple\":0}]}}");
        var template = get(MD + "getTemplateById?templateId=" + id).json();
        assertThat(template.path("name").asText()).isEqualTo(name);
        assertThat(template.path("docsCount").asInt()).isZero();
        assertThat(template.path("lastModified").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(template.path("attributes").get(0).path("mandatory").isInt()).isTrue();
        assertThat(template.path("attributes").get(0).path("mandatory").asInt()).isEqualTo(1);
        assertThat(template.path("attributes").get(1).path("hidden").asInt()).isEqualTo(1);
        assertThat(template.path("attributes").get(1).path("type").asInt()).isEqualTo(3);
        // unwrapped, as an update
        assertThat(storeTemplate("{\"id\":" + id + ",\"name\":\"" + name + "\",\"attributes\":[{\"name\":\"party\",\"type\":0}]}")).isEqualTo(id);
        assertThat(get(MD + "getTemplate?name=" + name).json().path("attributes").size()).isEqualTo(1);
        assertThat(get(MD + "listTemplates").json().findValuesAsText("name")).contains(name);
        assertThat(get(MD + "isTemplateReadable?templateId=" + id).body()).isEqualTo("true");
        assertThat(get(MD + "isTemplateWritable?templateId=" + id).body()).isEqualTo("true");
        // in use: 409 with the reason
        ld.server.server().dossier().metadata().describe(new Caller.Internal(ld.tenantId, "test"), "document:" + UUID.randomUUID(), id,
                Map.of("party", List.of("ACME")));
        var refused = send("DELETE", MD + "deleteTemplate?templateId=" + id, null, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("in use");
        var free = storeTemplate("{\"name\":\"" + name("free") + "\"}");
        assertThat(send("DELETE", MD + "deleteTemplate?templateId=" + free, null, null).status()).isEqualTo(204);
        assertThat(get(MD + "getTemplateById?templateId=" + free).status()).isEqualTo(404);
        // bad input: 400 naming what is wrong
        var bad = send("POST", MD + "storeTemplate", "application/json", "{\"name\":\"" + name("bad") + "\",\"attributes\":[{\"name\":\"n\",\"type\":\"x\"}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("attribute n");
        assertThat(send("POST", MD + "storeTemplate", "application/json", "{not json").status()).isEqualTo(400);
        assertThat(get(MD + "getTemplateById?templateId=x").status()).isEqualTo(400);
    }

    @Test
    void attributeSets_andOptionsEveryWay() throws Exception {
        var name = name("set");
        var response = send("POST", MD + "storeAttributeSet", "application/json", "{\"attributeSet\":{\"name\":\"" + name
                + "\",\"attributes\":[{\"name\":\"kind\",\"type\":0,\"editor\":1}]}}");
        var setId = Long.parseLong(response.body());
        assertThat(get(MD + "getAttributeSetById?setId=" + setId).json().path("name").asText()).isEqualTo(name);
        assertThat(get(MD + "getAttributeSet?name=" + name).json().path("id").asLong()).isEqualTo(setId);
        assertThat(get(MD + "listAttributeSets").json().findValuesAsText("name")).contains(name);

        assertThat(send("PUT", MD + "setAttributeOptions?setId=" + setId + "&attribute=kind&options=a&options=b", null, null).status()).isEqualTo(204);
        assertThat(get(MD + "getAttributeOptions?setId=" + setId + "&attribute=kind").json().toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(send("POST", MD + "addAttributeOption", "application/x-www-form-urlencoded",
                "setId=" + setId + "&attribute=kind&value=c&category=cat").status()).isEqualTo(204);
        assertThat(get(MD + "getAttributeOptionsByCategory?setId=" + setId + "&attribute=kind&category=cat").json().get(0).path("value").asText())
                .isEqualTo("c");
        var boundary = "----ld" + UUID.randomUUID();
        var multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"setId\"\r\n\r\n" + setId + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"attribute\"\r\n\r\nkind\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n"
                + "[{\"value\":\"x\",\"category\":\"one\"},{\"value\":\"y\"}]\r\n--" + boundary + "--\r\n";
        assertThat(send("POST", MD + "setAttributeOptionsPOST", "multipart/form-data; boundary=" + boundary, multipart).status()).isEqualTo(204);
        assertThat(get(MD + "getAttributeOptions?setId=" + setId + "&attribute=kind").json().toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(send("DELETE", MD + "deleteAttributeSet?setId=" + setId, null, null).status()).isEqualTo(204);
        assertThat(get(MD + "getAttributeSetById?setId=" + setId).status()).isEqualTo(404);
    }

    @Test
    void grantsAndTenants() {
        var id = storeTemplate("{\"name\":\"" + name("granted") + "\"}");
        var reader = ld.newUser("rest-reader");
        assertThat(send("PUT", MD + "grantUserToTemplate?templateId=" + id + "&userId=" + ld.userId + "&permissions=2097151", null, null).status())
                .isEqualTo(204);
        assertThat(send("PUT", MD + "grantUserToTemplate?templateId=" + id + "&userId=" + reader.userId + "&permissions=2215", null, null).status())
                .isEqualTo(204);
        var users = get(MD + "getGrantedUsers?templateId=" + id).json();
        assertThat(users.toString()).contains("{\"id\":" + reader.userId + ",\"permissions\":2215}");
        var readerBasic = ld.http().send(ld.http().builder(MD + "isTemplateWritable?templateId=" + id).header("Authorization", reader.basic()).GET());
        assertThat(readerBasic.body()).isEqualTo("true");   // 2215 holds Write
        var refused = ld.http().send(ld.http().builder(MD + "grantUserToTemplate?templateId=" + id + "&userId=" + reader.userId
                + "&permissions=2097151").header("Authorization", reader.basic()).PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.status()).isEqualTo(403);
        // the access control list as JSON: the reader's grant becomes read and download only
        var acl = send("PUT", MD + "setAccessControlList?templateId=" + id, "application/json",
                "[{\"userId\":" + ld.userId + ",\"read\":1,\"write\":1,\"security\":1},{\"userId\":" + reader.userId
                        + ",\"read\":1,\"download\":1}]");
        assertThat(acl.status()).as(acl.body()).isEqualTo(204);
        assertThat(get(MD + "getAccessControlList?templateId=" + id).json().findValuesAsText("userId"))
                .containsExactly(Long.toString(ld.userId), Long.toString(reader.userId));
        assertThat(get(MD + "getGrantedUsers?templateId=" + id).json().toString()).contains("{\"id\":" + reader.userId + ",\"permissions\":3}");
        assertThat(ld.http().get(AUTH + "valid?sid=" + sid).body()).isEqualTo("true");
        assertThat(ld.http().get(AUTH + "valid?sid=nope").body()).isEqualTo("false");

        var other = LogicalDoc.newTenant(ld.server);
        var otherSid = ld.http().get(AUTH + "login?u=" + other.username + "&pw=" + enc(other.password)).body();
        var stranger = ld.http().send(ld.http().builder(MD + "getTemplateById?templateId=" + id).header("sid", otherSid).GET());
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(ld.http().send(ld.http().builder(MD + "listTemplates").header("sid", otherSid).GET()).json().size()).isZero();
        assertThat(ld.http().send(ld.http().builder(MD + "deleteTemplate?templateId=" + id).header("sid", otherSid).DELETE()).status())
                .isEqualTo(404);
    }
}
