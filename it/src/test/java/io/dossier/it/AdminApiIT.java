package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Http;
import io.dossier.it.support.TestServer;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin REST API over HTTP: tenants, users, groups, clients, and its error shape. */
class AdminApiIT {

    TestServer server;
    Http admin;

    @BeforeEach
    void start() {
        server = TestServer.shared();
        admin = server.http().bearer(server.adminToken());
    }

    static String slug() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String createTenant() {
        var slug = slug();
        var created = admin.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\",\"name\":\"Test " + slug + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return slug;
    }

    @Test
    void tenantsAreCreatedListedAndFetched() {
        var slug = slug();
        var created = admin.post("/admin/api/tenants",
                "{\"slug\":\"" + slug + "\",\"name\":\"Acme\",\"contentLanguages\":[\"nl\",\"en\"],\"defaultLanguage\":\"nl\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("slug").asText()).isEqualTo(slug);
        assertThat(created.json().path("defaultLanguage").asText()).isEqualTo("nl");
        assertThat(created.json().path("id").isNumber()).isTrue();

        var list = admin.get("/admin/api/tenants");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("tenants").findValuesAsText("slug")).contains(slug);

        var one = admin.get("/admin/api/tenants/" + slug);
        assertThat(one.json().path("name").asText()).isEqualTo("Acme");
        assertThat(one.json().path("contentLanguages").toString()).isEqualTo("[\"nl\",\"en\"]");
    }

    @Test
    void usersGetAGeneratedPasswordShownOnceOnly() {
        var tenant = createTenant();
        var created = admin.post("/admin/api/tenants/" + tenant + "/users",
                "{\"username\":\"" + tenant + ".jane\",\"email\":\"jane@example.com\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("password").asText()).hasSizeGreaterThanOrEqualTo(20);

        var list = admin.get("/admin/api/tenants/" + tenant + "/users");
        assertThat(list.json().path("users")).hasSize(1);
        assertThat(list.body()).doesNotContain(created.json().path("password").asText()).doesNotContain("password");

        var given = admin.post("/admin/api/tenants/" + tenant + "/users",
                "{\"username\":\"" + tenant + ".joe\",\"password\":\"correct horse battery\"}");
        assertThat(given.status()).isEqualTo(201);
        assertThat(given.json().has("password")).isFalse();
    }

    @Test
    void groupsCollectMembers() {
        var tenant = createTenant();
        var user = admin.post("/admin/api/tenants/" + tenant + "/users", "{\"username\":\"" + tenant + ".member\"}").json();
        var group = admin.post("/admin/api/tenants/" + tenant + "/groups", "{\"name\":\"Legal\"}");
        assertThat(group.status()).isEqualTo(201);
        var groupId = group.json().path("id").asLong();

        var added = admin.post("/admin/api/tenants/" + tenant + "/groups/" + groupId + "/members",
                "{\"userId\":" + user.path("id").asLong() + "}");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().path("memberIds").get(0).asLong()).isEqualTo(user.path("id").asLong());
        assertThat(admin.get("/admin/api/tenants/" + tenant + "/groups").json().path("groups").get(0).path("name").asText())
                .isEqualTo("Legal");
        assertThat(admin.post("/admin/api/tenants/" + tenant + "/groups", "{\"name\":\"Legal\"}").status()).isEqualTo(409);
    }

    @Test
    void clientsOfEveryKindAreIssuedListedAndRevoked() {
        var tenant = createTenant();
        var user = admin.post("/admin/api/tenants/" + tenant + "/users", "{\"username\":\"" + tenant + ".api\"}").json();
        var owsKey = admin.post("/admin/api/tenants/" + tenant + "/clients",
                "{\"kind\":\"ows-api-key\",\"name\":\"website\",\"userId\":" + user.path("id").asLong() + "}");
        assertThat(owsKey.status()).as(owsKey.body()).isEqualTo(201);
        assertThat(owsKey.json().path("secret").asText()).hasSizeGreaterThanOrEqualTo(22);

        var oauth = admin.post("/admin/api/tenants/" + tenant + "/clients",
                "{\"kind\":\"oauth\",\"name\":\"hr sync\",\"scopes\":[\"Get_Basic\",\"Upload_documents\"]}");
        assertThat(oauth.status()).isEqualTo(201);
        assertThat(oauth.json().path("clientId").asText()).hasSize(32);
        assertThat(oauth.json().path("scopes").toString()).isEqualTo("[\"Get_Basic\",\"Upload_documents\"]");

        var token = admin.post("/admin/api/tenants/" + tenant + "/clients",
                "{\"kind\":\"api-token\",\"userId\":" + user.path("id").asLong() + "}");
        assertThat(token.status()).isEqualTo(201);

        var list = admin.get("/admin/api/tenants/" + tenant + "/clients");
        assertThat(list.json().path("clients")).hasSize(3);
        assertThat(list.body()).doesNotContain(owsKey.json().path("secret").asText())
                .doesNotContain(oauth.json().path("secret").asText())
                .doesNotContain(token.json().path("secret").asText());

        var id = oauth.json().path("id").asLong();
        assertThat(admin.post("/admin/api/tenants/" + tenant + "/clients/" + id + "/revoke", "").status()).isEqualTo(204);
        var revoked = admin.get("/admin/api/tenants/" + tenant + "/clients").json().path("clients");
        assertThat(revoked.findValues("revoked").stream().filter(n -> n.asBoolean()).count()).isEqualTo(1);
    }

    @Test
    void aKeyThatActsAsAUserNeedsOne() {
        var tenant = createTenant();
        var refused = admin.post("/admin/api/tenants/" + tenant + "/clients", "{\"kind\":\"ows-api-key\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("invalid");
    }

    @Test
    void badInputIsRefusedInTheAdminErrorShape() {
        var malformed = admin.post("/admin/api/tenants", "{\"slug\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(malformed.json().path("error").path("message").asText()).startsWith("malformed JSON");

        var unknown = admin.post("/admin/api/tenants", "{\"slug\":\"" + slug() + "\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").path("message").asText()).contains("colour");

        var wrongType = admin.post("/admin/api/tenants", "{\"slug\":\"" + slug() + "\",\"contentLanguages\":{\"a\":1}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body()).doesNotContain("Exception").doesNotContain("at io.");

        var badSlug = admin.post("/admin/api/tenants", "{\"slug\":\"../etc\"}");
        assertThat(badSlug.status()).isEqualTo(400);

        var badLanguage = admin.post("/admin/api/tenants", "{\"slug\":\"" + slug() + "\",\"contentLanguages\":[\"xx\"]}");
        assertThat(badLanguage.status()).isEqualTo(400);

        var empty = admin.post("/admin/api/tenants", "");
        assertThat(empty.status()).isEqualTo(400);

        var duplicate = createTenant();
        var conflict = admin.post("/admin/api/tenants", "{\"slug\":\"" + duplicate + "\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("error").path("code").asText()).isEqualTo("conflict");

        var missing = admin.get("/admin/api/tenants/no-such-tenant/users");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("code").asText()).isEqualTo("not_found");

        var noRoute = admin.get("/admin/api/nothing-here");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.json().path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void wrongOrMissingAdminTokensAreRefused() {
        var none = server.http().get("/admin/api/tenants");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("error").path("code").asText()).isEqualTo("unauthenticated");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");

        assertThat(server.http().bearer("wrong-token").get("/admin/api/tenants").status()).isEqualTo(401);
        assertThat(server.http().bearer(server.adminToken() + "x").get("/admin/api/tenants").status()).isEqualTo(401);

        var issued = server.server().dossier().identities().createAdminToken("short-lived");
        assertThat(server.http().bearer(issued.secret()).get("/admin/api/tenants").status()).isEqualTo(200);
        server.server().dossier().identities().revokeAdminToken(issued.token().id());
        assertThat(server.http().bearer(issued.secret()).get("/admin/api/tenants").status()).isEqualTo(401);
    }

    @Test
    void oneTenantsPathNeverReachesAnotherTenantsThings() {
        var a = createTenant();
        var b = createTenant();
        var userA = admin.post("/admin/api/tenants/" + a + "/users", "{\"username\":\"" + a + ".u\"}").json().path("id").asLong();
        var clientA = admin.post("/admin/api/tenants/" + a + "/clients", "{\"kind\":\"oauth\"}").json().path("id").asLong();
        var groupB = admin.post("/admin/api/tenants/" + b + "/groups", "{\"name\":\"B team\"}").json().path("id").asLong();

        assertThat(admin.post("/admin/api/tenants/" + b + "/clients/" + clientA + "/revoke", "").status()).isEqualTo(404);
        assertThat(admin.post("/admin/api/tenants/" + b + "/groups/" + groupB + "/members", "{\"userId\":" + userA + "}").status())
                .isEqualTo(404);
        assertThat(admin.post("/admin/api/tenants/" + b + "/clients", "{\"kind\":\"ows-api-key\",\"userId\":" + userA + "}").status())
                .isEqualTo(404);
        assertThat(admin.get("/admin/api/tenants/" + b + "/users").json().path("users")).isEmpty();
        assertThat(admin.get("/admin/api/tenants/" + b + "/clients").json().path("clients")).isEmpty();
        assertThat(admin.get("/admin/api/tenants/" + a + "/clients").json().path("clients").get(0).path("revoked").asBoolean()).isFalse();
    }
}
