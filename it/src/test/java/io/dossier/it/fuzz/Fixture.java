package io.dossier.it.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the grammars need to get past authentication and name things that exist: the demo
 * credentials of {@code dossier dev} ({@code <data>/demo-credentials.json}), a logged-in OWS
 * session, File API tokens, and a few records, uploads and deliveries made before fuzzing starts.
 * The fuzzer never logs this session out nor revokes these clients (see the grammars), so they stay
 * valid for the whole run.
 */
final class Fixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String host;
    final int port;
    final String tenant;
    final String adminToken;
    final List<String[]> users = new ArrayList<>();
    final String owsApiKey;
    String owsSession;
    final String publisherId;
    final String publisherSecret;
    final List<String[]> subscribers = new ArrayList<>();
    String publisherToken;
    final List<String> subscriberTokens = new ArrayList<>();
    final List<String> candidateUids = new ArrayList<>();
    final List<String> vacancyUids = new ArrayList<>();
    final List<String> uploadOuids = new ArrayList<>();
    final List<String> documentIds = new ArrayList<>();
    final List<String> documentTypeIds = new ArrayList<>();
    final List<String> fileIds = new ArrayList<>();
    String uploadToken;
    /** Youforce: OAuth clients (id, secret) with the demo's scopes, their tokens, person codes to name. */
    final List<String[]> youforceClients = new ArrayList<>();
    final List<String> youforceTokens = new ArrayList<>();
    final List<String> personCodes = new ArrayList<>();
    /** Opus 2: API tokens (the demo's read-write and read-only ones, or one made through the admin API). */
    final List<String> opus2Tokens = new ArrayList<>();
    /** Opus 2: projects and folders to name (the demo's two projects and their four folders, or those provisioned). */
    final List<String> opus2Projects = new ArrayList<>(List.of("1", "2"));
    final List<String> opus2Folders = new ArrayList<>(List.of("1", "2", "3", "4"));
    /** LogicalDOC: who logs in (the demo's archivist, or the provisioned user), its API key when there is one, the session it got. */
    final String[] logicalDocLogin;
    final String logicalDocApiKey;
    String logicalDocSid;

    private Fixture(String host, int port, JsonNode credentials) {
        this.host = host;
        this.port = port;
        this.tenant = credentials.path("tenant").asText();
        this.adminToken = credentials.path("adminToken").asText();
        for (var user : credentials.path("users")) {
            users.add(new String[] {user.path("username").asText(), user.path("password").asText()});
        }
        this.owsApiKey = credentials.path("ows").path("apiKey").asText();
        var fileapi = credentials.path("fileapi");
        this.publisherId = fileapi.path("publisher").path("clientId").asText();
        this.publisherSecret = fileapi.path("publisher").path("clientSecret").asText();
        for (var s : fileapi.path("subscribers")) {
            subscribers.add(new String[] {s.path("clientId").asText(), s.path("clientSecret").asText()});
        }
        for (var c : credentials.path("youforce").path("clients")) {
            youforceClients.add(new String[] {c.path("clientId").asText(), c.path("clientSecret").asText()});
        }
        for (var key : List.of("readWriteToken", "readOnlyToken")) {
            if (credentials.path("opus2").hasNonNull(key)) {
                opus2Tokens.add(credentials.path("opus2").path(key).asText());
            }
        }
        var logicalDoc = credentials.path("logicaldoc");
        this.logicalDocLogin = logicalDoc.hasNonNull("username") ? new String[] {logicalDoc.path("username").asText(), logicalDoc.path("password").asText()}
                : users.getFirst();
        this.logicalDocApiKey = logicalDoc.path("apiKey").asText("");
    }

    /** Made-up values of every kind the grammars use, for generating requests without a server. */
    static Fixture sample() {
        try {
            var fixture = new Fixture("127.0.0.1", 1, JSON.readTree("""
                    {"tenant":"demo","adminToken":"admin","users":[{"username":"u","password":"p"}],"ows":{"apiKey":"key"},
                     "fileapi":{"publisher":{"clientId":"pub","clientSecret":"s"},"subscribers":[{"clientId":"sub","clientSecret":"s"},{"clientId":"sub2","clientSecret":"s"}]},
                     "youforce":{"clients":[{"clientId":"yf","clientSecret":"s"}]},"opus2":{"readWriteToken":"o2"}}
                    """));
            fixture.youforceTokens.add("yftoken");
            fixture.logicalDocSid = "sid";
            fixture.personCodes.add("100001");
            fixture.owsSession = "session";
            fixture.publisherToken = "ptoken";
            fixture.subscriberTokens.addAll(List.of("stoken", "stoken2"));
            fixture.candidateUids.add("1");
            fixture.vacancyUids.add("2");
            fixture.uploadOuids.add("0123456789abcdef0123456789abcdef");
            fixture.documentIds.add("3");
            fixture.documentTypeIds.add("4");
            fixture.fileIds.add("5");
            fixture.uploadToken = "upload";
            return fixture;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the credentials file and prepares sessions, tokens, uploads and deliveries on the server. */
    static Fixture prepare(String host, int port, Path credentialsFile) throws IOException {
        var fixture = new Fixture(host, port, JSON.readTree(Files.readString(credentialsFile)));
        fixture.setUp();
        return fixture;
    }

    /**
     * For a server without the demo tenant: makes a tenant of the same shape through the admin API
     * (a user, an OWS API key, a File API publisher and two subscribers, a few candidates and a
     * document type), then prepares as {@link #prepare} does. Much faster than seeding the demo.
     */
    static Fixture provision(String host, int port, String adminToken) throws IOException {
        var admin = new Object() {
            JsonNode post(String path, String body) throws IOException {
                var answer = RawExchange.send(host, port, new FuzzRequest.Builder("setup", "POST", "/admin/api" + path).bearer(adminToken)
                        .body("application/json", body).build().bytes(), 1, false, 30_000);
                if (answer.status() / 100 != 2) {
                    throw new IllegalStateException("fuzz setup: POST " + path + " answered " + answer.status() + ": " + answer.body());
                }
                return answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
            }
        };
        var tenant = "fuzz";
        admin.post("/tenants", "{\"slug\":\"fuzz\",\"name\":\"Fuzz\",\"contentLanguages\":[\"en\",\"nl\",\"de\",\"fr\"],\"defaultLanguage\":\"en\"}");
        var user = admin.post("/tenants/fuzz/users", "{\"username\":\"fuzz.admin\",\"displayName\":\"Fuzz Admin\"}");
        var owsKey = admin.post("/tenants/fuzz/clients", "{\"kind\":\"ows-api-key\",\"name\":\"fuzz\",\"userId\":" + user.path("id").asLong() + "}");
        var clients = new ArrayList<JsonNode>();
        for (var role : List.of("publisher", "subscriber", "subscriber")) {
            var client = admin.post("/tenants/fuzz/clients", "{\"kind\":\"oauth\",\"name\":\"fuzz " + role + "\"}");
            var types = clients.size() == 2 ? "[7101]" : "[7100,7101]";
            admin.post("/tenants/fuzz/fileapi/authorizations", "{\"clientId\":\"" + client.path("clientId").asText() + "\",\"role\":\"" + role
                    + "\",\"businessTypes\":" + types + "}");
            clients.add(client);
        }
        var youforce = admin.post("/tenants/fuzz/clients", "{\"kind\":\"oauth\",\"name\":\"fuzz youforce\","
                + "\"scopes\":[\"Get_Basic\",\"Upload_documents\",\"GetPrivateContactDetails\"]}");
        // HR data for Youforce to read and file documents under: without persons every documents request was a 404
        var persons = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            persons.append("{\"type\":\"hr.Person\",\"op\":\"upsert\",\"record\":{\"id\":\"10000").append(i).append("\",\"personCode\":\"10000")
                    .append(i).append("\",\"lastName\":\"Fuzz ").append(i).append("\"}}\n");
        }
        var imported = admin.post("/tenants/fuzz/hr/import", persons.toString());
        if (imported.path("applied").asInt() != 3) {
            throw new IllegalStateException("fuzz setup: the HR import answered " + imported);
        }
        var credentials = JSON.createObjectNode();
        credentials.put("tenant", tenant).put("adminToken", adminToken);
        credentials.putObject("youforce").putArray("clients").addObject().put("clientId", youforce.path("clientId").asText())
                .put("clientSecret", youforce.path("secret").asText());
        var opus2 = admin.post("/tenants/fuzz/clients", "{\"kind\":\"api-token\",\"name\":\"fuzz opus2\",\"userId\":" + user.path("id").asLong() + "}");
        credentials.putObject("opus2").put("readWriteToken", opus2.path("secret").asText());
        credentials.putArray("users").addObject().put("username", user.path("username").asText()).put("password", user.path("password").asText());
        credentials.putObject("ows").put("apiKey", owsKey.path("secret").asText());
        var fileapi = credentials.putObject("fileapi");
        fileapi.putObject("publisher").put("clientId", clients.get(0).path("clientId").asText()).put("clientSecret", clients.get(0).path("secret").asText());
        var subscribers = fileapi.putArray("subscribers");
        for (var client : clients.subList(1, 3)) {
            subscribers.addObject().put("clientId", client.path("clientId").asText()).put("clientSecret", client.path("secret").asText());
        }
        var fixture = new Fixture(host, port, credentials);
        fixture.owsSession = fixture.rpc("loginByUid", "[\"" + fixture.owsApiKey + "\"]").asText();
        for (int i = 0; i < 3; i++) {
            fixture.rpc("Otys.Services.CandidateService.add", "[\"" + fixture.owsSession + "\",{\"Person\":{\"firstName\":\"Fuzz\",\"lastName\":\"Candidate " + i + "\"}}]");
        }
        fixture.rpc("Otys.Services.DocumentTypeService.add", "[\"" + fixture.owsSession + "\",{\"name\":\"CV\",\"forDocuments\":true,\"forCandidates\":true}]");
        fixture.setUp();
        fixture.provisionProjects();
        fixture.provisionTemplates();
        return fixture;
    }

    /**
     * Opus 2 as the demo has it, through the Opus 2 API under the read-write token: a template with
     * three folders and two fields, a project from it and one without, a folder there, and a
     * document in each project. Without them nearly every project request was answered 404.
     */
    private void provisionProjects() {
        var token = opus2Tokens.getFirst();
        var template = opus2(token, "POST", "/templates", """
                {"name":"Fuzz case","description":"folders and fields","folders":["Pleadings","Evidence","Correspondence"],
                 "fields":[{"fieldId":"custodian","name":"Custodian","type":"text"},
                           {"fieldId":"category","name":"Category","type":"text","options":["Pleading","Evidence"]}]}""");
        opus2Projects.clear();
        opus2Folders.clear();
        opus2Projects.add(opus2(token, "POST", "/projects", "{\"name\":\"Fuzz v Jones\",\"templateId\":\"" + template.path("templateId").asText() + "\"}")
                .path("projectId").asText());
        opus2Projects.add(opus2(token, "POST", "/projects", "{\"name\":\"Fuzz review\"}").path("projectId").asText());
        opus2(token, "POST", "/projects/" + opus2Projects.get(1) + "/folders", "{\"name\":\"General\"}");
        for (var project : opus2Projects) {
            var folders = opus2(token, "GET", "/projects/" + project + "/folders", null);
            for (var folder : folders) {   // a page of folders is a JSON array
                opus2Folders.add(folder.path("folderId").asText());
            }
            var boundary = "fixture-" + project;
            var form = Multipart.formData(boundary, List.of(
                    Multipart.part("folderId", null, null, opus2Folders.getLast().getBytes(StandardCharsets.US_ASCII)),
                    Multipart.part("file", "fixture.pdf", "application/pdf", Opus2Grammar.PDF)), true);
            var answer = send(new FuzzRequest.Builder("setup", "POST", "/opus2/projects/" + project + "/documents").header("X-API-Token", token)
                    .body("multipart/form-data; boundary=" + boundary, form).build());
            if (answer.status() != 201) {
                throw new IllegalStateException("fuzz setup: an Opus 2 upload answered " + answer.status() + ": " + answer.body());
            }
        }
        if (opus2Projects.contains("") || opus2Folders.size() < 4 || opus2Folders.contains("")) {
            throw new IllegalStateException("fuzz setup incomplete: projects=" + opus2Projects + " folders=" + opus2Folders);
        }
    }

    private JsonNode opus2(String token, String method, String path, String json) {
        var request = new FuzzRequest.Builder("setup", method, "/opus2" + path).header("X-API-Token", token);
        if (json != null) {
            request.body("application/json", json);
        }
        var answer = send(request.build());
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException("fuzz setup: " + method + " /opus2" + path + " answered " + answer.status() + ": " + answer.body());
        }
        return json(answer);
    }

    /**
     * LogicalDOC as the demo has it, through its SOAP service under the fixture's session: an
     * attribute set and two templates (one with two attributes, one with none), so that the
     * grammar's small ids and names find some of them.
     */
    private void provisionTemplates() {
        soap("storeAttributeSet", "<attributeSet><name>Fuzz parties</name><attributes><name>party</name><type>0</type></attributes></attributeSet>");
        soap("storeTemplate", "<template><name>Fuzz contract</name><attributes><name>lease</name><type>0</type><editor>1</editor></attributes>"
                + "<attributes><name>amount</name><type>1</type></attributes></template>");
        soap("storeTemplate", "<template><name>Fuzz letter</name></template>");
    }

    private void soap(String method, String inner) {
        var answer = send(new FuzzRequest.Builder("setup", "POST", "/logicaldoc/services/DocumentMetadata").header("SOAPAction", "\"\"")
                .body("text/xml; charset=utf-8", LogicalDocGrammar.envelope("<ws:" + method + "><sid>" + logicalDocSid + "</sid>" + inner
                        + "</ws:" + method + ">")).build());
        if (answer.status() != 200) {
            throw new IllegalStateException("fuzz setup: LogicalDOC " + method + " answered " + answer.status() + ": " + answer.body());
        }
    }

    private void setUp() {
        if (owsSession == null) {
            owsSession = rpc("loginByUid", "[\"" + owsApiKey + "\"]").asText();
        }
        for (var item : rpc("Otys.Services.CandidateService.getListEx", "[\"" + owsSession + "\",{\"what\":{\"uid\":1},\"limit\":5}]").path("listOutput")) {
            candidateUids.add(item.path("uid").asText());
        }
        for (var item : rpc("Otys.Services.VacancyService.getListEx", "[\"" + owsSession + "\",{\"what\":{\"uid\":1},\"limit\":3}]").path("listOutput")) {
            vacancyUids.add(item.path("uid").asText());
        }
        for (var item : rpc("Otys.Services.DocumentTypeService.getListEx", "[\"" + owsSession + "\",{\"what\":{\"uid\":1},\"limit\":10}]").path("listOutput")) {
            documentTypeIds.add(item.path("uid").asText());
        }
        for (int i = 0; i < 2; i++) {
            var content = ("%PDF-1.4\nfixture " + i + "\n" + "0123456789abcdef".repeat(200 + i * 300)).getBytes(StandardCharsets.US_ASCII);
            var answer = send(new FuzzRequest.Builder("setup", "POST", "/ows/fileService.php")
                    .body("multipart/form-data; boundary=fixture", Multipart.formData("fixture", List.of(
                            Multipart.part("sessionId", null, null, owsSession.getBytes(StandardCharsets.US_ASCII)),
                            Multipart.part("file", "fixture-" + i + ".pdf", "application/pdf", content)), true))
                    .build());
            var ouid = json(answer).path("fixture-" + i + ".pdf").path("ouid").asText();
            if (!ouid.isEmpty()) {
                uploadOuids.add(ouid);
                for (var typeId : documentTypeIds) {
                    var bound = rpcOrError("Otys.Services.AttachedDocumentsService.add", "[\"" + owsSession + "\",{\"candidateUid\":\""
                            + candidateUids.getFirst() + "\",\"fileUid\":\"" + ouid + "\",\"typeId\":\"" + typeId + "\",\"subject\":\"fixture\"}]");
                    if (bound.has("result")) {
                        documentIds.add(bound.path("result").asText());
                        break;
                    }
                }
            }
        }
        publisherToken = token(publisherId, publisherSecret);
        for (var s : subscribers) {
            subscriberTokens.add(token(s[0], s[1]));
        }
        for (int i = 0; i < 3; i++) {
            var boundary = "fixture" + i;
            var body = "--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"name\":\"fixture-" + i + ".txt\",\"businesstypeid\":\"7101\"}\r\n--"
                    + boundary + "\r\n\r\n" + "line of a delivered file\n".repeat(100 + i * 500) + "\r\n--" + boundary + "--\r\n";
            var answer = send(new FuzzRequest.Builder("setup", "POST", "/fileapi/v1.0/files?uploadType=multipart").bearer(publisherToken)
                    .body("multipart/related; boundary=" + boundary, body).build());
            var id = json(answer).path("fileId").asText();
            if (!id.isEmpty()) {
                fileIds.add(id);
            }
        }
        var resumable = send(new FuzzRequest.Builder("setup", "POST", "/fileapi/v1.0/files?uploadType=resumable").bearer(publisherToken)
                .body("multipart/related; boundary=r", "--r\r\nContent-Type: application/json\r\n\r\n{\"name\":\"resumable.bin\",\"businesstypeid\":\"7101\"}\r\n--r\r\n\r\n"
                        + "first chunk\r\n--r--\r\n").build());
        uploadToken = json(resumable).path("uploadToken").asText(null);
        for (var c : youforceClients) {
            var form = "grant_type=client_credentials&client_id=" + enc(c[0]) + "&client_secret=" + enc(c[1]);
            var answer = send(new FuzzRequest.Builder("setup", "POST", "/youforce/connect/token").header("X-Raet-Tenant-Id", tenant)
                    .body("application/x-www-form-urlencoded", form).build());
            youforceTokens.add(json(answer).path("access_token").asText());
        }
        if (!youforceTokens.isEmpty()) {
            var persons = send(new FuzzRequest.Builder("setup", "GET", "/youforce/learning/v1.0/persons?take=5").bearer(youforceTokens.getFirst())
                    .header("X-Raet-Tenant-Id", tenant).build());
            json(persons).path("value").forEach(p -> personCodes.add(p.path("personCode").asText()));
        }
        if (personCodes.isEmpty()) {
            personCodes.add("100001");   // a tenant without HR data: uploads name a person that is not there
        }
        var login = send(new FuzzRequest.Builder("setup", "POST", "/logicaldoc/services/Auth").header("SOAPAction", "\"\"")
                .body("text/xml; charset=utf-8", LogicalDocGrammar.envelope("<ws:login><username>" + LogicalDocGrammar.xml(logicalDocLogin[0])
                        + "</username><password>" + LogicalDocGrammar.xml(logicalDocLogin[1]) + "</password></ws:login>")).build());
        var sid = java.util.regex.Pattern.compile("<return>([^<]+)</return>").matcher(login.body());
        logicalDocSid = sid.find() ? sid.group(1) : "";
        if (owsSession.isEmpty() || candidateUids.isEmpty() || uploadOuids.isEmpty() || fileIds.isEmpty() || publisherToken.isEmpty()
                || youforceTokens.isEmpty() || youforceTokens.contains("") || opus2Tokens.isEmpty() || opus2Tokens.contains("")
                || logicalDocSid.isEmpty()) {
            throw new IllegalStateException("fuzz setup incomplete: session=" + owsSession + " candidates=" + candidateUids
                    + " uploads=" + uploadOuids + " deliveries=" + fileIds + " publisherToken=" + publisherToken
                    + " youforceTokens=" + youforceTokens + " opus2Tokens=" + opus2Tokens + " logicalDocSid=" + logicalDocSid);
        }
    }

    private String token(String clientId, String secret) {
        var form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret) + "&tenant_id=" + enc(tenant);
        var answer = send(new FuzzRequest.Builder("setup", "POST", "/fileapi/connect/token").body("application/x-www-form-urlencoded", form).build());
        return json(answer).path("access_token").asText();
    }

    private JsonNode rpc(String method, String params) {
        var response = rpcOrError(method, params);
        if (!response.has("result")) {
            throw new IllegalStateException("fuzz setup: " + method + " failed: " + response);
        }
        return response.path("result");
    }

    private JsonNode rpcOrError(String method, String params) {
        return json(send(new FuzzRequest.Builder("setup", "POST", "/ows/jservice.php")
                .body("application/json", "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}").build()));
    }

    RawExchange.Answer send(FuzzRequest request) {
        return RawExchange.send(host, port, request.bytes(), request.requests(), request.head(), 10_000);
    }

    private static JsonNode json(RawExchange.Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException("fuzz setup: not JSON (HTTP " + answer.status() + "): " + answer.body(), e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
