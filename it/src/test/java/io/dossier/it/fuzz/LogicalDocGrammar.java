package io.dossier.it.fuzz;

import java.util.List;

/**
 * LogicalDOC requests: SOAP calls of every {@code DocumentMetadata} and {@code Auth} method with
 * their parameters right, wrong, long or missing, nested templates, attribute sets and access
 * control lists, damaged envelopes; and the REST routes with query, form and JSON bodies. Under
 * the fixture's session, a wrong one, or none.
 */
final class LogicalDocGrammar {

    static final List<String> METHODS = List.of("getAttributeSetById", "getAttributeSet", "listAttributeSets", "storeAttributeSet", "deleteAttributeSet",
            "getTemplateById", "getTemplate", "listTemplates", "storeTemplate", "deleteTemplate", "getAttributeOptions", "getAttributeOptionsByCategory",
            "setAttributeOptions", "addAttributeOption", "grantUserToTemplate", "grantGroupToTemplate", "getGrantedUsers", "getGrantedGroups",
            "isTemplateReadable", "isTemplateWritable", "isReadable", "isWritable", "getAccessControlList", "setAccessControlList", "noSuchMethod");
    static final List<String> AUTH = List.of("login", "loginApiKey", "logout", "valid", "renew");
    static final List<String> PARAMETERS = List.of("setId", "name", "templateId", "attribute", "category", "values", "option", "value", "userId", "groupId",
            "permissions", "id");
    /**
     * The parameters each method reads. Half the calls send exactly these (with values that name
     * the fixture's sets, templates, attributes and users more often than not): with parameters
     * drawn at random from all of them, 239 of 263 calls were refused with a fault before their
     * method did anything.
     */
    static final java.util.Map<String, List<String>> PARAMETERS_OF = java.util.Map.ofEntries(
            java.util.Map.entry("getAttributeSetById", List.of("setId")), java.util.Map.entry("getAttributeSet", List.of("name")),
            java.util.Map.entry("deleteAttributeSet", List.of("setId")), java.util.Map.entry("getTemplateById", List.of("templateId")),
            java.util.Map.entry("getTemplate", List.of("name")), java.util.Map.entry("deleteTemplate", List.of("templateId")),
            java.util.Map.entry("getAttributeOptions", List.of("setId", "attribute")),
            java.util.Map.entry("getAttributeOptionsByCategory", List.of("setId", "attribute", "category")),
            java.util.Map.entry("setAttributeOptions", List.of("setId", "attribute", "values", "values")),
            java.util.Map.entry("addAttributeOption", List.of("setId", "attribute", "value", "category")),
            java.util.Map.entry("grantUserToTemplate", List.of("templateId", "userId", "permissions")),
            java.util.Map.entry("grantGroupToTemplate", List.of("templateId", "groupId", "permissions")),
            java.util.Map.entry("getGrantedUsers", List.of("templateId")), java.util.Map.entry("getGrantedGroups", List.of("templateId")),
            java.util.Map.entry("isTemplateReadable", List.of("templateId")), java.util.Map.entry("isTemplateWritable", List.of("templateId")),
            java.util.Map.entry("isReadable", List.of("templateId")), java.util.Map.entry("isWritable", List.of("templateId")),
            java.util.Map.entry("getAccessControlList", List.of("templateId")), java.util.Map.entry("setAccessControlList", List.of("templateId")));
    /** Names the fixture's objects have, beside {@link #VALUES}. */
    static final List<String> NAMES = List.of("Fuzz parties", "Fuzz contract", "Fuzz letter", "party", "lease", "amount", "Pleading");

    static final List<String> VALUES = List.of("1", "2", "3", "5", "0", "-1", "99999999999999999999", "1.5", "true", "lease", "Contracts", "",
            " 7 ", "&lt;b&gt;", "&#0;", "&#xD800;");
    static final List<String> ATTRIBUTE_FIELDS = List.of("name", "type", "mandatory", "hidden", "editor", "multiple", "label", "position", "readonly",
            "parent", "validation", "dependsOn", "initialization", "setId", "stringValue", "intValue", "options");

    private final Fixture fixture;

    LogicalDocGrammar(Fixture fixture) {
        this.fixture = fixture;
    }

    static String envelope(String body) {
        return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ws=\"http://ws.logicaldoc.com\">"
                + "<soapenv:Header/><soapenv:Body>" + body + "</soapenv:Body></soapenv:Envelope>";
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    FuzzRequest soap(Gen gen) {
        var auth = gen.chance(0.15);
        var method = auth ? gen.pick(AUTH) : gen.pick(METHODS);
        var inner = new StringBuilder();
        if (auth && method.equals("login")) {
            inner.append("<username>").append(gen.chance(0.7) ? xml(fixture.logicalDocLogin[0]) : value(gen)).append("</username>")
                    .append("<password>").append(gen.chance(0.5) ? xml(fixture.logicalDocLogin[1]) : value(gen)).append("</password>");
        } else if (auth && method.equals("loginApiKey")) {
            inner.append("<apiKey>").append(gen.chance(0.5) ? xml(fixture.logicalDocApiKey) : value(gen)).append("</apiKey>");
        } else if (!method.equals("logout") || gen.chance(0.05)) {   // never the fixture's own session, which the run relies on
            if (gen.chance(0.95)) {
                inner.append("<sid>").append(gen.chance(0.9) && !method.equals("logout") ? fixture.logicalDocSid : value(gen)).append("</sid>");
            }
        }
        if (!auth) {
            var wellFormed = PARAMETERS_OF.containsKey(method) && gen.chance(0.5);
            for (var parameter : wellFormed ? PARAMETERS_OF.get(method) : pick(gen, PARAMETERS, 4)) {
                var v = wellFormed && gen.chance(0.7) ? (parameter.endsWith("Id") ? Integer.toString(gen.between(1, 6))
                        : xml(gen.pick(NAMES))) : value(gen);
                inner.append('<').append(parameter).append('>').append(v).append("</").append(parameter).append('>');
            }
            if (method.equals("storeTemplate") || gen.chance(0.05)) {
                inner.append(object(gen, "template"));
            }
            if (method.equals("storeAttributeSet") || gen.chance(0.05)) {
                inner.append(object(gen, "attributeSet"));
            }
            if (method.equals("setAccessControlList")) {
                for (int i = gen.between(0, 3); i > 0; i--) {
                    inner.append("<acl>");
                    for (var field : pick(gen, List.of("userId", "groupId", "read", "write", "permissions", "type"), 6)) {
                        inner.append('<').append(field).append('>').append(value(gen)).append("</").append(field).append('>');
                    }
                    inner.append("</acl>");
                }
            }
        }
        var body = envelope("<ws:" + method + ">" + inner + "</ws:" + method + ">");
        if (gen.chance(0.05)) {
            body = switch (gen.between(0, 4)) {
                case 0 -> body.substring(0, gen.between(0, body.length()));
                case 1 -> "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + body.replace("</sid>", "&e;</sid>");
                case 2 -> "<a>".repeat(gen.between(100, 20_000)) + body;
                case 3 -> gen.hostileString();
                default -> body.replace("soapenv:Body", "soapenv:Bodi");
            };
        }
        var builder = new FuzzRequest.Builder("logicaldoc-soap", "POST", "/logicaldoc/services/" + (auth ? "Auth" : gen.chance(0.97) ? "DocumentMetadata" : "Nope"));
        if (gen.chance(0.9)) {
            builder.header("SOAPAction", gen.pick("\"\"", "\"" + method + "\"", method, ""));
        }
        return builder.body(gen.pick("text/xml; charset=utf-8", "text/xml", "application/soap+xml", "application/json", null), body).build();
    }

    FuzzRequest rest(Gen gen) {
        var base = "/logicaldoc/services/rest/documentMetadata/";
        var method = gen.pick(METHODS);
        var query = new StringBuilder();
        for (var parameter : pick(gen, PARAMETERS, 4)) {
            query.append(query.isEmpty() ? "?" : "&").append(parameter).append('=').append(Fixture.enc(gen.chance(0.8) ? gen.pick(VALUES) : gen.hostileString()));
        }
        var verb = switch (method) {
            case "deleteAttributeSet", "deleteTemplate" -> "DELETE";
            case "grantUserToTemplate", "grantGroupToTemplate", "setAttributeOptions", "setAccessControlList" -> gen.pick("PUT", "POST");
            case "storeTemplate", "storeAttributeSet", "addAttributeOption" -> "POST";
            default -> gen.chance(0.9) ? "GET" : "POST";
        };
        var builder = new FuzzRequest.Builder("logicaldoc-rest", verb, base + method + query);
        switch (gen.between(0, 5)) {
            case 0, 1, 2 -> builder.header("sid", fixture.logicalDocSid);
            case 3 -> builder.header("X-API-KEY", gen.chance(0.7) ? fixture.logicalDocApiKey : gen.hostileString().replace('\r', ' ').replace('\n', ' '));
            case 4 -> builder.header("Cookie", "ldoc-sid=" + (gen.chance(0.7) ? fixture.logicalDocSid : "nosuch"));
            default -> { }
        }
        if (verb.equals("POST") || verb.equals("PUT")) {
            if (gen.chance(0.6)) {
                var json = "{\"id\":" + gen.pick("0", "1", "\"x\"", "null") + ",\"name\":\"" + gen.pick("fuzz-" + gen.between(0, 1_000_000), "", "x".repeat(300))
                        + "\",\"attributes\":[" + (gen.chance(0.5) ? "{\"name\":\"a\",\"type\":" + gen.pick("0", "9", "\"x\"") + "}" : "") + "]}";
                builder.body(gen.pick("application/json", "text/plain"), gen.chance(0.9) ? json : gen.breakJson(json));
            } else {
                builder.body("application/x-www-form-urlencoded", "templateId=" + Fixture.enc(gen.pick(VALUES)) + "&userId=" + Fixture.enc(gen.pick(VALUES))
                        + "&permissions=" + Fixture.enc(gen.pick(VALUES)) + "&attribute=" + Fixture.enc(gen.pick(VALUES)) + "&option=" + Fixture.enc(gen.pick(VALUES)));
            }
        }
        return builder.build();
    }

    private String value(Gen gen) {
        if (gen.chance(0.85)) {
            return gen.pick(VALUES);
        }
        return gen.chance(0.7) ? xml(gen.hostileString()) : gen.pick("<x/>", "<a><b>1</b></a>", "");
    }

    private String object(Gen gen, String element) {
        var out = new StringBuilder("<" + element + ">");
        for (var field : pick(gen, List.of("id", "name", "description", "type", "readonly", "lastModified", "position"), 7)) {
            out.append('<').append(field).append('>').append(field.equals("name") && gen.chance(0.6) ? "fuzz-" + gen.between(0, 1_000_000) : value(gen))
                    .append("</").append(field).append('>');
        }
        for (int i = gen.between(0, 4); i > 0; i--) {
            out.append("<attributes>");
            for (var field : pick(gen, ATTRIBUTE_FIELDS, ATTRIBUTE_FIELDS.size())) {
                out.append('<').append(field).append('>').append(value(gen)).append("</").append(field).append('>');
            }
            out.append("</attributes>");
        }
        return out.append("</").append(element).append('>').toString();
    }

    /** Up to {@code most} of {@code options}, each at most once, in a random order. */
    private static List<String> pick(Gen gen, List<String> options, int most) {
        var shuffled = new java.util.ArrayList<>(options);
        java.util.Collections.shuffle(shuffled, new java.util.Random(gen.between(0, 1 << 30)));
        return shuffled.subList(0, gen.between(0, Math.min(most, shuffled.size())));
    }
}
