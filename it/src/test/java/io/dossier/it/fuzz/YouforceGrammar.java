package io.dossier.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Youforce requests: token forms (current and legacy endpoint), the HR resources with their paging,
 * time window and selection parameters, single records, and document uploads (v1.1 form, v1.0
 * related parts) with their status, each valid-ish or damaged.
 */
final class YouforceGrammar {

    /** The HR resources Youforce serves (in any case), then paths it does not. */
    static final List<String> RESOURCES = List.of("persons", "employments", "employees", "costAllocations", "organizationUnits", "roleAssignments",
            "jobProfiles", "companies", "contractTypes", "assignments", "costAllocation", "Persons");
    static final List<String> NO_RESOURCES = List.of("nope", "", "person", "roleassignment");
    static final List<String> PREFIXES = List.of("/youforce/learning/v1.0", "/youforce/iam/v1.0", "/youforce/learning/V1.0", "/youforce/IAM/v1.0");
    static final List<String> NO_PREFIXES = List.of("/youforce/learning/v1.1", "/youforce/learning//v1.0", "/youforce/learning/v2.0");
    static final List<String> PARAMETERS = List.of("take", "pageToken", "changedAfter", "changedUntil", "personCode", "personId", "shortName", "$filter");
    static final List<String> TYPES = List.of("certificate", "diploma", "appraisalReview", "performanceReview", "careerAgreement", "careerMail",
            "careerOther", "CERTIFICATE", "nope", "");
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final Fixture fixture;

    YouforceGrammar(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest token(Gen gen) {
        var client = gen.pick(fixture.youforceClients);
        var form = new ArrayList<String>();
        if (gen.chance(0.9)) {
            form.add("grant_type=" + (gen.chance(0.85) ? "client_credentials" : Fixture.enc(gen.pick("password", "", "refresh_token", gen.hostileString()))));
        }
        if (gen.chance(0.9)) {
            form.add("client_id=" + Fixture.enc(gen.chance(0.8) ? client[0] : gen.hostileString()));
        }
        if (gen.chance(0.9)) {
            form.add("client_secret=" + (gen.chance(0.8) ? Fixture.enc(client[1]) : gen.pick("", "%", "%zz", Fixture.enc(gen.hostileString()))));
        }
        if (gen.chance(0.1)) {
            form.add(gen.pick("tenant_id=" + fixture.tenant, "scope=Get_Basic", "=", "&&", "x=" + "y".repeat(gen.between(1000, 50_000))));
        }
        java.util.Collections.shuffle(form, new java.util.Random(gen.between(0, 1 << 30)));
        var builder = new FuzzRequest.Builder("youforce-token", gen.chance(0.95) ? "POST" : "GET",
                gen.chance(0.7) ? "/youforce/connect/token" : "/youforce/authentication/token");
        tenant(gen, builder);
        return builder.body(gen.pick("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/json",
                "text/plain", null), String.join("&", form)).build();
    }

    FuzzRequest hr(Gen gen) {
        var query = new ArrayList<String>();
        for (int i = gen.between(0, 4); i > 0; i--) {
            var name = gen.pick(PARAMETERS);
            query.add(Fixture.enc(name) + "=" + Fixture.enc(value(gen, name)));
        }
        // most requests reach an HR resource, so that its parameters and paging are what is fuzzed: with damaged
        // prefixes and resources as likely as whole ones, 40% of the requests ended at 404 before any of that
        var path = gen.pick(gen.chance(0.9) ? PREFIXES : NO_PREFIXES) + "/" + gen.pick(gen.chance(0.9) ? RESOURCES : NO_RESOURCES);
        if (gen.chance(0.2)) {
            path += "/" + Fixture.enc(gen.chance(0.5) ? gen.pick(fixture.personCodes) : gen.pick("0", "-1", "abc", "99999999999999999999", gen.hostileString()));
        }
        var builder = new FuzzRequest.Builder("youforce-hr", gen.chance(0.97) ? "GET" : gen.pick("POST", "DELETE", "HEAD"),
                path + (query.isEmpty() ? "" : "?" + String.join("&", query))).bearer(bearer(gen));
        tenant(gen, builder);
        return builder.build();
    }

    private String value(Gen gen, String parameter) {
        if (gen.chance(0.3)) {
            return gen.hostileString();
        }
        return switch (parameter) {
            case "take" -> gen.pick("1", "5", "500", "1000", "1001", "0", "-1", "abc", "2147483648", " 5");
            case "pageToken" -> gen.pick("abc.persons", ".persons", "x.y", "1.employments", "persons", "9999999999999999999999.persons", "");
            case "changedAfter", "changedUntil" -> gen.pick("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00Z", "2026-13-01T00:00:00.000Z",
                    "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2026-01-01", "yesterday");
            case "personCode", "personId" -> gen.chance(0.6) ? gen.pick(fixture.personCodes) : gen.pick("0", "-1", "' OR 1=1 --", "");
            default -> gen.pick("HR", "FIN", "x", "");
        };
    }

    FuzzRequest document(Gen gen) {
        if (gen.chance(0.2)) {
            var ticket = gen.chance(0.3) ? java.util.UUID.randomUUID().toString() : gen.pick("0", "abc", "..", gen.hostileString());
            var builder = new FuzzRequest.Builder("youforce-documents", "GET",
                    "/youforce/learning/" + gen.pick("v1.0", "v1.1") + "/employees/documents/" + Fixture.enc(ticket) + "/status").bearer(bearer(gen));
            tenant(gen, builder);
            return builder.build();
        }
        var person = Fixture.enc(gen.chance(0.8) ? gen.pick(fixture.personCodes) : gen.hostileString());
        var file = gen.chance(0.8) ? PDF : gen.pick(new byte[0], "not a pdf".getBytes(StandardCharsets.US_ASCII), "%PDF".repeat(gen.between(1, 50_000)).getBytes(StandardCharsets.US_ASCII));
        var boundary = gen.chance(0.8) ? "yf-" + gen.between(0, 1 << 30) : Multipart.boundary(gen);
        FuzzRequest.Builder builder;
        if (gen.chance(0.75)) {
            var parts = new ArrayList<Multipart.Part>();
            if (gen.chance(0.85)) {
                parts.add(Multipart.part("Description", null, null, text(gen, "certificate of the fuzzer")));
            }
            if (gen.chance(0.5)) {
                parts.add(Multipart.part("ValidFrom", null, null, text(gen, gen.pick("2021-01-01", "2021-13-01", "01-01-2021", ""))));
            }
            if (gen.chance(0.9)) {
                parts.add(Multipart.part(gen.chance(0.9) ? "file" : gen.pick("File", "document", ""), gen.pick("diploma.pdf", "", "x".repeat(400) + ".pdf", "🙂.pdf"),
                        gen.pick("application/pdf", "application/octet-stream", null), file));
            }
            java.util.Collections.shuffle(parts, new java.util.Random(gen.between(0, 1 << 30)));
            builder = new FuzzRequest.Builder("youforce-documents", "POST", "/youforce/learning/v1.1/employees/" + person + "/documents/" + Fixture.enc(gen.pick(TYPES)))
                    .body("multipart/form-data; boundary=" + boundary, Multipart.formData(boundary, parts, gen.chance(0.9)));
        } else {
            var metadata = gen.chance(0.8) ? "{ \"Description\":\"" + gen.pick("fuzz", "", "x".repeat(1200)) + "\", \"ValidFrom\" : \"" + gen.pick("2021-01-01", "x") + "\" }"
                    : gen.pick("", "{", "[]", "null", gen.hostileString());
            var parts = new ArrayList<Multipart.Part>();
            parts.add(Multipart.related("application/json; charset=UTF-8", metadata.getBytes(StandardCharsets.UTF_8)));
            if (gen.chance(0.9)) {
                parts.add(Multipart.related(gen.pick("application/pdf", "text/plain"), file));
            }
            builder = new FuzzRequest.Builder("youforce-documents", "POST", "/youforce/learning/v1.0/employees/" + person + "/documents/certificate")
                    .body("multipart/related; boundary=" + boundary, Multipart.formData(boundary, parts, gen.chance(0.9)));
        }
        builder.bearer(bearer(gen));
        tenant(gen, builder);
        return builder.build();
    }

    private static byte[] text(Gen gen, String usual) {
        return (gen.chance(0.8) ? usual : gen.hostileString()).getBytes(StandardCharsets.UTF_8);
    }

    private String bearer(Gen gen) {
        return gen.chance(0.9) ? gen.pick(fixture.youforceTokens) : gen.pick("", "nosuchtoken", fixture.publisherToken, "x".repeat(5000));
    }

    private void tenant(Gen gen, FuzzRequest.Builder builder) {
        if (gen.chance(0.9)) {
            builder.header(gen.pick("X-Raet-Tenant-Id", "x-raet-tenant-id"), gen.chance(0.9) ? fixture.tenant : gen.pick("", "nosuch", "x".repeat(3000)));
        }
    }
}
