package io.dossier.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OWS requests: JSON-RPC and XML-RPC calls built from one call grammar (method, session, params as
 * a list or as an object keyed "0"; getListEx searches with what, nested conditions, sort, limit;
 * MultiService batches as lists and as keyed objects), then damaged at the value, document or byte
 * level; multipart uploads; downloads with ranges; the info pages.
 */
final class OwsGrammar {

    static final List<String> SERVICES = List.of("CandidateService", "VacancyService", "RelationService", "RelationContactService",
            "UserService", "DocumentTypeService", "TaskService", "SalesTrajectoryService", "ProjectService");
    static final List<String> METHODS = List.of("getListEx", "getListEx", "getListEx", "getList", "getDetail", "add", "update",
            "updateEx", "delete", "getOptionLists", "setLanguage", "nope");
    /** Field paths of the demo's services, some that do not exist, and some not listable or filterable. */
    static final List<String> FIELDS = List.of("uid", "Person.firstName", "Person.lastName", "Person.emailPrimary", "Person.birthdate",
            "Person.PhoneNumbers.phoneNumber", "Person.PhoneNumbers.type", "Person.AddressPrimary.city", "Person.gender", "statusId",
            "userId", "entryDateTime", "lastModified", "availableAt", "salaryExpectation", "UtmTags.source", "Addresses.city",
            "title", "location.city", "Skills.name", "published", "startDate", "salaryMin", "name", "email", "Address.city",
            "relationUid", "subject", "dueDate", "forDocuments", "nope", "Person", "Person.nope", "", "Person..lastName", "uid.x");
    static final List<String> OPS = List.of("EQ", "NE", "GE", "GT", "LE", "LT", "T", "F", "LIKE", "NLIKE", "eq", "XX", "");

    private final Fixture fixture;

    OwsGrammar(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest jsonRpc(Gen gen) {
        Object document = gen.chance(0.1) ? batch(gen) : call(gen, 0);
        var text = Gen.json(document);
        if (gen.chance(0.15)) {
            text = gen.breakJson(text);
        }
        if (gen.chance(0.03)) {
            text = gen.pick("", "null", "[]", "{}", "\"x\"", "1", "[null]", "[[]]", Gen.deep(gen.between(100, 50_000), gen.chance(0.5), gen.chance(0.5)).text());
        }
        var contentType = gen.pick("application/json", "application/json", "application/json; charset=utf-8", "text/plain",
                "application/x-www-form-urlencoded", "applicaton/jsno", "application/json; charset=bogus", null);
        return new FuzzRequest.Builder("ows-json", "POST", "/ows/jservice.php").body(contentType, text).build();
    }

    private List<Object> batch(Gen gen) {
        var calls = new ArrayList<Object>();
        for (int i = gen.between(0, 5); i > 0; i--) {
            calls.add(gen.chance(0.9) ? call(gen, 1) : gen.anyValue(1));
        }
        return calls;
    }

    /** One JSON-RPC request object. */
    Map<String, Object> call(Gen gen, int depth) {
        var method = method(gen);
        var call = new LinkedHashMap<String, Object>();
        if (gen.chance(0.9)) {
            call.put("jsonrpc", gen.chance(0.95) ? "2.0" : gen.pick("1.0", "3", null));
        }
        if (gen.chance(0.97)) {
            call.put("method", gen.chance(0.97) ? method : gen.anyValue(1));
        }
        if (gen.chance(0.97)) {
            call.put("params", params(gen, method, depth));
        }
        if (gen.chance(0.9)) {
            call.put("id", gen.chance(0.8) ? gen.between(0, 100) : gen.anyValue(1));
        }
        return call;
    }

    private String method(Gen gen) {
        return switch (gen.between(0, 19)) {
            case 0 -> gen.pick("loginByUid", "check", "logout");
            case 1 -> "Otys.Services.MultiService.execute";
            case 2 -> "Otys.Services.LanguageService.wrapRequest";
            case 3 -> "Otys.Services.AttachedDocumentsService." + gen.pick("add", "getDetail", "update", "delete", "nope");
            case 4 -> "Otys.Services.DossierService." + gen.pick("getList", "getCount", "nope");
            case 5 -> gen.pick("Otys.Services.", "Otys.Services.CandidateService", "Otys.Services..getListEx", "", "x".repeat(5000));
            case 6, 7, 8, 9, 10 -> "Otys.Services.CandidateService." + gen.pick(METHODS);
            default -> "Otys.Services." + gen.pick(SERVICES) + "." + gen.pick(METHODS);
        };
    }

    /** The session argument: the fixture's valid one mostly, else something that is not one. */
    private Object session(Gen gen) {
        return gen.chance(0.85) ? fixture.owsSession : gen.pick(null, "", "nosuchsession", 12, List.of(), Map.of(), gen.hostileString());
    }

    private Object params(Gen gen, String method, int depth) {
        var args = new ArrayList<Object>();
        switch (method) {
            case "loginByUid" -> args.add(gen.chance(0.5) ? fixture.owsApiKey : gen.anyValue(1));
            case "logout" -> args.add(gen.pick("nosuchsession", "", null, 1)); // never the fixture's session
            case "check" -> args.add(session(gen));
            case "Otys.Services.MultiService.execute" -> {
                args.add(depth > 2 ? gen.anyValue(1) : multi(gen, depth));
            }
            case "Otys.Services.LanguageService.wrapRequest" -> {
                args.add(language(gen));
                args.add(depth > 2 ? gen.anyValue(1) : call(gen, depth + 1));
            }
            default -> {
                args.add(session(gen));
                args.addAll(arguments(gen, method));
            }
        }
        if (gen.chance(0.05)) {
            args.add(gen.anyValue(2)); // one argument too many
        }
        if (gen.chance(0.05) && !args.isEmpty()) {
            args.set(gen.between(0, args.size() - 1), gen.anyValue(2));
        }
        if (gen.chance(0.15)) {
            // PHP associative arrays: {"0": session, "what": …} — the getListEx search merged in
            var keyed = new LinkedHashMap<String, Object>();
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) instanceof Map<?, ?> map && i == 1 && gen.chance(0.7)) {
                    map.forEach((k, v) -> keyed.put(String.valueOf(k), v));
                } else {
                    keyed.put(Integer.toString(i), args.get(i));
                }
            }
            return keyed;
        }
        return gen.chance(0.02) ? gen.anyValue(1) : args;
    }

    private Object multi(Gen gen, int depth) {
        if (gen.chance(0.5)) {
            var list = new ArrayList<Object>();
            for (int i = gen.between(0, 4); i > 0; i--) {
                list.add(gen.chance(0.9) ? multiItem(gen, depth) : gen.anyValue(1));
            }
            return list;
        }
        var keyed = new LinkedHashMap<String, Object>();
        for (int i = gen.between(0, 4); i > 0; i--) {
            keyed.put(gen.pick("gdpr", "candidate", "vacancies", "0", "1", "", gen.hostileString()), gen.chance(0.9) ? multiItem(gen, depth) : gen.anyValue(1));
        }
        return gen.chance(0.5) ? List.of(keyed) : keyed;
    }

    private Map<String, Object> multiItem(Gen gen, int depth) {
        var inner = call(gen, depth + 1);
        var item = new LinkedHashMap<String, Object>();
        item.put("method", inner.get("method"));
        item.put(gen.chance(0.9) ? "args" : "params", inner.get("params"));
        return item;
    }

    private List<Object> arguments(Gen gen, String method) {
        var name = method.substring(method.lastIndexOf('.') + 1);
        var service = method.contains(".") ? method.substring(0, method.lastIndexOf('.')) : "";
        var args = new ArrayList<Object>();
        if (service.endsWith("AttachedDocumentsService")) {
            switch (name) {
                case "add" -> args.add(documentFields(gen));
                case "update" -> {
                    args.add(documentId(gen));
                    args.add(documentFields(gen));
                }
                default -> args.add(documentId(gen));
            }
            return args;
        }
        if (service.endsWith("DossierService")) {
            var search = new LinkedHashMap<String, Object>();
            search.put("objectEntityId", gen.chance(0.8) ? gen.pick(1, 2, 3, 4, 28, 48, 158, "2") : gen.anyValue(1));
            search.put("objectUid", gen.chance(0.7) ? recordUid(gen) : gen.anyValue(1));
            if (gen.chance(0.5)) {
                search.put("restrictClass", gen.chance(0.8) ? List.of("AttachedDocs") : gen.anyValue(1));
            }
            search.put("limit", gen.chance(0.8) ? gen.between(0, 300) : gen.hostileNumber());
            search.put("offset", gen.chance(0.8) ? gen.between(0, 10) : gen.hostileNumber());
            args.add(search);
            return args;
        }
        switch (name) {
            case "getListEx", "getList" -> args.add(search(gen));
            case "getDetail" -> {
                args.add(recordUid(gen));
                if (gen.chance(0.7)) {
                    args.add(what(gen));
                }
            }
            case "add" -> args.add(recordFields(gen));
            case "update", "updateEx" -> {
                args.add(recordUid(gen));
                args.add(recordFields(gen));
            }
            case "delete" -> args.add(gen.chance(0.3) ? recordUid(gen) : gen.pick("0", "nosuch", "", gen.hostileString()));
            case "getOptionLists" -> args.add(gen.chance(0.6) ? List.of(gen.pick(FIELDS), gen.pick(FIELDS)) : gen.anyValue(2));
            case "setLanguage" -> args.add(language(gen));
            default -> args.add(gen.anyValue(2));
        }
        return args;
    }

    private Object language(Gen gen) {
        return gen.chance(0.8) ? gen.pick("en", "nl", "de", "fr", "es", "NL", "") : gen.anyValue(1);
    }

    private Object recordUid(Gen gen) {
        return gen.chance(0.7) && !fixture.candidateUids.isEmpty() ? gen.pick(fixture.candidateUids)
                : gen.chance(0.5) && !fixture.vacancyUids.isEmpty() ? gen.pick(fixture.vacancyUids) : gen.anyValue(1);
    }

    private Object documentId(Gen gen) {
        return gen.chance(0.6) && !fixture.documentIds.isEmpty() ? gen.pick(fixture.documentIds) : gen.pick("0", "-1", "abc", "99999999999999999999", "");
    }

    private Map<String, Object> documentFields(Gen gen) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put(gen.pick("candidateUid", "vacancyUid", "relationUid", "relationContactUid", "taskUid", "salesTrajectoryUid", "projectUid", "nopeUid"),
                recordUid(gen));
        fields.put("fileUid", gen.chance(0.7) && !fixture.uploadOuids.isEmpty() ? gen.pick(fixture.uploadOuids) : gen.anyValue(1));
        fields.put("typeId", gen.chance(0.7) && !fixture.documentTypeIds.isEmpty() ? gen.pick(fixture.documentTypeIds) : gen.anyValue(1));
        if (gen.chance(0.8)) {
            fields.put("subject", gen.chance(0.7) ? "fuzz" : gen.anyValue(1));
        }
        if (gen.chance(0.5)) {
            fields.put("private", gen.pick("false", "true", false, 1, "maybe", null));
        }
        return fields;
    }

    /** A getListEx search: what, a condition tree, sort, paging, and the odd real-client extra. */
    Map<String, Object> search(Gen gen) {
        var search = new LinkedHashMap<String, Object>();
        if (gen.chance(0.85)) {
            search.put("what", what(gen));
        }
        if (gen.chance(0.6)) {
            search.put("condition", gen.chance(0.05) ? null : condition(gen, 0));
        }
        if (gen.chance(0.4)) {
            var sort = new LinkedHashMap<String, Object>();
            for (int i = gen.between(0, 3); i > 0; i--) {
                sort.put(gen.pick(FIELDS), gen.chance(0.85) ? gen.pick("ASC", "DESC", "asc") : gen.anyValue(1));
            }
            search.put("sort", gen.chance(0.9) ? sort : gen.anyValue(1));
        }
        if (gen.chance(0.7)) {
            search.put("limit", gen.chance(0.7) ? gen.between(0, 250) : gen.hostileNumber());
        }
        if (gen.chance(0.4)) {
            search.put("offset", gen.chance(0.7) ? gen.between(0, 400) : gen.hostileNumber());
        }
        if (gen.chance(0.4)) {
            search.put("getTotalCount", gen.pick(1, true, "1", 0, false, "yes", null));
        }
        if (gen.chance(0.1)) {
            search.put("excludeLimitCheck", gen.pick(true, false, "1"));
        }
        if (gen.chance(0.1)) {
            search.put("search", Gen.map("ACTONOMY", Gen.map("DATA", Gen.map("keywords", Gen.map("options", Gen.map("searchList", List.of("emailAddress")),
                    "value", gen.chance(0.5) ? "\"a@b.c\"" : gen.anyValue(1))), "OPTIONS", Gen.map("limit", 1, "getTotalCount", 1), "VERSION", 2)));
        }
        if (gen.chance(0.05)) {
            search.put(gen.pick("nope", "searchExtras", "WHAT"), gen.anyValue(2));
        }
        return search;
    }

    private Object what(Gen gen) {
        if (gen.chance(0.05)) {
            return gen.anyValue(2);
        }
        var what = new LinkedHashMap<String, Object>();
        for (int i = gen.between(0, 8); i > 0; i--) {
            var path = gen.pick(FIELDS).split("\\.");
            Map<String, Object> at = what;
            for (int p = 0; p < path.length - 1; p++) {
                var child = at.get(path[p]) instanceof Map<?, ?> m ? m : new LinkedHashMap<String, Object>();
                @SuppressWarnings("unchecked")
                var typed = (Map<String, Object>) child;
                at.put(path[p], typed);
                at = typed;
            }
            at.put(path.length == 0 ? "" : path[path.length - 1], gen.chance(0.85) ? gen.pick(1, true, "1", 0, "true") : gen.anyValue(1));
        }
        return what;
    }

    /** A condition tree: AND/OR nodes over COND leaves, with the occasional wrong node. */
    Object condition(Gen gen, int depth) {
        if (gen.chance(0.04)) {
            return gen.anyValue(2);
        }
        var node = new LinkedHashMap<String, Object>();
        if (depth < 4 && gen.chance(0.35)) {
            node.put("type", gen.pick("AND", "OR", "and", "XOR"));
            var items = new ArrayList<Object>();
            for (int i = gen.between(0, 4); i > 0; i--) {
                items.add(condition(gen, depth + 1));
            }
            node.put("items", gen.chance(0.95) ? items : gen.anyValue(1));
            return node;
        }
        node.put("type", gen.chance(0.95) ? "COND" : gen.anyValue(1));
        if (gen.chance(0.95)) {
            node.put("field", gen.chance(0.95) ? gen.pick(FIELDS) : gen.anyValue(1));
        }
        if (gen.chance(0.95)) {
            node.put("op", gen.chance(0.95) ? gen.pick(OPS) : gen.anyValue(1));
        }
        if (gen.chance(0.9)) {
            node.put("param", switch (gen.between(0, 6)) {
                case 0 -> gen.between(-5, 400);
                case 1 -> gen.pick("2024-01-01", "2024-01-01 12:00:00", "%an%", "Jansen", "1", "true", "en");
                case 2 -> gen.hostileNumber();
                case 3 -> gen.hostileString();
                case 4 -> gen.pick(true, false);
                case 5 -> gen.chance(0.5) ? List.of("1", "2") : Map.of("a", 1);
                default -> recordUid(gen);
            });
        }
        return node;
    }

    private Map<String, Object> recordFields(Gen gen) {
        var fields = new LinkedHashMap<String, Object>();
        for (int i = gen.between(0, 5); i > 0; i--) {
            switch (gen.between(0, 7)) {
                case 0 -> fields.put("Person", Gen.map(gen.pick("lastName", "firstName", "birthdate", "gender", "nope"),
                        gen.chance(0.6) ? gen.pick("Fuzz", "1990-01-01", "m", "") : gen.anyValue(1)));
                case 1 -> {
                    var phones = new LinkedHashMap<String, Object>();
                    phones.put(gen.pick("1", "2", "0", "x"), Gen.map("type", gen.pick("mobile", "work", "nope"), "phoneNumber", gen.pick("+31 6 1234", "")));
                    if (gen.chance(0.5)) {
                        phones.put("DELETE", gen.chance(0.7) ? List.of() : gen.anyValue(1));
                    }
                    fields.put(gen.pick("PhoneNumbers", "Addresses", "Skills"), gen.chance(0.9) ? phones : gen.anyValue(1));
                }
                case 2 -> fields.put(gen.pick("statusId", "userId", "categoryId", "hoursPerWeek"), gen.chance(0.5) ? gen.pick(1, "1", 2) : gen.hostileNumber());
                case 3 -> fields.put(gen.pick("title", "name", "subject", "source"), gen.chance(0.5) ? "fuzz" : gen.hostileString());
                case 4 -> fields.put(gen.pick("published", "forDocuments", "doNotContact"), gen.pick(true, "false", "1", "maybe", 2));
                case 5 -> fields.put(gen.pick("availableAt", "startDate", "dueDate", "entryDateTime"), gen.pick("2024-02-30", "2024-01-01", "x", 0));
                case 6 -> fields.put(gen.pick("uid", "lastModified", "nope"), gen.anyValue(1));
                default -> fields.put(gen.pick(FIELDS), gen.anyValue(2));
            }
        }
        return fields;
    }

    // ---- XML-RPC

    FuzzRequest xmlRpc(Gen gen) {
        var call = call(gen, 0);
        var out = new StringBuilder();
        if (gen.chance(0.8)) {
            out.append(gen.pick("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
                    "<?xml version=\"1.0\" encoding=\"bogus\"?>", "<?xml version=\"1.1\"?>", "\uFEFF<?xml version=\"1.0\"?>"));
        }
        if (gen.chance(0.06)) {
            out.append(gen.pick("<!DOCTYPE methodCall [<!ENTITY x \"" + "x".repeat(1000) + "\"><!ENTITY y \"&x;&x;&x;&x;&x;&x;&x;&x;\">]>",
                    "<!DOCTYPE methodCall SYSTEM \"file:///etc/passwd\">", "<!DOCTYPE methodCall [<!ENTITY e SYSTEM \"http://127.0.0.1:1/\">]>"));
        }
        out.append("<methodCall><methodName>").append(escape(String.valueOf(call.get("method")))).append("</methodName><params>");
        var params = call.get("params") instanceof List<?> list ? list : java.util.Collections.singletonList(call.get("params"));
        for (var param : params) {
            out.append("<param>");
            value(gen, out, param);
            out.append("</param>");
        }
        out.append("</params></methodCall>");
        var text = out.toString();
        if (gen.chance(0.12)) {
            text = gen.breakJson(text); // the same small damage breaks XML as well
        }
        if (gen.chance(0.03)) {
            text = gen.pick("", "<methodCall/>", "<methodCall><methodName/></methodCall>", "not xml", "<a>&y;</a>",
                    "<methodCall><params>" + "<param><value><array><data><value>".repeat(gen.between(100, 20_000)) + "</params></methodCall>");
        }
        var bytes = text.getBytes(gen.chance(0.1) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        var contentType = gen.pick("text/xml", "text/xml", "text/xml; charset=utf-8", "application/xml", "text/xml; charset=bogus", "text/plain", null);
        return new FuzzRequest.Builder("ows-xml", "POST", "/ows/service.php").body(contentType, bytes).build();
    }

    private void value(Gen gen, StringBuilder out, Object value) {
        out.append("<value>");
        if (gen.chance(0.04)) {
            out.append(gen.pick("<int>abc</int>", "<i4>99999999999</i4>", "<boolean>2</boolean>", "<double>1e999</double>", "<double>NaN</double>",
                    "<dateTime.iso8601>junk</dateTime.iso8601>", "<base64>!!!</base64>", "<struct><member><value>1</value></member></struct>",
                    "<struct><member><name>a</name></member></struct>", "<array></array>", "<nil/>", "<unknown>1</unknown>", "<string><b>x</b></string>"));
        } else {
            switch (value) {
                case null -> out.append(gen.chance(0.5) ? "<nil/>" : "");
                case Boolean b -> out.append("<boolean>").append(b ? 1 : 0).append("</boolean>");
                case Integer i -> out.append(gen.pick("<int>", "<i4>")).append(i).append(gen.chance(0.99) ? "</int>" : "</i4>");
                case Long l -> out.append("<i8>").append(l).append("</i8>");
                case Number n -> out.append("<double>").append(n).append("</double>");
                case Gen.Raw raw -> out.append(gen.pick("<int>", "<double>", "<string>")).append(escape(raw.text())).append("</string>");
                case Map<?, ?> map -> {
                    out.append("<struct>");
                    for (var entry : map.entrySet()) {
                        out.append("<member><name>").append(escape(String.valueOf(entry.getKey()))).append("</name>");
                        value(gen, out, entry.getValue());
                        out.append("</member>");
                    }
                    out.append("</struct>");
                }
                case List<?> list -> {
                    out.append("<array><data>");
                    for (var item : list) {
                        value(gen, out, item);
                    }
                    out.append("</data></array>");
                }
                default -> {
                    if (gen.chance(0.3)) {
                        out.append(escape(value.toString())); // a bare value is a string
                    } else if (gen.chance(0.1)) {
                        out.append("<base64>").append(Base64.getEncoder().encodeToString(value.toString().getBytes(StandardCharsets.UTF_8))).append("</base64>");
                    } else {
                        out.append("<string>").append(escape(value.toString())).append("</string>");
                    }
                }
            }
        }
        out.append("</value>");
    }

    private static String escape(String s) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    // ---- files

    FuzzRequest upload(Gen gen) {
        var boundary = gen.chance(0.7) ? gen.pick("----WebKitFormBoundary7MA4YWxkTrZu0gW", "!@#$%^&*()boundary", "b0undary") : Multipart.boundary(gen);
        var parts = new ArrayList<Multipart.Part>();
        var session = gen.chance(0.85) ? fixture.owsSession : gen.hostileString();
        var sessionPart = Multipart.part(gen.chance(0.95) ? "sessionId" : gen.pick("session", "SESSIONID", ""), null,
                gen.pick(null, "application/json", "text/plain"), (gen.chance(0.3) ? "\"" + session + "\"" : session).getBytes(StandardCharsets.UTF_8));
        var content = gen.chance(0.5) ? ("%PDF-1.4\n" + "fuzz ".repeat(gen.between(0, 5000))).getBytes(StandardCharsets.US_ASCII) : new byte[gen.between(0, 20_000)];
        var filePart = Multipart.part(gen.chance(0.9) ? "file" : gen.pick("file[]", "upload", "files"),
                gen.chance(0.85) ? gen.pick("cv.pdf", "", "../../x.pdf", "naïve résumé.docx", "a\"b.pdf", "x".repeat(gen.between(200, 5000)) + ".pdf", "c:\\temp\\cv.pdf") : null,
                gen.pick("application/octet-stream", "application/pdf", null, "text/plain; charset=bogus", "x/y/z"), content);
        if (gen.chance(0.5)) {
            parts.add(filePart);
            if (gen.chance(0.9)) {
                parts.add(sessionPart);
            }
        } else {
            if (gen.chance(0.9)) {
                parts.add(sessionPart);
            }
            for (int i = gen.chance(0.1) ? gen.between(0, 20) : 1; i > 0; i--) { // several files, each written and fsynced
                parts.add(filePart);
            }
        }
        var body = Multipart.formData(boundary, parts, gen.chance(0.9));
        if (gen.chance(0.3)) {
            body = Multipart.damage(gen, body, boundary);
        }
        var contentType = gen.chance(0.7) ? "multipart/form-data; boundary=" + boundary : Multipart.contentType(gen, "multipart/form-data", boundary);
        return new FuzzRequest.Builder("ows-upload", "POST", "/ows/fileService.php" + (gen.chance(0.1) ? "?sessionId=" + Fixture.enc(fixture.owsSession) : ""))
                .body(contentType, body).build();
    }

    FuzzRequest download(Gen gen) {
        var query = new StringBuilder();
        if (gen.chance(0.95)) {
            query.append("ouid=").append(gen.chance(0.75) ? gen.pick(fixture.uploadOuids) : Fixture.enc(gen.pick("", "0", "abc", "00000000000000000000000000000000", gen.hostileString())));
        }
        if (gen.chance(0.9)) {
            query.append("&class=").append(gen.chance(0.8) ? "AttachedDocument" : Fixture.enc(gen.pick("", "Nope", "attacheddocument", gen.hostileString())));
        }
        var builder = new FuzzRequest.Builder("ows-download", gen.chance(0.2) ? "HEAD" : "GET", "/ows/fileServiceDownload?"
                + query + (gen.chance(0.5) ? "&sessionId=" + Fixture.enc(gen.chance(0.9) ? fixture.owsSession : gen.hostileString()) : ""));
        if (gen.chance(0.5)) {
            builder.header("Cookie", "PHPSESSID=" + (gen.chance(0.9) ? fixture.owsSession : gen.pick("", "x;y", "\"q\"")));
        }
        if (gen.chance(0.6)) {
            builder.header("Range", Ranges.range(gen));
        }
        if (gen.chance(0.15)) {
            builder.header(gen.pick("If-Range", "If-None-Match", "If-Match", "If-Modified-Since"), gen.pick("\"abc\"", "*", "W/\"x\"", "junk", "Thu, 01 Jan 1970 00:00:00 GMT"));
        }
        return builder.build();
    }

    FuzzRequest info(Gen gen) {
        var user = gen.pick(fixture.users);
        var path = gen.chance(0.6) ? "/ows/info/detail.php?service=" + Fixture.enc(gen.chance(0.7) ? "Otys.Services." + gen.pick(SERVICES) : gen.hostileString())
                : gen.pick("/ows/info/", "/ows/info", "/ows/info/index.php", "/ows/info/detail.php", "/ows/info/detail.php?service=");
        var builder = new FuzzRequest.Builder("ows-info", "GET", path);
        if (gen.chance(0.9)) {
            var credentials = gen.chance(0.8) ? user[0] + ":" + user[1] : gen.pick("", ":", "nouser", user[0] + ":wrong", "é:é");
            builder.header("Authorization", gen.chance(0.9) ? "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))
                    : gen.pick("Basic", "Basic !!!", "Basic " + "A".repeat(10_000), "Bearer x"));
        }
        return builder.build();
    }
}
