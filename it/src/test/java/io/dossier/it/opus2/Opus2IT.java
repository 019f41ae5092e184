package io.dossier.it.opus2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Subject;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.project.Projects;
import io.dossier.core.project.ProjectTemplate;
import io.dossier.it.support.Http;
import io.dossier.it.support.RawHttp;
import io.dossier.it.support.Opus2Client;
import io.dossier.it.support.TestServer;
import io.dossier.server.Dossier;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Opus 2 inbound Documents API under {@code /opus2} over real HTTP, every response checked
 * against the server's own {@code openapi.json} (see {@link Opus2Client}). One tenant with three
 * users: alice (manages users and teams, creates projects), bob (read-only on the projects he is
 * given) and carol (no project access), plus a second tenant for isolation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Opus2IT {

    TestServer server;
    Dossier dossier;
    String tenant;
    long tenantId;
    long alice;
    long bob;
    long carol;
    long reviewers;
    long templateId;
    Opus2Client asAlice;
    Opus2Client asBob;
    Opus2Client asCarol;
    Opus2Client otherTenant;

    @BeforeAll
    void seed() {
        server = TestServer.shared();
        dossier = server.server().dossier();
        tenant = "opus2-" + UUID.randomUUID().toString().substring(0, 8);
        tenantId = dossier.tenants().create(tenant, "Opus 2 " + tenant).id();
        alice = dossier.identities().createUser(tenantId, tenant + "-alice", "alice@" + tenant + ".example", "Alice", null).user().id();
        bob = dossier.identities().createUser(tenantId, tenant + "-bob", "bob@" + tenant + ".example", "Bob", null).user().id();
        carol = dossier.identities().createUser(tenantId, tenant + "-carol", "carol@" + tenant + ".example", "Carol", null).user().id();
        reviewers = dossier.identities().createGroup(tenantId, "Reviewers").id();
        var internal = new Caller.Internal(tenantId, "test set-up");
        dossier.access().grant(internal, Projects.DIRECTORY, new Subject.User(alice), Permissions.of(Permission.SECURITY));
        dossier.access().grant(internal, Projects.PROJECTS, new Subject.User(alice), Permissions.of(Permission.ADD));
        var fields = dossier.metadata().create(internal, MetadataSchema.Kind.TEMPLATE, "Case fields " + tenant, "Case fields", "", List.of(
                new Attribute("custodian", "Custodian", AttributeType.STRING, false, false, false, 0, false, List.of()),
                new Attribute("pages", "Pages", AttributeType.INT, false, false, false, 1, false, List.of()),
                new Attribute("category", "Category", AttributeType.STRING, false, false, false, 2, true, List.of("Contract", "Letter"))));
        templateId = dossier.projects().createTemplate(internal, "Litigation", "Folders and fields of a case", List.of("Pleadings", "Evidence"),
                List.of(new ProjectTemplate.TeamGrant(reviewers, Projects.READ_ONLY)), fields.id()).id();
        asAlice = new Opus2Client(server, token(tenantId, alice, 100_000));
        asBob = new Opus2Client(server, token(tenantId, bob, 100_000));
        asCarol = new Opus2Client(server, token(tenantId, carol, 100_000));
        var other = dossier.tenants().create(tenant + "-x", "Other " + tenant).id();
        var mallory = dossier.identities().createUser(other, tenant + "-mallory", "mallory@" + tenant + ".example", "Mallory", null).user().id();
        otherTenant = new Opus2Client(server, token(other, mallory, 100_000));
    }

    /** An API token of the user, with its own per-minute limit (null: the dialect's default of 50). */
    String token(long tenant, long user, Integer perMinute) {
        var issued = dossier.identities().createClient(tenant, ClientKind.API_TOKEN, "it", user, Set.of());
        if (perMinute != null) {
            dossier.rateLimits().set(tenant, issued.client().id(), "opus2", perMinute, null);
        }
        return issued.secret();
    }

    String project(String name) {
        var created = asAlice.post("/projects", "{\"name\":\"" + name + "\",\"templateId\":\"" + templateId + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("projectId").asText();
    }

    String folder(String projectId, String name) {
        var response = asAlice.get("/projects/" + projectId + "/folders/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("folderId").asText();
    }

    Opus2Client.Response upload(Opus2Client client, String projectId, String folderId, String fileName, byte[] content, String query,
                                Map<String, String> extra) {
        var boundary = "----opus2" + UUID.randomUUID();
        var fields = new LinkedHashMap<String, String>();
        fields.put("folderId", folderId);
        fields.putAll(extra);
        return client.send("POST", "/projects/" + projectId + "/documents" + query,
                Opus2Client.multipart(boundary, fields, fileName, "application/pdf", content), "multipart/form-data; boundary=" + boundary);
    }

    static byte[] random(int size) {
        var bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- the OpenAPI document

    @Test
    void theOpenApiDocumentDescribesEveryRouteAndPassesTheLinter() {
        var spec = asAlice.spec();
        var parsed = new OpenAPIV3Parser().readContents(spec.text());
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        var paths = spec.document().path("paths");
        for (var path : List.of("/tokens", "/tokens/{tokenId}", "/roles", "/users", "/user/id/{userId}", "/user/byemail", "/teams",
                "/teams/{teamId}/users", "/teams/{teamId}/users/{email}", "/projects", "/projects/{projectId}", "/projects/{projectId}/teams",
                "/projects/{projectId}/teams/{teamId}", "/projects/{projectId}/users", "/projects/{projectId}/users/{email}", "/templates",
                "/projects/{projectId}/folders", "/projects/{projectId}/folders/{folder}", "/projects/{projectId}/documents",
                "/projects/{projectId}/documents/folder/{folderId}", "/projects/{projectId}/documents/{documentId}",
                "/projects/{projectId}/documents/{documentId}/{folderId}", "/projects/{projectId}/documents/{documentId}/replace",
                "/projects/{projectId}/fields", "/projects/{projectId}/documents/{documentId}/fields/{fieldId}",
                "/projects/{projectId}/documents/{documentId}/versions", "/projects/{projectId}/documents/{documentId}/versions/{versionId}",
                "/projects/{projectId}/documents/{documentId}/content")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        var head = asAlice.head("/openapi.json");
        assertThat(head.status()).isEqualTo(200);
    }

    // ---- the publication's examples, by section

    @Test
    void structureOfTheApiUrl_theTokenHeaderAsTheExampleSpellsIt() {
        for (var header : List.of("X-API-Token", "X-Api-Token", "X-Tenant-Token")) {
            var response = asAlice.withHeader(header).get("/users");
            assertThat(response.status()).as(header).isEqualTo(200);
        }
    }

    @Test
    void returnCodes_401TheProvidedApiTokenIsInvalid() {
        for (var client : List.of(asAlice.withToken("abcdefGI1NiJ9.eyJsYXN0TG9naW4iOiIyMDIxLTA3LTAxIDE"), asAlice.withToken(null))) {
            var response = client.get("/projects");
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json().path("message").asText()).isEqualTo("The provided API token is invalid");
        }
    }

    @Test
    void payloadJsonForTokenApi_aTokenIsShownOnceListedWithoutSecretAndRevokedAtOnce() {
        var created = asAlice.post("/tokens", "{\"userId\":\"" + alice + "\",\"name\":\"ATokenName\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var secret = created.json().path("token").asText();
        var tokenId = created.json().path("tokenId").asText();
        assertThat(created.json().path("name").asText()).isEqualTo("ATokenName");
        var own = asAlice.withToken(secret);
        assertThat(own.get("/roles").status()).isEqualTo(200);
        var listed = asAlice.get("/tokens");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).contains("ATokenName").doesNotContain(secret);
        assertThat(asAlice.post("/tokens", "{\"userId\":\"" + bob + "\",\"name\":\"for bob\"}").status()).isEqualTo(403);
        assertThat(asBob.delete("/tokens/" + tokenId).status()).isEqualTo(404);
        assertThat(asAlice.post("/tokens", "{\"userId\":\"" + alice + "\"}").status()).isEqualTo(400);
        assertThat(asAlice.delete("/tokens/" + tokenId).status()).isEqualTo(200);
        var refused = own.get("/roles");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("message").asText()).isEqualTo("The provided API token is invalid");
    }

    @Test
    void usersEndpoints_rolesUsersByIdByEmailAndAddingOneOrSeveral() {
        assertThat(asBob.get("/roles").json().findValuesAsText("roleId")).containsExactly("owner", "read-write", "read-only");
        var users = asAlice.get("/users");
        assertThat(users.json().findValuesAsText("email")).contains("alice@" + tenant + ".example", "bob@" + tenant + ".example");
        assertThat(users.header("X-Total-Count")).isEqualTo(Integer.toString(users.json().size()));
        assertThat(asAlice.get("/user/id/" + bob).json().path("email").asText()).isEqualTo("bob@" + tenant + ".example");
        assertThat(asAlice.get("/user/byemail?email=bob@" + tenant + ".example").json().path("userId").asText()).isEqualTo(Long.toString(bob));
        assertThat(asAlice.get("/user/byemail?email=nobody@example.com").status()).isEqualTo(404);
        assertThat(asAlice.get("/user/id/abc").json().path("message").asText()).isEqualTo("Invalid user ID format");
        var one = asAlice.post("/users", "{\"email\":\"dave@" + tenant + ".example\",\"name\":\"Dave\"}");
        assertThat(one.status()).as(one.body()).isEqualTo(201);
        var several = asAlice.post("/users", "[{\"email\":\"erin@" + tenant + ".example\"},{\"email\":\"frank@" + tenant + ".example\"}]");
        assertThat(several.status()).as(several.body()).isEqualTo(201);
        assertThat(several.json().size()).isEqualTo(2);
        assertThat(asAlice.post("/users", "{\"email\":\"dave@" + tenant + ".example\"}").status()).isEqualTo(409);
        var halfway = asAlice.post("/users", "[{\"email\":\"gus@" + tenant + ".example\"},{\"email\":\"dave@" + tenant + ".example\"}]");
        assertThat(halfway.status()).isEqualTo(409);
        assertThat(asAlice.get("/user/byemail?email=gus@" + tenant + ".example").status()).as("all or none").isEqualTo(404);
        assertThat(asBob.post("/users", "{\"email\":\"gina@" + tenant + ".example\"}").status()).isEqualTo(403);
        assertThat(asAlice.post("/users", "{\"email\":42}").status()).isEqualTo(400);
        assertThat(asAlice.post("/users", "{\"email\":").status()).isEqualTo(400);
        assertThat(otherTenant.get("/user/id/" + bob).status()).isEqualTo(404);
    }

    @Test
    void userTeamsEndpoints_addAndDeleteAUserWithAnEmptyPut() {
        var teams = asAlice.get("/teams");
        assertThat(teams.json().findValuesAsText("name")).contains("Reviewers");
        var email = URLEncoder.encode("carol@" + tenant + ".example", StandardCharsets.UTF_8);
        var added = asAlice.putEmpty("/teams/" + reviewers + "/users/" + email);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(asAlice.get("/teams/" + reviewers + "/users").json().findValuesAsText("userId")).contains(Long.toString(carol));
        assertThat(asBob.putEmpty("/teams/" + reviewers + "/users/" + email).status()).isEqualTo(403);
        assertThat(asAlice.delete("/teams/" + reviewers + "/users/" + email).status()).isEqualTo(200);
        assertThat(asAlice.delete("/teams/" + reviewers + "/users/" + email).status()).isEqualTo(404);
        assertThat(asAlice.get("/teams/" + reviewers + "/users").json().findValuesAsText("userId")).doesNotContain(Long.toString(carol));
        assertThat(otherTenant.get("/teams/" + reviewers + "/users").status()).isEqualTo(404);
        assertThat(asAlice.get("/teams/999999999/users").status()).isEqualTo(404);
    }

    @Test
    void projectsAndTemplates_aProjectFromATemplateHasItsFoldersTeamsAndFields() {
        var templates = asBob.get("/templates");
        assertThat(templates.json().findValuesAsText("name")).contains("Litigation");
        var projectId = project("Smith v Jones");
        var got = asAlice.get("/projects/" + projectId + "/");
        assertThat(got.status()).as("the publication's trailing slash").isEqualTo(200);
        assertThat(got.json().path("templateId").asText()).isEqualTo(Long.toString(templateId));
        assertThat(asAlice.get("/projects/" + projectId + "/folders").json().findValuesAsText("name")).containsExactly("Pleadings", "Evidence");
        assertThat(asAlice.get("/projects/" + projectId + "/teams").json().findValuesAsText("roleId")).containsExactly("read-only");
        assertThat(asAlice.get("/projects/" + projectId + "/fields").json().findValuesAsText("fieldId")).containsExactly("custodian", "pages", "category");
        assertThat(asAlice.get("/projects").json().findValuesAsText("projectId")).contains(projectId);
        assertThat(asAlice.post("/projects", "{\"name\":\"x\",\"templateId\":\"99999999\"}").status()).isEqualTo(404);
        assertThat(asAlice.post("/projects", "{\"description\":\"no name\"}").status()).isEqualTo(400);
        assertThat(asBob.post("/projects", "{\"name\":\"bob's\"}").status()).isEqualTo(403);
    }

    @Test
    void templates_aDossierAdditionAddsATemplateWithFoldersTeamsAndNewFields() {
        var body = "{\"name\":\"Arbitration\",\"folders\":[\"Awards\",\"Submissions\"],\"teams\":[{\"teamId\":\"" + reviewers
                + "\",\"roleId\":\"read-only\"}],\"fields\":[{\"fieldId\":\"tribunal\",\"name\":\"Tribunal\",\"type\":\"text\"},"
                + "{\"fieldId\":\"stage\",\"type\":\"text\",\"options\":[\"Filed\",\"Heard\"]}]}";
        var created = asAlice.post("/templates", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(asAlice.post("/templates", body).status()).isEqualTo(409);
        assertThat(asBob.post("/templates", "{\"name\":\"Bob's\"}").status()).isEqualTo(403);
        assertThat(asAlice.post("/templates", "{\"name\":\"Bad\",\"fields\":[{\"fieldId\":\"x\",\"type\":\"blob\"}]}").status()).isEqualTo(400);
        var projectId = asAlice.post("/projects", "{\"name\":\"Award\",\"templateId\":\"" + created.json().path("templateId").asText() + "\"}")
                .json().path("projectId").asText();
        assertThat(asAlice.get("/projects/" + projectId + "/folders").json().findValuesAsText("name")).containsExactly("Awards", "Submissions");
        var fields = asAlice.get("/projects/" + projectId + "/fields").json();
        assertThat(fields.findValuesAsText("fieldId")).containsExactly("tribunal", "stage");
        var documentId = upload(asAlice, projectId, folder(projectId, "Awards"), "award.pdf", random(10), "",
                Map.of("fields", "{\"stage\":\"Heard\"}")).json().path("documentId").asText();
        assertThat(asAlice.put("/projects/" + projectId + "/documents/" + documentId + "/fields/stage", "{\"value\":\"Lost\"}").status())
                .isEqualTo(400);
    }

    @Test
    void projectMembers_teamsAndUsersByEmailWithRolesDecideWhoReadsAndWrites() {
        var projectId = project("Membership");
        var bobEmail = URLEncoder.encode("bob@" + tenant + ".example", StandardCharsets.UTF_8);
        assertThat(asBob.get("/projects/" + projectId).status()).isEqualTo(403);
        assertThat(asBob.get("/projects").json().findValuesAsText("projectId")).doesNotContain(projectId);
        var added = asAlice.put("/projects/" + projectId + "/users/" + bobEmail, "{\"roleId\":\"read-only\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(asBob.get("/projects/" + projectId).status()).isEqualTo(200);
        var refused = asBob.post("/projects/" + projectId + "/folders", "{\"name\":\"Bob's\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("message").asText()).startsWith("You do not have permission to");
        assertThat(asAlice.putEmpty("/projects/" + projectId + "/users/" + bobEmail).status()).isEqualTo(200);
        assertThat(asAlice.get("/projects/" + projectId + "/users").json().findValuesAsText("roleId")).contains("owner", "read-write");
        assertThat(asBob.post("/projects/" + projectId + "/folders", "{\"name\":\"Bob's\"}").status()).isEqualTo(201);
        assertThat(asBob.putEmpty("/projects/" + projectId + "/users/" + bobEmail).status()).as("sharing takes the owner role").isEqualTo(403);
        assertThat(asAlice.delete("/projects/" + projectId + "/users/" + bobEmail).status()).isEqualTo(200);
        assertThat(asBob.get("/projects/" + projectId).status()).isEqualTo(403);
        assertThat(asAlice.putEmpty("/projects/" + projectId + "/teams/" + reviewers).status()).isEqualTo(200);
        assertThat(asAlice.get("/projects/" + projectId + "/teams").json().findValuesAsText("roleId")).containsExactly("read-write");
        assertThat(asAlice.delete("/projects/" + projectId + "/teams/" + reviewers).status()).isEqualTo(200);
        assertThat(asAlice.delete("/projects/" + projectId + "/teams/" + reviewers).status()).isEqualTo(404);
        assertThat(asAlice.put("/projects/" + projectId + "/teams/" + reviewers, "{\"roleId\":\"admin\"}").status()).isEqualTo(400);
        assertThat(asCarol.get("/projects/" + projectId + "/documents").status()).isEqualTo(403);
        var aliceEmail = URLEncoder.encode("alice@" + tenant + ".example", StandardCharsets.UTF_8);
        var lastOwner = asAlice.delete("/projects/" + projectId + "/users/" + aliceEmail);
        assertThat(lastOwner.status()).as("a project without grants would be open to all").isEqualTo(409);
        assertThat(asAlice.put("/projects/" + projectId + "/users/" + aliceEmail, "{\"roleId\":\"read-only\"}").status()).isEqualTo(409);
        assertThat(asCarol.get("/projects/" + projectId).status()).isEqualTo(403);
        assertThat(otherTenant.get("/projects/" + projectId).status()).isEqualTo(404);
        assertThat(otherTenant.putEmpty("/projects/" + projectId + "/teams/" + reviewers).status()).isEqualTo(404);
    }

    @Test
    void folders_addQueryByEncodedNameAndDeleteWithAndWithoutForce() {
        var projectId = project("Folders");
        var created = asAlice.post("/projects/" + projectId + "/folders", "{\"name\":\"the folder\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var folderId = created.json().path("folderId").asText();
        assertThat(asAlice.get("/projects/" + projectId + "/folders/the%20folder").json().path("folderId").asText()).isEqualTo(folderId);
        assertThat(asAlice.post("/projects/" + projectId + "/folders", "{\"name\":\"the folder\"}").status()).isEqualTo(409);
        assertThat(asAlice.get("/projects/" + projectId + "/folders/no%20such").status()).isEqualTo(404);
        assertThat(upload(asAlice, projectId, folderId, "a.pdf", random(100), "", Map.of()).status()).isEqualTo(201);
        var refused = asAlice.delete("/projects/" + projectId + "/folders/" + folderId);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(asAlice.delete("/projects/" + projectId + "/folders/" + folderId + "?force=true").status()).isEqualTo(200);
        assertThat(asAlice.get("/projects/" + projectId + "/documents").json().size()).isZero();
        var empty = asAlice.post("/projects/" + projectId + "/folders", "{\"name\":\"empty\"}").json().path("folderId").asText();
        assertThat(asAlice.delete("/projects/" + projectId + "/folders/" + empty).status()).isEqualTo(200);
        var paged = asAlice.get("/projects/" + projectId + "/folders?page=1&pageSize=1");
        assertThat(paged.json().size()).isEqualTo(1);
        assertThat(paged.header("X-Total-Count")).isEqualTo("2");
        assertThat(paged.header("Link")).contains("rel=\"next\"").contains("rel=\"last\"").contains("page=2&pageSize=1");
        assertThat(asAlice.get("/projects/" + projectId + "/folders?pageSize=1001").status()).isEqualTo(400);
        assertThat(asAlice.get("/projects/" + projectId + "/folders?page=0").status()).isEqualTo(400);
    }

    @Test
    void documents_uploadStreamedDownloadByteExactMoveRenameAndHead() throws Exception {
        var projectId = project("Documents");
        var pleadings = folder(projectId, "Pleadings");
        var evidence = folder(projectId, "Evidence");
        var content = random(3 * 1024 * 1024 + 17);
        var created = upload(asAlice, projectId, pleadings, "claim form.pdf", content, "",
                Map.of("name", "Claim form", "description", "As filed", "fields", "{\"custodian\":\"Alice\",\"pages\":12}"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var document = created.json();
        var documentId = document.path("documentId").asText();
        assertThat(document.path("sha256").asText()).isEqualTo(sha256(content));
        assertThat(document.path("fields").path("pages").asText()).isEqualTo("12");
        var base = "/projects/" + projectId + "/documents/" + documentId;
        var downloaded = asAlice.get(base + "/content");
        assertThat(downloaded.status()).isEqualTo(200);
        assertThat(downloaded.bytes()).isEqualTo(content);
        assertThat(downloaded.header("ETag")).isEqualTo("\"" + sha256(content) + "\"");
        assertThat(downloaded.header("Content-Disposition")).contains("claim form.pdf");
        var ranged = asAlice.send("GET", base + "/content", HttpRequest.BodyPublishers.noBody(), null, "Range", "bytes=10-19");
        assertThat(ranged.status()).isEqualTo(206);
        assertThat(ranged.bytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 20));
        var head = asAlice.head(base + "/content");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(asAlice.head(base).status()).isEqualTo(200);
        assertThat(asAlice.head("/projects/" + projectId + "/documents").header("X-Total-Count")).isEqualTo("1");

        var patched = asAlice.patch(base, "{\"name\":\"Claim form (sealed)\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("description").asText()).isEqualTo("As filed");
        var posted = asAlice.post(base, "{\"description\":\"Sealed copy\"}");
        assertThat(posted.json().path("name").asText()).isEqualTo("Claim form (sealed)");
        assertThat(posted.json().path("description").asText()).isEqualTo("Sealed copy");
        assertThat(asAlice.patch(base, "{\"name\":7}").status()).isEqualTo(400);
        assertThat(asAlice.patch(base, "{\"folderId\":\"1\"}").status()).isEqualTo(400);

        var moved = asAlice.putEmpty(base + "/" + evidence);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().path("folderId").asText()).isEqualTo(evidence);
        assertThat(asAlice.get("/projects/" + projectId + "/documents/folder/" + evidence).json().findValuesAsText("documentId")).containsExactly(documentId);
        assertThat(asAlice.get("/projects/" + projectId + "/documents/folder/" + pleadings).json().size()).isZero();
        var otherProject = project("Elsewhere");
        assertThat(asAlice.putEmpty(base + "/" + folder(otherProject, "Evidence")).status()).as("a folder of another project").isEqualTo(404);
        var intoOther = upload(asAlice, projectId, folder(otherProject, "Evidence"), "x.pdf", random(10), "", Map.of());
        assertThat(intoOther.status()).as("an upload into a folder of another project of the tenant").isEqualTo(404);
        assertThat(intoOther.body()).contains("Folder not found");
        assertThat(asAlice.get("/projects/" + otherProject + "/documents/" + documentId).status()).isEqualTo(404);
        assertThat(otherTenant.get(base).status()).isEqualTo(404);
        assertThat(otherTenant.get(base + "/content").status()).isEqualTo(404);

        assertThat(asAlice.delete(base).status()).isEqualTo(200);
        assertThat(asAlice.get(base).status()).isEqualTo(404);
    }

    @Test
    void versions_replaceListDownloadAndTheDeletionRules() throws Exception {
        var projectId = project("Versions");
        var folderId = folder(projectId, "Pleadings");
        var first = random(2000);
        var documentId = upload(asAlice, projectId, folderId, "v.pdf", first, "", Map.of()).json().path("documentId").asText();
        var base = "/projects/" + projectId + "/documents/" + documentId;
        var only = asAlice.delete(base + "/versions/1");
        assertThat(only.status()).isEqualTo(409);
        assertThat(only.json().path("message").asText()).isEqualTo("You cannot delete the only version of a document");
        var second = random(3000);
        var boundary = "b" + UUID.randomUUID();
        var replaced = asAlice.send("POST", base + "/replace", Opus2Client.multipart(boundary, Map.of(), "v2.pdf", "application/pdf", second),
                "multipart/form-data; boundary=" + boundary);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        assertThat(replaced.json().path("version").asInt()).isEqualTo(2);
        var versions = asAlice.get(base + "/versions").json();
        assertThat(versions.findValuesAsText("versionId")).containsExactly("1", "2");
        assertThat(asAlice.get(base + "/versions/1/content").bytes()).isEqualTo(first);
        assertThat(asAlice.get(base + "/content").bytes()).isEqualTo(second);
        assertThat(asAlice.get(base + "/versions/2").json().path("current").asBoolean()).isTrue();
        var unknown = asAlice.get(base + "/versions/7");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).isEqualTo("Document version not found");
        var malformed = asAlice.get(base + "/versions/x1");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("message").asText()).isEqualTo("Invalid version ID format");
        assertThat(asBob.delete(base + "/versions/2").status()).isEqualTo(403);
        var deleted = asAlice.delete(base + "/versions/2");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("version").asInt()).isEqualTo(1);
        assertThat(asAlice.get(base + "/content").bytes()).isEqualTo(first);
        assertThat(asAlice.delete(base + "/versions/2").json().path("message").asText()).isEqualTo("Document version not found");
    }

    @Test
    void addADocumentAvoidingDuplicates_rejectDuplicateRefusesContentTheProjectHolds() {
        var projectId = project("Duplicates");
        var folderId = folder(projectId, "Evidence");
        var content = random(5000);
        assertThat(upload(asAlice, projectId, folderId, "a.pdf", content, "?rejectDuplicate=true", Map.of()).status()).isEqualTo(201);
        var duplicate = upload(asAlice, projectId, folderId, "b.pdf", content, "?rejectDuplicate=true", Map.of());
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(upload(asAlice, projectId, folderId, "b.pdf", content, "", Map.of()).status()).as("allowed without the flag").isEqualTo(201);
        var elsewhere = project("Duplicates elsewhere");
        assertThat(upload(asAlice, elsewhere, folder(elsewhere, "Evidence"), "a.pdf", content, "?rejectDuplicate=true", Map.of()).status())
                .as("another project's content is no duplicate").isEqualTo(201);
        assertThat(upload(asAlice, projectId, folderId, "a.pdf", content, "?rejectDuplicate=maybe", Map.of()).status()).isEqualTo(400);
        assertThat(upload(asAlice, projectId, "abc", "a.pdf", content, "", Map.of()).status()).isEqualTo(400);
        assertThat(upload(asAlice, projectId, folderId, null, content, "", Map.of()).status()).isEqualTo(400);
        var notMultipart = asAlice.post("/projects/" + projectId + "/documents", "{}");
        assertThat(notMultipart.status()).isEqualTo(400);
    }

    /**
     * An upload is stored as it streams in and written with its document in one transaction: one
     * refused, before that transaction or inside it (a field value the template refuses, after the
     * document's rows were written), leaves no document, and its blob is discarded.
     */
    @Test
    void addADocument_aRefusedUploadLeavesNoDocumentAndNoBlob() throws Exception {
        var projectId = project("Refused uploads");
        var folderId = folder(projectId, "Evidence");
        var since = java.time.Instant.now().minusSeconds(2);
        int size = 6_173;   // the size of every file this test sends, to find their blobs among the server's
        var kept = random(size);
        assertThat(upload(asAlice, projectId, folderId, "kept.pdf", kept, "", Map.of()).status()).isEqualTo(201);
        var documents = "/projects/" + projectId + "/documents/folder/" + folderId;
        assertThat(asAlice.get(documents).json().size()).isEqualTo(1);
        assertThat(blobsOfSize(since, size)).as("the stored upload's blob").isEqualTo(1);

        assertThat(upload(asAlice, projectId, folder(project("Refused elsewhere"), "Evidence"), "a.pdf", random(size), "", Map.of()).status())
                .as("a folder of another project").isEqualTo(404);
        assertThat(upload(asAlice, projectId, folderId, "a.pdf", kept, "?rejectDuplicate=true", Map.of()).status()).isEqualTo(409);
        var badValue = upload(asAlice, projectId, folderId, "a.pdf", random(size), "", Map.of("fields", "{\"pages\":\"many\"}"));
        assertThat(badValue.status()).as(badValue.body()).isEqualTo(400);
        assertThat(upload(asAlice, projectId, folderId, "a.pdf", random(size), "", Map.of("fields", "[not json")).status()).isEqualTo(400);

        assertThat(asAlice.get(documents).json().size()).isEqualTo(1);
        assertThat(blobsOfSize(since, size)).as("the refused uploads' blobs are discarded").isEqualTo(1);
    }

    /** How many blobs of {@code size} bytes the server's blob store holds that were stored since {@code since}. */
    private long blobsOfSize(java.time.Instant since, long size) throws Exception {
        var blobs = dossier.blobs();
        try (var listed = blobs.list()) {
            return listed.filter(blob -> !blob.storedAt().isBefore(since)).filter(blob -> {
                try {
                    return blobs.size(blob.id()).orElse(-1L) == size;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).count();
        }
    }

    @Test
    void queryDocumentsUsingADateFilter_pollingWithTheNewestDateSeenMissesNothing() {
        var projectId = project("Polling");
        var folderId = folder(projectId, "Evidence");
        var bad = asAlice.get("/projects/" + projectId + "/documents?afterDate=2024-01-01");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).isEqualTo("Invalid timestamp format. Use format yyyy-MM-dd'T'HH:mm:ss'Z'");
        var seen = new java.util.HashSet<String>();
        var added = new java.util.HashSet<String>();
        var after = "2000-01-01T00:00:00Z";
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 3; i++) {
                added.add(upload(asAlice, projectId, folderId, "p" + round + i + ".pdf", random(10), "", Map.of()).json().path("documentId").asText());
            }
            var page = asAlice.get("/projects/" + projectId + "/documents?afterDate=" + after);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (var document : page.json()) {
                seen.add(document.path("documentId").asText());
                var modified = document.path("modifiedAt").asText();
                if (modified.compareTo(after) > 0) {
                    after = modified;
                }
            }
        }
        assertThat(seen).containsAll(added);
        var inFolder = asAlice.get("/projects/" + projectId + "/documents/folder/" + folderId + "?afterDate=2000-01-01T00:00:00Z");
        assertThat(inFolder.json().size()).isEqualTo(12);
        assertThat(asAlice.get("/projects/" + projectId + "/documents?afterDate=2999-01-01T00:00:00Z").json().size()).isZero();
    }

    @Test
    void fields_updateAMetadataFieldOfADocumentCheckedAgainstItsTypeAndOptions() {
        var projectId = project("Fields");
        var folderId = folder(projectId, "Evidence");
        var base = "/projects/" + projectId + "/documents/"
                + upload(asAlice, projectId, folderId, "f.pdf", random(10), "", Map.of()).json().path("documentId").asText();
        var set = asAlice.put(base + "/fields/category", "{\"value\":\"Letter\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("fields").path("category").asText()).isEqualTo("Letter");
        assertThat(asAlice.put(base + "/fields/category", "{\"value\":\"Memo\"}").status()).isEqualTo(400);
        assertThat(asAlice.put(base + "/fields/pages", "{\"value\":\"many\"}").status()).isEqualTo(400);
        assertThat(asAlice.put(base + "/fields/pages", "{\"value\":3}").json().path("fields").path("pages").asText()).isEqualTo("3");
        assertThat(asAlice.put(base + "/fields/nope", "{\"value\":\"x\"}").status()).isEqualTo(404);
        assertThat(asAlice.put(base + "/fields/category", "{}").status()).isEqualTo(400);
        var cleared = asAlice.put(base + "/fields/category", "{\"value\":null}");
        assertThat(cleared.json().path("fields").has("category")).isFalse();
        assertThat(cleared.json().path("fields").path("pages").asText()).isEqualTo("3");
    }

    @Test
    void prerequisites_bothOperatorSwitchesAreSettings() {
        var projectId = project("Switches");
        var folderId = folder(projectId, "Evidence");
        var base = "/projects/" + projectId + "/documents/"
                + upload(asAlice, projectId, folderId, "s.pdf", random(10), "", Map.of()).json().path("documentId").asText();
        var admin = server.http().bearer(server.adminToken());
        var containerSetting = "/admin/api/tenants/" + tenant + "/containers/project/" + projectId + "/settings/documents.download-via-api";
        assertThat(put(admin, containerSetting, "{\"value\":false}").status()).isEqualTo(200);
        assertThat(asAlice.get(base + "/content").status()).isEqualTo(403);
        assertThat(asAlice.get(base).status()).as("only downloads are refused").isEqualTo(200);
        assertThat(admin.delete(containerSetting).status()).isEqualTo(200);
        assertThat(asAlice.get(base + "/content").status()).isEqualTo(200);
        var tenantSetting = "/admin/api/tenants/" + tenant + "/settings/api.access-allowed";
        assertThat(put(admin, tenantSetting, "{\"value\":false}").status()).isEqualTo(200);
        try {
            assertThat(asAlice.get("/projects").status()).isEqualTo(403);
            assertThat(asBob.get("/roles").status()).isEqualTo(403);
        } finally {
            assertThat(admin.delete(tenantSetting).status()).isEqualTo(200);
        }
        assertThat(asAlice.get("/projects").status()).isEqualTo(200);
    }

    static Http.Response put(Http http, String path, String json) {
        return http.send(http.builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void apiRateLimiting_fiftyRequestsPerMinuteByDefaultThen429WithRetryAfter() {
        var limited = new Opus2Client(server, token(tenantId, carol, null));
        for (int i = 0; i < 50; i++) {
            assertThat(limited.get("/roles").status()).isEqualTo(200);
        }
        var refused = limited.get("/roles");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        assertThat(asCarol.get("/roles").status()).as("another client is not held back").isEqualTo(200);

        // configurable per client, by the operator
        var issued = dossier.identities().createClient(tenantId, ClientKind.API_TOKEN, "three a minute", carol, Set.of());
        var admin = server.http().bearer(server.adminToken());
        var set = put(admin, "/admin/api/tenants/" + tenant + "/clients/" + issued.client().id() + "/rate-limits/opus2", "{\"perMinute\":3}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        var three = new Opus2Client(server, issued.secret());
        for (int i = 0; i < 3; i++) {
            assertThat(three.get("/roles").status()).isEqualTo(200);
        }
        assertThat(three.get("/roles").status()).isEqualTo(429);
    }

    @Test
    void badInputIsA400InTheApisShapeNeverA500() {
        var projectId = project("Bad input");
        for (var response : List.of(
                asAlice.post("/projects", "not json"),
                asAlice.post("/projects", "[]"),
                asAlice.post("/projects", "{\"name\":{\"x\":1}}"),
                asAlice.get("/projects/12abc"),
                asAlice.get("/projects/99999999999999999999"),
                asAlice.get("/projects/" + projectId + "/documents/folder/x"),
                asAlice.get("/projects/" + projectId + "/documents?page=two"),
                asAlice.get("/projects/" + projectId + "/documents?afterDate=2024-13-45T99:00:00Z"),
                asAlice.post("/tokens", "{\"userId\":\"me\",\"name\":\"x\"}"),
                asAlice.put("/projects/" + projectId + "/users/x", "{\"roleId\":"),
                asAlice.send("POST", "/projects/" + projectId + "/documents", HttpRequest.BodyPublishers.ofString("--b\r\nnot a part"),
                        "multipart/form-data; boundary=b"),
                upload(asAlice, projectId, folder(projectId, "Evidence"), "x.pdf", random(10), "", Map.of("fields", "{not json")),
                upload(asAlice, projectId, folder(projectId, "Evidence"), "x.pdf", random(10), "", Map.of("fields", "{\"pages\":{\"a\":1}}")),
                asAlice.put("/projects/" + projectId + "/documents/1/fields/pages", "[1]"))) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            JsonNode body = response.json();
            assertThat(body.path("status").asInt()).isEqualTo(400);
            assertThat(body.path("message").asText()).isNotBlank();
        }
        assertThat(asAlice.get("/projects/99999999").status()).isEqualTo(404);
        var unknown = RawHttp.exchange(server, "GET /opus2/no/such/route HTTP/1.1\r\nHost: 127.0.0.1", new byte[0]);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("status").asInt()).isEqualTo(404);
        var verb = RawHttp.exchange(server, "DELETE /opus2/roles HTTP/1.1\r\nHost: 127.0.0.1", new byte[0]);
        assertThat(verb.status()).isIn(404, 405);
        assertThat(verb.json().path("message").asText()).isNotBlank();
    }

    @Test
    void tenantIsolation_everyIdOfAnotherTenantIsNotFound() {
        var projectId = project("Isolation");
        var folderId = folder(projectId, "Evidence");
        var documentId = upload(asAlice, projectId, folderId, "i.pdf", random(10), "", Map.of()).json().path("documentId").asText();
        var tokenId = asAlice.post("/tokens", "{\"userId\":\"" + alice + "\",\"name\":\"isolation\"}").json().path("tokenId").asText();
        var base = "/projects/" + projectId + "/documents/" + documentId;
        for (var response : List.of(otherTenant.get("/projects/" + projectId), otherTenant.get("/projects/" + projectId + "/folders"),
                otherTenant.get("/projects/" + projectId + "/folders/Evidence"), otherTenant.get("/projects/" + projectId + "/fields"),
                otherTenant.get("/projects/" + projectId + "/users"), otherTenant.get("/projects/" + projectId + "/documents/folder/" + folderId),
                otherTenant.get(base), otherTenant.get(base + "/content"), otherTenant.get(base + "/versions"),
                otherTenant.get(base + "/versions/1"), otherTenant.delete(base + "/versions/1"), otherTenant.patch(base, "{\"name\":\"x\"}"),
                otherTenant.putEmpty(base + "/" + folderId), otherTenant.put(base + "/fields/pages", "{\"value\":1}"),
                otherTenant.delete(base), otherTenant.delete("/projects/" + projectId + "/folders/" + folderId),
                otherTenant.get("/user/id/" + alice), otherTenant.get("/teams/" + reviewers + "/users"),
                otherTenant.delete("/tokens/" + tokenId), upload(otherTenant, projectId, folderId, "m.pdf", random(10), "", Map.of()))) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
        }
        var own = otherTenant.post("/projects", "{\"name\":\"Mallory's\"}").json().path("projectId").asText();
        assertThat(upload(otherTenant, own, folderId, "m.pdf", random(10), "", Map.of()).status()).as("a folder id of another tenant").isEqualTo(404);
        assertThat(otherTenant.putEmpty("/projects/" + own + "/documents/" + documentId + "/" + folderId).status()).isEqualTo(404);
        assertThat(otherTenant.get("/projects").json().findValuesAsText("projectId")).containsExactly(own);
        assertThat(asAlice.get(base).status()).as("nothing changed").isEqualTo(200);
    }

    /**
     * Uploads and downloads read the token, the project's grants and the download switch in one
     * statement each, nothing of it kept: what changes (a team left, a grant removed, a token revoked
     * as another node would, without this node hearing of it, a switch set on the tenant) holds at the
     * very next request.
     */
    @Test
    void access_uploadsAndDownloadsFollowTeamsGrantsTokensAndSwitchesAtTheVeryNextRequest() {
        var projectId = asAlice.post("/projects", "{\"name\":\"Next request\"}").json().path("projectId").asText();
        var folderId = asAlice.post("/projects/" + projectId + "/folders", "{\"name\":\"In\"}").json().path("folderId").asText();
        var content = "/projects/" + projectId + "/documents/"
                + upload(asAlice, projectId, folderId, "n.pdf", random(10), "", Map.of()).json().path("documentId").asText() + "/content";
        var team = dossier.identities().createGroup(tenantId, "Uploaders " + tenant).id();
        var bobEmail = URLEncoder.encode("bob@" + tenant + ".example", StandardCharsets.UTF_8);
        assertThat(asAlice.putEmpty("/projects/" + projectId + "/teams/" + team).status()).isEqualTo(200);
        assertThat(upload(asBob, projectId, folderId, "b.pdf", random(10), "", Map.of()).status()).as("not in the team yet").isEqualTo(403);
        assertThat(asAlice.putEmpty("/teams/" + team + "/users/" + bobEmail).status()).isEqualTo(200);
        assertThat(upload(asBob, projectId, folderId, "b.pdf", random(10), "", Map.of()).status()).as("read-write by the team").isEqualTo(201);
        assertThat(asBob.get(content).status()).isEqualTo(200);
        assertThat(asAlice.delete("/teams/" + team + "/users/" + bobEmail).status()).isEqualTo(200);
        assertThat(upload(asBob, projectId, folderId, "b.pdf", random(10), "", Map.of()).status()).as("left the team").isEqualTo(403);
        assertThat(asBob.get(content).status()).isEqualTo(403);
        assertThat(asAlice.put("/projects/" + projectId + "/users/" + bobEmail, "{\"roleId\":\"read-only\"}").status()).isEqualTo(200);
        assertThat(asBob.get(content).status()).isEqualTo(200);
        assertThat(upload(asBob, projectId, folderId, "b.pdf", random(10), "", Map.of()).status()).as("read-only").isEqualTo(403);
        assertThat(asAlice.delete("/projects/" + projectId + "/users/" + bobEmail).status()).isEqualTo(200);
        assertThat(asBob.get(content).status()).as("removed from the project").isEqualTo(403);

        var issued = dossier.identities().createClient(tenantId, ClientKind.API_TOKEN, "next request", alice, Set.of());
        var own = asAlice.withToken(issued.secret());
        assertThat(own.get(content).status()).isEqualTo(200);
        dossier.identities().revokeClient(tenantId, issued.client().id());
        assertThat(own.get(content).status()).as("revoked in the database, as on another node").isEqualTo(401);
        assertThat(upload(own, projectId, folderId, "r.pdf", random(10), "", Map.of()).status()).isEqualTo(401);

        var admin = server.http().bearer(server.adminToken());
        var tenantSwitch = "/admin/api/tenants/" + tenant + "/settings/documents.download-via-api";
        var projectSwitch = "/admin/api/tenants/" + tenant + "/containers/project/" + projectId + "/settings/documents.download-via-api";
        assertThat(put(admin, tenantSwitch, "{\"value\":false}").status()).isEqualTo(200);
        try {
            assertThat(asAlice.get(content).status()).as("off for the tenant's projects").isEqualTo(403);
            assertThat(put(admin, projectSwitch, "{\"value\":true}").status()).isEqualTo(200);
            assertThat(asAlice.get(content).status()).as("on for this project").isEqualTo(200);
        } finally {
            assertThat(admin.delete(tenantSwitch).status()).isEqualTo(200);
        }
    }

    /** What curl sends for the publication's {@code curl -i -X VERB -H 'X-API-Token:TOKEN' -d {data}} (with -d: a form content type). */
    RawHttp.Answer curl(String method, String path, String token, String data) {
        var head = method + " /opus2" + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.server().port() + "\r\nUser-Agent: curl/8.5.0\r\n"
                + "Accept: */*\r\nX-API-Token:" + token;
        var body = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
        if (data != null) {
            head += "\r\nContent-Length: " + body.length + "\r\nContent-Type: application/x-www-form-urlencoded";
        }
        return RawHttp.exchange(server, head, body);
    }

    @Test
    void structureOfTheApiUrl_curlsOwnBytesWithDataSentAsAForm() {
        var token = token(tenantId, alice, 1000);
        var created = curl("POST", "/tokens", token, "{\"userId\":\"" + alice + "\",\"name\":\"ATokenName\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("token").asText()).isNotBlank();
        var listed = curl("GET", "/users", token, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.header("X-Total-Count")).isNotNull();
        dossier.identities().createUser(tenantId, tenant + "-henry", "henry@" + tenant + ".example", "Henry", null);
        var team = dossier.identities().createGroup(tenantId, "Curl team").id();
        var email = URLEncoder.encode("henry@" + tenant + ".example", StandardCharsets.UTF_8);
        var put = curl("PUT", "/teams/" + team + "/users/" + email, token, null);
        assertThat(put.status()).as("a PUT without a body and without Content-Length").isEqualTo(200);
        var delete = curl("DELETE", "/teams/" + team + "/users/" + email, token, null);
        assertThat(delete.status()).isEqualTo(200);
        var withLength = RawHttp.exchange(server, "PUT /opus2/teams/" + team + "/users/" + email + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-API-Token: " + token + "\r\nContent-Length: 0", new byte[0]);
        assertThat(withLength.status()).as("a PUT with Content-Length: 0").isEqualTo(200);
    }

    @Test
    void clientCodes_400InvalidTimestampAnd409TheOnlyVersion() {
        var projectId = project("Client codes");
        var folderId = folder(projectId, "Evidence");
        var documentId = upload(asAlice, projectId, folderId, "c.pdf", random(10), "", Map.of()).json().path("documentId").asText();
        var timestamp = asAlice.get("/projects/" + projectId + "/documents/folder/" + folderId + "?afterDate=yesterday");
        assertThat(timestamp.status()).isEqualTo(400);
        assertThat(timestamp.json().path("message").asText()).startsWith("Invalid timestamp format. Use format ");
        var only = asAlice.delete("/projects/" + projectId + "/documents/" + documentId + "/versions/1");
        assertThat(only.status()).isEqualTo(409);
        assertThat(only.json().path("message").asText()).isEqualTo("You cannot delete the only version of a document");
    }

    @Test
    void errorCodes_403NoPermissionToDeleteThisFileAnd404DocumentVersionNotFound() {
        var projectId = project("Error codes");
        var folderId = folder(projectId, "Evidence");
        var documentId = upload(asAlice, projectId, folderId, "e.pdf", random(10), "", Map.of()).json().path("documentId").asText();
        var bobEmail = URLEncoder.encode("bob@" + tenant + ".example", StandardCharsets.UTF_8);
        assertThat(asAlice.put("/projects/" + projectId + "/users/" + bobEmail, "{\"roleId\":\"read-only\"}").status()).isEqualTo(200);
        var forbidden = asBob.delete("/projects/" + projectId + "/documents/" + documentId);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("message").asText()).isEqualTo("You do not have permission to delete this file");
        assertThat(upload(asBob, projectId, folderId, "bob.pdf", random(10), "", Map.of()).status()).isEqualTo(403);
        var boundary = "b" + UUID.randomUUID();
        assertThat(asBob.send("POST", "/projects/" + projectId + "/documents/" + documentId + "/replace",
                Opus2Client.multipart(boundary, Map.of(), "v2.pdf", "application/pdf", random(10)), "multipart/form-data; boundary=" + boundary)
                .status()).isEqualTo(403);
        var missing = asBob.get("/projects/" + projectId + "/documents/" + documentId + "/versions/2");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("Document version not found");
    }

    @Test
    void returnCodes_200_201_401_AndValidationFailedInvalidVersionIdFormat() {
        var projectId = project("Return codes");
        var folderId = folder(projectId, "Evidence");
        var created = upload(asAlice, projectId, folderId, "r.pdf", random(10), "", Map.of());
        assertThat(created.status()).isEqualTo(201);
        var base = "/projects/" + projectId + "/documents/" + created.json().path("documentId").asText();
        assertThat(asAlice.get(base).status()).isEqualTo(200);
        assertThat(asAlice.withToken("nope").get(base).status()).isEqualTo(401);
        var invalid = asAlice.get(base + "/versions/v1");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("message").asText()).isEqualToIgnoringCase("Invalid version ID Format");
    }

    @Test
    void httpVerbs_headOnAnyResourcePatchOrPostForPartialUpdatesAndPutWithContentLengthZero() {
        var projectId = project("Verbs");
        var evidence = folder(projectId, "Evidence");
        var pleadings = folder(projectId, "Pleadings");
        var base = "/projects/" + projectId + "/documents/"
                + upload(asAlice, projectId, evidence, "h.pdf", random(10), "", Map.of()).json().path("documentId").asText();
        for (var path : List.of("/roles", "/users", "/teams", "/templates", "/projects", "/projects/" + projectId, "/projects/" + projectId + "/folders",
                "/projects/" + projectId + "/documents", base, base + "/versions", base + "/content", "/projects/" + projectId + "/fields")) {
            var head = asAlice.head(path);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.bytes()).isEmpty();
        }
        assertThat(asAlice.patch(base, "{\"name\":\"patched\"}").json().path("name").asText()).isEqualTo("patched");
        assertThat(asAlice.post(base, "{\"name\":\"posted\"}").json().path("name").asText()).isEqualTo("posted");
        var put = asAlice.putEmpty(base + "/" + pleadings);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }
}
