package io.dossier.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opus 2 requests over every route: tokens, users, teams, templates, projects and their teams and
 * users, folders, documents (multipart uploads, new versions, replacements, moves, fields, deletes)
 * and the reads, with JSON bodies from each route's fields (right and wrong types, long and odd
 * values, broken JSON) under a read-write, a read-only or a wrong token. Ids are small numbers, so
 * that many name what the demo holds.
 */
final class Opus2Grammar {

    static final byte[] PDF = YouforceGrammar.PDF;

    private final Fixture fixture;

    Opus2Grammar(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest request(Gen gen) {
        var project = gen.chance(0.5) ? gen.pick(fixture.opus2Projects) : id(gen);   // the fixture's projects, or small ids
        String method;
        String path;
        Map<String, Object> body = null;
        byte[] form = null;
        String boundary = null;
        switch (gen.between(0, 13)) {
            case 0 -> {
                method = "POST";
                path = "/tokens";
                body = gen.fields("name", gen.text());
            }
            case 1 -> {
                method = "POST";
                path = "/users";
                body = gen.fields("email", email(gen), "name", gen.text());
            }
            case 2 -> {
                method = gen.pick("PUT", "DELETE");
                path = "/teams/" + id(gen) + "/users/" + Fixture.enc(email(gen).toString());
            }
            case 3 -> {
                method = "POST";
                path = "/templates";
                body = gen.fields("name", gen.text(), "fields", gen.anyValue(2));
            }
            case 4 -> {
                method = "POST";
                path = "/projects";
                body = gen.fields("name", gen.text(), "description", gen.text(), "templateId", gen.chance(0.7) ? gen.between(0, 5) : gen.anyValue(1));
            }
            case 5 -> {
                method = gen.pick("PUT", "DELETE");
                path = "/projects/" + project + (gen.chance(0.5) ? "/teams/" + id(gen) : "/users/" + Fixture.enc(email(gen).toString()));
            }
            case 6 -> {
                method = "POST";
                path = "/projects/" + project + "/folders";
                body = gen.fields("name", gen.text(), "parentId", gen.chance(0.7) ? gen.between(0, 12) : gen.anyValue(1));
            }
            case 7 -> {
                method = "DELETE";
                path = "/projects/" + project + "/folders/" + id(gen);
            }
            case 8, 9 -> {
                method = "POST";
                var replace = gen.chance(0.3);
                path = "/projects/" + project + "/documents" + (replace ? "/" + id(gen) + gen.pick("", "/replace") : "");
                boundary = gen.chance(0.8) ? "o2-" + gen.between(0, 1 << 30) : Multipart.boundary(gen);
                form = upload(gen, boundary);
            }
            case 10 -> {
                method = "PATCH";
                path = "/projects/" + project + "/documents/" + id(gen);
                body = gen.fields("name", gen.text(), "description", gen.text(), "folderId", gen.between(0, 12));
            }
            case 11 -> {
                method = gen.pick("DELETE", "PUT");
                path = "/projects/" + project + "/documents/" + id(gen) + gen.pick("", "/versions/" + id(gen), "/" + id(gen));
            }
            case 12 -> {
                method = "PUT";
                path = "/projects/" + project + "/documents/" + id(gen) + "/fields/" + id(gen);
                body = gen.fields("value", gen.chance(0.6) ? gen.text() : gen.anyValue(1));
            }
            default -> {
                method = gen.chance(0.9) ? "GET" : gen.pick("HEAD", "OPTIONS", "POST");
                path = gen.pick("/users", "/teams", "/roles", "/templates", "/projects", "/projects/" + project, "/projects/" + project + "/documents",
                        "/projects/" + project + "/folders", "/projects/" + project + "/documents/" + id(gen), "/user/id/" + id(gen),
                        "/user/byemail?email=" + Fixture.enc(email(gen).toString()), "/teams/" + id(gen) + "/users", "/openapi.json",
                        "/projects?page=" + gen.pick("0", "1", "-1", "x", "99999999999") + "&pageSize=" + gen.pick("1", "100", "1000", "0", "x"));
            }
        }
        var builder = new FuzzRequest.Builder("opus2", method, "/opus2" + path);
        if (gen.chance(0.93)) {
            builder.header(gen.pick("X-API-Token", "X-API-Token", "x-api-token", "X-Tenant-Token"),
                    gen.chance(0.9) ? gen.pick(fixture.opus2Tokens) : gen.pick("", "nosuch", fixture.owsApiKey, "x".repeat(3000)));
        }
        if (form != null) {
            builder.body(gen.chance(0.9) ? "multipart/form-data; boundary=" + boundary : gen.pick("multipart/related; boundary=" + boundary, "application/json"), form);
        } else if (body != null || gen.chance(0.05)) {
            var text = body == null ? "" : Gen.json(body);
            if (gen.chance(0.1)) {
                text = gen.breakJson(text);
            }
            if (gen.chance(0.04)) {
                text = gen.pick("", "null", "[]", "\"x\"", "1", "{}", "[{}, {\"email\": 1}]", Gen.deep(gen.between(100, 20_000), true, gen.chance(0.5)).text());
            }
            builder.body(gen.pick("application/json", "application/json", "application/json; charset=utf-8", "text/plain", null), text);
        }
        return builder.build();
    }

    private byte[] upload(Gen gen, String boundary) {
        var parts = new ArrayList<Multipart.Part>();
        var names = new ArrayList<>(List.of("name", "description", "fields", "documentDate"));
        java.util.Collections.shuffle(names, new java.util.Random(gen.between(0, 1 << 30)));
        names = new ArrayList<>(names.subList(0, gen.between(0, names.size())));
        if (gen.chance(0.85)) {
            names.add("folderId");
        }
        for (var name : names) {
            var value = switch (name) {
                case "folderId" -> gen.chance(0.8) ? (gen.chance(0.7) ? gen.pick(fixture.opus2Folders) : Integer.toString(gen.between(0, 12))) : gen.hostileString();
                case "fields" -> gen.chance(0.3) ? "{}" : gen.chance(0.6) ? Gen.json(gen.anyValue(2)) : gen.hostileString();
                case "documentDate" -> gen.pick("2026-01-01", "2026-13-01", "yesterday", "");
                default -> gen.chance(0.7) ? "fuzz " + gen.between(0, 1_000_000) : gen.hostileString();
            };
            parts.add(Multipart.part(name, null, null, value.getBytes(StandardCharsets.UTF_8)));
        }
        if (gen.chance(0.9)) {
            var content = gen.chance(0.8) ? PDF : gen.pick(new byte[0], "plain text".getBytes(StandardCharsets.US_ASCII));
            parts.add(Multipart.part(gen.chance(0.9) ? "file" : gen.pick("File", "document", ""), gen.pick("a.pdf", "", "n".repeat(300) + ".pdf", "🙂.pdf", "../x.pdf"),
                    gen.pick("application/pdf", "application/octet-stream", null), content));
        }
        java.util.Collections.shuffle(parts, new java.util.Random(gen.between(0, 1 << 30)));
        return Multipart.formData(boundary, parts, gen.chance(0.9));
    }

    private String id(Gen gen) {
        return gen.chance(0.8) ? Integer.toString(gen.between(1, 12)) : Fixture.enc(gen.pick("0", "-1", "abc", "99999999999999999999", "1.5", "", gen.hostileString()));
    }

    private Object email(Gen gen) {
        return gen.chance(0.6) ? "fz" + gen.between(0, 1_000_000) + "@" + fixture.tenant + ".example"
                : gen.pick("not-an-email", "", "x".repeat(300) + "@b.c", "a@b", gen.hostileString());
    }

}
