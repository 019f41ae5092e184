package io.dossier.it.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Admin REST requests: every route, with bodies from each route's field grammar (right fields with
 * right and wrong types, unknown fields, nulls, broken JSON) under the admin token or a wrong one.
 * Client ids in revoke paths are never those of the demo's clients, which the run relies on.
 */
final class AdminGrammar {

    private final Fixture fixture;

    AdminGrammar(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest request(Gen gen) {
        var tenant = gen.chance(0.8) ? fixture.tenant : Fixture.enc(gen.pick("nosuch", "", "DEMO", "a/b", gen.hostileString()));
        var base = "/admin/api/tenants";
        String method;
        String path;
        Map<String, Object> body = null;
        switch (gen.between(0, 11)) {
            case 0 -> {
                method = "GET";
                path = base;
            }
            case 1 -> {
                method = "POST";
                path = base;
                body = tenantBody(gen);
            }
            case 2 -> {
                method = "GET";
                path = base + "/" + tenant + gen.pick("", "/users", "/groups", "/clients", "/nope");
            }
            case 3 -> {
                method = "POST";
                path = base + "/" + tenant + "/users";
                body = userBody(gen);
            }
            case 4 -> {
                method = "POST";
                path = base + "/" + tenant + "/groups";
                body = gen.fields("name", gen.text());
            }
            case 5 -> {
                method = "POST";
                path = base + "/" + tenant + "/groups/" + id(gen) + "/members";
                body = gen.fields("userId", gen.chance(0.5) ? gen.between(1, 3) : gen.hostileNumber());
            }
            case 6 -> {
                method = "POST";
                path = base + "/" + tenant + "/clients";
                body = clientBody(gen);
            }
            case 7 -> {
                method = gen.pick("POST", "DELETE");
                path = base + "/" + tenant + "/clients/" + foreignClientId(gen) + (method.equals("POST") ? "/revoke" : "");
            }
            case 8 -> {
                method = "POST";
                path = base + "/" + tenant + "/fileapi/authorizations";
                body = authorizationBody(gen);
            }
            case 9 -> {
                method = "GET";
                path = base + "/" + tenant + "/fileapi/authorizations/" + Fixture.enc(gen.chance(0.5) ? gen.pick(fixture.subscribers)[0] : gen.hostileString());
            }
            case 10 -> {
                method = gen.pick("PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
                path = base + gen.pick("", "/" + tenant, "/" + tenant + "/users");
            }
            default -> {
                method = "GET";
                path = gen.pick("/admin/api", "/admin/api/", "/admin/api/tenants/", "/admin/api/tenants//users", "/admin/api/tenants/%2e%2e/users",
                        "/admin/api/tenants/demo/users?x=" + "y".repeat(gen.between(10, 5000)), "/admin/", "/admin/api/tenants/%ZZ");
            }
        }
        var builder = new FuzzRequest.Builder("admin", method, path);
        if (gen.chance(0.9)) {
            builder.bearer(gen.chance(0.9) ? fixture.adminToken : gen.pick("", "nosuch", fixture.owsApiKey, "x".repeat(5000)));
        } else if (gen.chance(0.5)) {
            builder.header("Authorization", gen.pick("Bearer", "Basic YTpi", "bearer " + fixture.adminToken, "Bearer  " + fixture.adminToken));
        }
        if (body != null || gen.chance(0.05)) {
            var text = body == null ? "" : Gen.json(body);
            if (gen.chance(0.1)) {
                text = gen.breakJson(text);
            }
            if (gen.chance(0.04)) {
                text = gen.pick("", "null", "[]", "\"x\"", "1", "{}", Gen.deep(gen.between(100, 20_000), true, gen.chance(0.5)).text());
            }
            builder.body(gen.pick("application/json", "application/json", "application/json; charset=utf-8", "text/plain", null, "application/json; charset=bogus"), text);
        }
        return builder.build();
    }

    private String id(Gen gen) {
        return gen.chance(0.6) ? Integer.toString(gen.between(0, 5)) : Fixture.enc(gen.pick("-1", "abc", "99999999999999999999", "1.5", ""));
    }

    /** Never a small positive number: the demo's own clients have those ids. */
    private String foreignClientId(Gen gen) {
        return Fixture.enc(gen.pick("0", "-1", "abc", "99999999", "99999999999999999999", "1.5", "", gen.hostileString()));
    }

    private Map<String, Object> tenantBody(Gen gen) {
        var languages = new ArrayList<Object>();
        for (int i = gen.between(0, 4); i > 0; i--) {
            languages.add(gen.chance(0.8) ? gen.pick("en", "nl", "de", "fr", "xx", "EN", "") : gen.anyValue(1));
        }
        return gen.fields("slug", gen.chance(0.6) ? "fz-" + gen.between(0, 1_000_000) : gen.text(), "name", gen.text(),
                "contentLanguages", gen.chance(0.9) ? languages : gen.anyValue(1), "defaultLanguage", gen.pick("en", "nl", "xx", "", 1));
    }

    private Map<String, Object> userBody(Gen gen) {
        return gen.fields("username", gen.chance(0.6) ? "fz.user" + gen.between(0, 1_000_000) : gen.text(),
                "email", gen.pick("a@b.example", "not-an-email", "", "x".repeat(300) + "@b.c"), "displayName", gen.text(),
                "password", gen.pick("correct horse battery staple", "", "x", "p".repeat(5000)));
    }

    private Map<String, Object> clientBody(Gen gen) {
        return gen.fields("kind", gen.pick("ows-api-key", "api-token", "oauth", "OAUTH", "admin", ""), "name", gen.text(),
                "userId", gen.chance(0.6) ? gen.between(0, 3) : gen.hostileNumber(),
                "scopes", gen.chance(0.7) ? List.of(gen.pick("Get_Basic", "Upload_documents", "nope", "")) : gen.anyValue(1));
    }

    private Map<String, Object> authorizationBody(Gen gen) {
        var types = new ArrayList<Object>();
        for (int i = gen.between(0, 3); i > 0; i--) {
            types.add(gen.chance(0.7) ? gen.pick(7100, 7101, 8003, "7101") : gen.hostileNumber());
        }
        // Only the last subscriber's grants are touched: the others keep theirs for the download grammars.
        return gen.fields("clientId", gen.chance(0.3) ? fixture.subscribers.getLast()[0] : gen.text(), "role", gen.pick("publisher", "subscriber", "admin", ""),
                "businessTypes", gen.chance(0.9) ? types : gen.anyValue(1));
    }
}
