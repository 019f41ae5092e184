package io.dossier.api.opus2;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.api.http.Admission;
import io.dossier.api.http.Bodies;
import io.dossier.api.http.Credentials;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.Downloads;
import io.dossier.api.http.ErrorShape;
import io.dossier.api.http.Json;
import io.dossier.api.http.MultipartForm;
import io.dossier.api.http.MultipartReader;
import io.dossier.api.http.Responses;
import io.dossier.api.http.Routes;
import io.dossier.api.http.UtcMillis;
import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.AccessGrant;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Callers;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Subject;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredBlob;
import io.dossier.core.content.StoredFile;
import io.dossier.core.document.Document;
import io.dossier.core.document.DocumentVersion;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.Group;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.User;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.paging.Page;
import io.dossier.core.project.Folder;
import io.dossier.core.project.Project;
import io.dossier.core.project.Projects;
import io.dossier.core.project.ProjectTemplate;
import io.dossier.core.ratelimit.RateLimit;
import io.dossier.core.ratelimit.RateLimiter;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Opus 2 Platform inbound Documents REST API under {@code /opus2}: API tokens, users, roles,
 * teams, projects, project templates, folders, versioned documents and their fields. A thin
 * translator: users and teams are core users and groups, projects and folders core containers
 * ({@link Projects}), documents core documents, fields core runtime metadata, the limiter
 * core's. Bodies are described in {@code openapi.json}, served at {@code /opus2/openapi.json}.
 */
public final class Opus2Api implements Dialect {

    /** The publication's initial default: 50 requests per minute per client. */
    public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perMinute(50);
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    static final String TIMESTAMP_ERROR = "Invalid timestamp format. Use format yyyy-MM-dd'T'HH:mm:ss'Z'";
    private static final MultipartForm.Limits FORM_LIMITS = new MultipartForm.Limits(MultipartReader.Limits.DEFAULT, 64 * 1024);

    /** The roles a user or team holds on a project, strongest first. */
    enum Role {
        OWNER("owner", "Owner", Projects.OWNER),
        READ_WRITE("read-write", "Read Write", Projects.READ_WRITE),
        READ_ONLY("read-only", "Read Only", Projects.READ_ONLY);

        final String id;
        final String label;
        final Permissions permissions;

        Role(String id, String label, Permissions permissions) {
            this.id = id;
            this.label = label;
            this.permissions = permissions;
        }

        static Role of(Permissions held) {
            if (held.contains(Permission.SECURITY)) {
                return OWNER;
            }
            return held.contains(Permission.WRITE) ? READ_WRITE : READ_ONLY;
        }

        static Role byId(String id) {
            for (var role : values()) {
                if (role.id.equalsIgnoreCase(id)) {
                    return role;
                }
            }
            throw Failure.invalid("roleId must be one of owner, read-write, read-only");
        }
    }

    private final IdentityService identities;
    private final Callers callers;
    private final Projects projects;
    private final ContentService content;
    private final RateLimiter limiter;
    private final long maxFileBytes;
    private final Transactions transactions;
    private final byte[] openApi;

    /** @param transactions for writes of several core calls that must happen all or not at all (adding several users) */
    public Opus2Api(IdentityService identities, Callers callers, Projects projects, ContentService content,
                    RateLimiter limiter, long maxFileBytes, Transactions transactions) {
        this.transactions = transactions;
        this.identities = identities;
        this.callers = callers;
        this.projects = projects;
        this.content = content;
        this.limiter = limiter;
        this.maxFileBytes = maxFileBytes;
        try (var in = Opus2Api.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the Opus 2 OpenAPI document is missing from the build", e);
        }
    }

    @Override
    public String name() {
        return "opus2";
    }

    @Override
    public ErrorShape errors() {
        return Opus2Errors::write;
    }

    @Override
    public void routes(Routes routes) {
        read(routes, "/openapi.json", ctx -> Responses.send(ctx, 200, "application/json", openApi));
        routes.post("/tokens", this::createToken);
        read(routes, "/tokens", this::tokens);
        routes.delete("/tokens/{tokenId}", this::deleteToken);
        read(routes, "/roles", this::roles);
        read(routes, "/users", this::users);
        routes.post("/users", this::createUsers);
        read(routes, "/user/id/{userId}", this::userById);
        read(routes, "/user/byemail", this::userByEmail);
        read(routes, "/teams", this::teams);
        read(routes, "/teams/{teamId}/users", this::teamUsers);
        routes.put("/teams/{teamId}/users/{email}", this::addTeamUser);
        routes.delete("/teams/{teamId}/users/{email}", this::removeTeamUser);
        read(routes, "/templates", this::templates);
        routes.post("/templates", this::createTemplate);
        read(routes, "/projects", this::projectList);
        routes.post("/projects", this::createProject);
        read(routes, "/projects/{projectId}", this::project);
        read(routes, "/projects/{projectId}/teams", this::projectTeams);
        routes.put("/projects/{projectId}/teams/{teamId}", this::addProjectTeam);
        routes.delete("/projects/{projectId}/teams/{teamId}", this::removeProjectTeam);
        read(routes, "/projects/{projectId}/users", this::projectUsers);
        routes.put("/projects/{projectId}/users/{email}", this::addProjectUser);
        routes.delete("/projects/{projectId}/users/{email}", this::removeProjectUser);
        read(routes, "/projects/{projectId}/folders", this::folders);
        routes.post("/projects/{projectId}/folders", this::createFolder);
        read(routes, "/projects/{projectId}/folders/{name}", this::folderByName);
        routes.delete("/projects/{projectId}/folders/{folderId}", this::deleteFolder);
        read(routes, "/projects/{projectId}/fields", this::fields);
        read(routes, "/projects/{projectId}/documents/folder/{folderId}", this::folderDocuments);
        read(routes, "/projects/{projectId}/documents", this::documents);
        routes.post("/projects/{projectId}/documents", this::upload);
        read(routes, "/projects/{projectId}/documents/{documentId}", this::document);
        routes.patch("/projects/{projectId}/documents/{documentId}", this::updateDocument);
        routes.post("/projects/{projectId}/documents/{documentId}", this::updateDocument);
        routes.delete("/projects/{projectId}/documents/{documentId}", this::deleteDocument);
        routes.post("/projects/{projectId}/documents/{documentId}/replace", this::replace);
        read(routes, "/projects/{projectId}/documents/{documentId}/content", this::content);
        read(routes, "/projects/{projectId}/documents/{documentId}/versions", this::versions);
        read(routes, "/projects/{projectId}/documents/{documentId}/versions/{versionId}", this::version);
        routes.delete("/projects/{projectId}/documents/{documentId}/versions/{versionId}", this::deleteVersion);
        read(routes, "/projects/{projectId}/documents/{documentId}/versions/{versionId}/content", this::versionContent);
        routes.put("/projects/{projectId}/documents/{documentId}/fields/{fieldId}", this::setField);
        routes.put("/projects/{projectId}/documents/{documentId}/{folderId}", this::move);
    }

    /** GET and HEAD (the headers of the GET, no body) on one resource. */
    private static void read(Routes routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }

    // ---- the caller

    /**
     * The owner of the request's API token ({@code X-API-Token}, also {@code X-Tenant-Token} as the
     * publication's example spells it), admitted under its client's rate limit, in a tenant whose
     * API access is on, read in one statement. The token is looked up on every request, so a
     * revocation holds at once on every node.
     */
    private Caller caller(Context ctx) {
        var secret = Credentials.first(ctx, Credentials.Source.header("X-API-Token"), Credentials.Source.header("X-Tenant-Token"))
                .orElse(null);
        Callers.KeyCaller resolved;
        try {
            resolved = callers.byKey(ClientKind.API_TOKEN, secret);
        } catch (Failure failure) {
            throw Failure.unauthenticated(Opus2Errors.INVALID_TOKEN);
        }
        Admission.admit(ctx, limiter, resolved.caller().clientId(), name());
        return resolved.requireApiAccess();
    }

    private static long userOf(Caller caller) {
        return caller.userId().orElseThrow(() -> Failure.forbidden("You do not have permission to do this: the token has no user"));
    }

    // ---- tokens

    private void createToken(Context ctx) throws IOException {
        var caller = caller(ctx);
        var body = object(ctx);
        var userId = id(idText(body, "userId", true), "user");
        var name = text(body, "name", true);
        if (userId != userOf(caller)) {
            throw Failure.forbidden("You do not have permission to create a token for another user");
        }
        var issued = identities.createClient(caller.tenantId(), ClientKind.API_TOKEN, name, userId, Set.of());
        var out = token(issued.client());
        out.put("token", issued.secret());
        Json.write(ctx, 201, out);
    }

    private void tokens(Context ctx) {
        var caller = caller(ctx);
        var user = userOf(caller);
        var list = identities.listClients(caller.tenantId()).stream()
                .filter(c -> c.kind() == ClientKind.API_TOKEN && !c.revoked() && c.userId() != null && c.userId() == user)
                .map(this::token).toList();
        paged(ctx, list);
    }

    private void deleteToken(Context ctx) {
        var caller = caller(ctx);
        var id = id(ctx.pathParam("tokenId"), "token");
        var user = userOf(caller);
        // another user's token does not exist for this one
        identities.listClients(caller.tenantId()).stream()
                .filter(c -> c.id() == id && c.kind() == ClientKind.API_TOKEN && !c.revoked() && c.userId() != null && c.userId() == user)
                .findFirst().orElseThrow(() -> Failure.notFound("Token not found"));
        identities.revokeClient(caller.tenantId(), id);
        callers.forget(caller.tenantId(), id);
        deleted(ctx, "tokenId", id);
    }

    private Map<String, Object> token(Client client) {
        var out = new LinkedHashMap<String, Object>();
        out.put("tokenId", Long.toString(client.id()));
        out.put("userId", Long.toString(client.userId()));
        out.put("name", client.name());
        out.put("createdAt", UtcMillis.format(client.createdAt()));
        return out;
    }

    // ---- users, roles and teams

    private void roles(Context ctx) {
        caller(ctx);
        var out = new ArrayList<Map<String, Object>>();
        for (var role : Role.values()) {
            var item = new LinkedHashMap<String, Object>();
            item.put("roleId", role.id);
            item.put("name", role.label);
            item.put("canRead", true);
            item.put("canWrite", role.permissions.contains(Permission.WRITE));
            item.put("canShare", role.permissions.contains(Permission.SECURITY));
            out.add(item);
        }
        Json.write(ctx, 200, out);
    }

    private void users(Context ctx) {
        var caller = caller(ctx);
        paged(ctx, identities.listUsers(caller.tenantId()).stream().map(Opus2Api::user).toList());
    }

    private void createUsers(Context ctx) throws IOException {
        var caller = caller(ctx);
        projects.requireDirectory(caller);
        var body = json(ctx);
        var items = new ArrayList<JsonNode>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else if (body.isObject()) {
            items.add(body);
        } else {
            throw Failure.invalid("the body must be a user object or an array of them");
        }
        if (items.isEmpty() || items.size() > 100) {
            throw Failure.invalid("send 1 to 100 users");
        }
        var checked = new ArrayList<String[]>();
        for (var item : items) {
            if (!item.isObject()) {
                throw Failure.invalid("each user must be an object");
            }
            var email = text(item, "email", true);
            if (!email.matches("[^@\\s]+@[^@\\s]+")) {
                throw Failure.invalid("email is not an e-mail address");
            }
            var username = text(item, "username", false);
            checked.add(new String[] {email, username == null ? email : username, text(item, "name", false)});
        }
        if (checked.stream().map(u -> u[0].toLowerCase(java.util.Locale.ROOT)).distinct().count() < checked.size()) {
            throw Failure.invalid("the same email appears twice");
        }
        // all of them or none
        var created = transactions.inTransaction(() -> {
            var out = new ArrayList<Map<String, Object>>();
            for (var user : checked) {
                if (identities.userByEmail(caller.tenantId(), user[0]).isPresent()) {
                    throw Failure.conflict("A user with email " + user[0] + " already exists");
                }
                out.add(user(identities.createUser(caller.tenantId(), user[1], user[0], user[2], null).user()));
            }
            return out;
        });
        Json.write(ctx, 201, body.isArray() ? created : created.getFirst());
    }

    private void userById(Context ctx) {
        var caller = caller(ctx);
        var id = id(ctx.pathParam("userId"), "user");
        Json.write(ctx, 200, user(identities.findUser(caller.tenantId(), id).orElseThrow(() -> Failure.notFound("User not found"))));
    }

    private void userByEmail(Context ctx) {
        var caller = caller(ctx);
        var email = ctx.queryParam("email");
        if (email == null || email.isBlank()) {
            throw Failure.invalid("email is required");
        }
        Json.write(ctx, 200, user(userByEmail(caller, email)));
    }

    private User userByEmail(Caller caller, String email) {
        return identities.userByEmail(caller.tenantId(), email).orElseThrow(() -> Failure.notFound("User not found"));
    }

    static Map<String, Object> user(User user) {
        var out = new LinkedHashMap<String, Object>();
        out.put("userId", Long.toString(user.id()));
        out.put("email", user.email());
        out.put("username", user.username());
        out.put("name", user.displayName());
        out.put("createdAt", UtcMillis.format(user.createdAt()));
        return out;
    }

    private void teams(Context ctx) {
        var caller = caller(ctx);
        paged(ctx, identities.listGroups(caller.tenantId()).stream().map(Opus2Api::team).toList());
    }

    private Group group(Caller caller, String raw) {
        return identities.findGroup(caller.tenantId(), id(raw, "team")).orElseThrow(() -> Failure.notFound("Team not found"));
    }

    private void teamUsers(Context ctx) {
        var caller = caller(ctx);
        var group = group(caller, ctx.pathParam("teamId"));
        var users = new ArrayList<Map<String, Object>>();
        for (var id : group.memberIds()) {
            identities.findUser(caller.tenantId(), id).ifPresent(u -> users.add(user(u)));
        }
        paged(ctx, users);
    }

    private void addTeamUser(Context ctx) {
        var caller = caller(ctx);
        projects.requireDirectory(caller);
        var group = group(caller, ctx.pathParam("teamId"));
        var user = userByEmail(caller, ctx.pathParam("email"));
        Json.write(ctx, 200, team(identities.addMember(caller.tenantId(), group.id(), user.id())));
    }

    private void removeTeamUser(Context ctx) {
        var caller = caller(ctx);
        projects.requireDirectory(caller);
        var group = group(caller, ctx.pathParam("teamId"));
        var user = userByEmail(caller, ctx.pathParam("email"));
        Json.write(ctx, 200, team(identities.removeMember(caller.tenantId(), group.id(), user.id())));
    }

    static Map<String, Object> team(Group group) {
        var out = new LinkedHashMap<String, Object>();
        out.put("teamId", Long.toString(group.id()));
        out.put("name", group.name());
        out.put("userIds", group.memberIds().stream().map(String::valueOf).toList());
        return out;
    }

    // ---- templates and projects

    private void templates(Context ctx) {
        var caller = caller(ctx);
        var out = new ArrayList<Map<String, Object>>();
        for (var template : projects.templates(caller)) {
            out.add(template(template));
        }
        paged(ctx, out);
    }

    /** A Dossier addition: {@code {"name","description","folders":[…],"teams":[{"teamId","roleId"}],"fields":[Field…]}}. */
    private void createTemplate(Context ctx) throws IOException {
        var caller = caller(ctx);
        var body = object(ctx);
        var folders = new ArrayList<String>();
        for (var folder : array(body, "folders")) {
            if (!folder.isTextual()) {
                throw Failure.invalid("folders must be an array of folder names");
            }
            folders.add(folder.asText());
        }
        var teams = new ArrayList<ProjectTemplate.TeamGrant>();
        for (var team : array(body, "teams")) {
            if (!team.isObject()) {
                throw Failure.invalid("teams must be an array of {teamId, roleId}");
            }
            var group = group(caller, idText(team, "teamId", true));
            var role = text(team, "roleId", false);
            teams.add(new ProjectTemplate.TeamGrant(group.id(), role == null ? Role.READ_WRITE.permissions : Role.byId(role).permissions));
        }
        var fields = new ArrayList<Attribute>();
        for (var field : array(body, "fields")) {
            if (!field.isObject()) {
                throw Failure.invalid("fields must be an array of field objects");
            }
            var options = new ArrayList<String>();
            for (var option : array(field, "options")) {
                if (!option.isValueNode() || option.isNull()) {
                    throw Failure.invalid("options must be strings");
                }
                options.add(option.asText());
            }
            fields.add(new Attribute(text(field, "fieldId", true), text(field, "name", false), fieldType(text(field, "type", true)),
                    flag(field, "required"), false, flag(field, "multiple"), fields.size(), !options.isEmpty(), options));
        }
        var template = projects.createTemplateWithFields(caller, text(body, "name", true), text(body, "description", false), folders, teams,
                fields);
        Json.write(ctx, 201, template(template));
    }

    private static Iterable<JsonNode> array(JsonNode body, String name) {
        var value = body.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw Failure.invalid(name + " must be an array");
        }
        return value;
    }

    private static boolean flag(JsonNode body, String name) {
        var value = body.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw Failure.invalid(name + " must be true or false");
        }
        return value.asBoolean();
    }

    private static io.dossier.core.metadata.AttributeType fieldType(String type) {
        return switch (type) {
            case "text" -> io.dossier.core.metadata.AttributeType.STRING;
            case "integer" -> io.dossier.core.metadata.AttributeType.INT;
            case "number" -> io.dossier.core.metadata.AttributeType.DOUBLE;
            case "date" -> io.dossier.core.metadata.AttributeType.DATE;
            case "boolean" -> io.dossier.core.metadata.AttributeType.BOOLEAN;
            case "user" -> io.dossier.core.metadata.AttributeType.USER;
            default -> throw Failure.invalid("type must be one of text, integer, number, date, boolean, user");
        };
    }

    private static Map<String, Object> template(ProjectTemplate template) {
        var out = new LinkedHashMap<String, Object>();
        out.put("templateId", Long.toString(template.id()));
        out.put("name", template.name());
        out.put("description", template.description());
        out.put("folders", template.folderNames());
        var teams = new ArrayList<Map<String, Object>>();
        for (var team : template.teams()) {
            var item = new LinkedHashMap<String, Object>();
            item.put("teamId", Long.toString(team.groupId()));
            item.put("roleId", Role.of(team.permissions()).id);
            teams.add(item);
        }
        out.put("teams", teams);
        if (template.metadataTemplateId() != null) {
            out.put("fieldSetId", Long.toString(template.metadataTemplateId()));
        }
        out.put("createdAt", UtcMillis.format(template.createdAt()));
        return out;
    }

    private void projectList(Context ctx) {
        var caller = caller(ctx);
        paged(ctx, projects.projects(caller).stream().map(Opus2Api::project).toList());
    }

    private void createProject(Context ctx) throws IOException {
        var caller = caller(ctx);
        var body = object(ctx);
        var template = idText(body, "templateId", false);
        var project = projects.create(caller, text(body, "name", true), text(body, "description", false),
                template == null ? null : id(template, "template"));
        Json.write(ctx, 201, project(project));
    }

    private void project(Context ctx) {
        var caller = caller(ctx);
        Json.write(ctx, 200, project(projects.project(caller, projectId(ctx))));
    }

    static Map<String, Object> project(Project project) {
        var out = new LinkedHashMap<String, Object>();
        out.put("projectId", Long.toString(project.id()));
        out.put("name", project.name());
        out.put("description", project.description());
        if (project.templateId() != null) {
            out.put("templateId", Long.toString(project.templateId()));
        }
        if (project.createdBy() != null) {
            out.put("createdBy", Long.toString(project.createdBy()));
        }
        out.put("createdAt", UtcMillis.format(project.createdAt()));
        return out;
    }

    private static long projectId(Context ctx) {
        return id(ctx.pathParam("projectId"), "project");
    }

    private void projectTeams(Context ctx) {
        var caller = caller(ctx);
        var members = projects.members(caller, projectId(ctx));
        var out = new ArrayList<Map<String, Object>>();
        for (AccessGrant grant : members) {
            if (grant.subject() instanceof Subject.Group g) {
                identities.findGroup(caller.tenantId(), g.id()).ifPresent(group -> {
                    var item = team(group);
                    item.put("roleId", Role.of(grant.permissions()).id);
                    out.add(item);
                });
            }
        }
        paged(ctx, out);
    }

    private void projectUsers(Context ctx) {
        var caller = caller(ctx);
        var members = projects.members(caller, projectId(ctx));
        var out = new ArrayList<Map<String, Object>>();
        for (AccessGrant grant : members) {
            if (grant.subject() instanceof Subject.User u) {
                identities.findUser(caller.tenantId(), u.id()).ifPresent(user -> {
                    var item = user(user);
                    item.put("roleId", Role.of(grant.permissions()).id);
                    out.add(item);
                });
            }
        }
        paged(ctx, out);
    }

    private void addProjectTeam(Context ctx) throws IOException {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var role = role(ctx);
        var group = group(caller, ctx.pathParam("teamId"));
        projects.share(caller, projectId, new Subject.Group(group.id()), role.permissions);
        var out = team(group);
        out.put("roleId", role.id);
        Json.write(ctx, 200, out);
    }

    private void removeProjectTeam(Context ctx) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var group = group(caller, ctx.pathParam("teamId"));
        projects.unshare(caller, projectId, new Subject.Group(group.id()));
        deleted(ctx, "teamId", group.id());
    }

    private void addProjectUser(Context ctx) throws IOException {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var role = role(ctx);
        var user = userByEmail(caller, ctx.pathParam("email"));
        projects.share(caller, projectId, new Subject.User(user.id()), role.permissions);
        var out = user(user);
        out.put("roleId", role.id);
        Json.write(ctx, 200, out);
    }

    private void removeProjectUser(Context ctx) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var user = userByEmail(caller, ctx.pathParam("email"));
        projects.unshare(caller, projectId, new Subject.User(user.id()));
        deleted(ctx, "userId", user.id());
    }

    /** The role of a PUT: {@code {"roleId": …}}, or read-write for an empty body. */
    private static Role role(Context ctx) throws IOException {
        var bytes = Bodies.read(ctx, 64 * 1024);
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Role.READ_WRITE;
        }
        var body = Json.MAPPER.readTree(bytes);
        if (body == null || !body.isObject()) {
            throw Failure.invalid("the body must be a JSON object");
        }
        var role = text(body, "roleId", false);
        return role == null ? Role.READ_WRITE : Role.byId(role);
    }

    // ---- folders

    private void folders(Context ctx) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var paging = paging(ctx);
        var total = projects.countFolders(caller, projectId);
        var list = projects.folders(caller, projectId, paging.page()).stream().map(Opus2Api::folder).toList();
        pageOf(ctx, paging, total, list);
    }

    private void createFolder(Context ctx) throws IOException {
        var caller = caller(ctx);
        var body = object(ctx);
        Json.write(ctx, 201, folder(projects.createFolder(caller, projectId(ctx), text(body, "name", true))));
    }

    private void folderByName(Context ctx) {
        var caller = caller(ctx);
        Json.write(ctx, 200, folder(projects.folderByName(caller, projectId(ctx), ctx.pathParam("name"))));
    }

    private void deleteFolder(Context ctx) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var folderId = id(ctx.pathParam("folderId"), "folder");
        projects.deleteFolder(caller, projectId, folderId, flag(ctx, "force"));
        deleted(ctx, "folderId", folderId);
    }

    static Map<String, Object> folder(Folder folder) {
        var out = new LinkedHashMap<String, Object>();
        out.put("folderId", Long.toString(folder.id()));
        out.put("projectId", Long.toString(folder.projectId()));
        out.put("name", folder.name());
        out.put("createdAt", UtcMillis.format(folder.createdAt()));
        return out;
    }

    // ---- documents

    private void documents(Context ctx) {
        listDocuments(ctx, null);
    }

    private void folderDocuments(Context ctx) {
        listDocuments(ctx, id(ctx.pathParam("folderId"), "folder"));
    }

    private void listDocuments(Context ctx, Long folderId) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var after = ctx.queryParam("afterDate");
        var paging = paging(ctx);
        if (after != null) {
            var since = timestamp(after);
            var changes = projects.changesAfter(caller, projectId, folderId, since, paging.page());
            var slice = changes.page().stream().map(c -> document(caller, c.document(), c.changedAt(), projectId, changes.fields())).toList();
            pageOf(ctx, paging, changes.total(), slice);
            return;
        }
        var total = projects.countDocuments(caller, projectId, folderId);
        var page = projects.documents(caller, projectId, folderId, paging.page());
        var fields = projects.fieldValues(caller, page.stream().map(d -> d.document().id()).toList());
        var list = page.stream().map(d -> document(caller, d.document(), null, projectId, fields)).toList();
        pageOf(ctx, paging, total, list);
    }

    private void document(Context ctx) {
        var caller = caller(ctx);
        Json.write(ctx, 200, document(caller, projects.document(caller, projectId(ctx), documentId(ctx)), null));
    }

    private static long documentId(Context ctx) {
        return id(ctx.pathParam("documentId"), "document");
    }

    /**
     * A multipart upload: a file part, {@code folderId}, and optionally {@code name}, {@code description} and {@code fields} (JSON).
     * The file is stored as it streams in, and written with its document in one transaction; an upload refused is discarded.
     */
    private void upload(Context ctx) throws IOException {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var rejectDuplicate = flag(ctx, "rejectDuplicate");
        var project = projects.requireAdd(caller, projectId);   // before the file streams in
        var form = MultipartForm.of(ctx, FORM_LIMITS, "send multipart/form-data with a file part and folderId");
        var blob = new StoredBlob[1];
        var file = new String[2];   // its name and declared media type
        Map<String, List<String>> values;
        Document document;
        try {
            form.read(part -> {
                if (part.isFile()) {
                    if (blob[0] != null) {
                        throw Failure.invalid("send one file per upload");
                    }
                    blob[0] = content.store(part.body(), maxFileBytes);
                    file[0] = fileName(part.filename());
                    file[1] = part.contentType();
                } else {
                    part.text();
                }
                return true;
            });
            if (blob[0] == null) {
                throw Failure.invalid("the file part is missing");
            }
            var fields = form.fields();
            var folder = fields.get("folderId");
            if (folder == null || folder.isBlank()) {
                throw Failure.invalid("folderId is required");
            }
            values = fields.get("fields") == null ? Map.<String, List<String>>of() : fieldValues(fields.get("fields"));
            document = projects.addDocument(caller, project, id(folder.strip(), "folder"), blob[0], file[0], file[1], fields.get("name"),
                    fields.get("description"), values, rejectDuplicate);
        } catch (Failure | IOException refused) {
            // refused before anything was written (the transaction rolled back): the blob is no one's
            if (blob[0] != null) {
                content.discard(blob[0]);
            }
            throw refused;
        }
        // a new document: its project is this one, and its fields are those sent (none read back when none were)
        var shown = values.isEmpty() ? Map.<Long, Map<String, List<String>>>of() : Map.of(document.id(), projects.fieldValues(caller, document.id()));
        Json.write(ctx, 201, document(caller, document, null, projectId, shown));
    }

    private StoredFile store(Caller caller, String fileName, String contentType, InputStream in) throws IOException {
        return content.upload(caller.tenantId(), caller.userId().orElse(null), fileName(fileName), contentType, in, maxFileBytes);
    }

    /** The name of an uploaded file: as sent, or "document" when the part has none. */
    private static String fileName(String sent) {
        return sent == null || sent.isBlank() ? "document" : sent;
    }

    private static Map<String, List<String>> fieldValues(String json) throws IOException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw Failure.invalid("fields must be a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw Failure.invalid("fields must be a JSON object of fieldId to value");
        }
        var out = new LinkedHashMap<String, List<String>>();
        for (var entry : node.properties()) {
            out.put(entry.getKey(), values(entry.getKey(), entry.getValue()));
        }
        return out;
    }

    private static List<String> values(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isArray()) {
            var out = new ArrayList<String>();
            for (var item : value) {
                if (!item.isValueNode() || item.isNull()) {
                    throw Failure.invalid("field " + field + ": values must be strings, numbers or booleans");
                }
                out.add(item.asText());
            }
            return out;
        }
        if (!value.isValueNode()) {
            throw Failure.invalid("field " + field + ": a value must be a string, number, boolean or an array of them");
        }
        return List.of(value.asText());
    }

    private void updateDocument(Context ctx) throws IOException {
        var caller = caller(ctx);
        var body = object(ctx);
        for (var entry : body.properties()) {
            if (!entry.getKey().equals("name") && !entry.getKey().equals("description")) {
                throw Failure.invalid("unknown property " + entry.getKey() + ": a document's name and description can be changed");
            }
        }
        var document = projects.update(caller, projectId(ctx), documentId(ctx), text(body, "name", false), text(body, "description", false));
        Json.write(ctx, 200, document(caller, document, null));
    }

    private void deleteDocument(Context ctx) {
        var caller = caller(ctx);
        var documentId = documentId(ctx);
        projects.delete(caller, projectId(ctx), documentId);
        deleted(ctx, "documentId", documentId);
    }

    private void move(Context ctx) {
        var caller = caller(ctx);
        var document = projects.move(caller, projectId(ctx), documentId(ctx), id(ctx.pathParam("folderId"), "folder"));
        Json.write(ctx, 200, document(caller, document, null));
    }

    private void replace(Context ctx) throws IOException {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var documentId = documentId(ctx);
        projects.requireWrite(caller, projectId);   // before the file streams in
        projects.document(caller, projectId, documentId);
        var form = MultipartForm.of(ctx, FORM_LIMITS, "send multipart/form-data with a file part");
        var file = new StoredFile[1];
        form.read(part -> {
            if (part.isFile() && file[0] == null) {
                file[0] = store(caller, part.filename(), part.contentType(), part.body());
            } else {
                part.bytes();
            }
            return true;
        });
        if (file[0] == null) {
            throw Failure.invalid("the file part is missing");
        }
        Json.write(ctx, 201, document(caller, projects.replace(caller, projectId, documentId, file[0]), null));
    }

    private void content(Context ctx) throws IOException {
        var caller = caller(ctx);
        send(ctx, projects.download(caller, projectId(ctx), documentId(ctx), null));
    }

    private void versionContent(Context ctx) throws IOException {
        var caller = caller(ctx);
        send(ctx, projects.download(caller, projectId(ctx), documentId(ctx), versionId(ctx)));
    }

    private void send(Context ctx, StoredFile file) throws IOException {
        Downloads.send(ctx, content, file, c -> Opus2Errors.write(c, 416, "Range not satisfiable"));
    }

    private void versions(Context ctx) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var documentId = documentId(ctx);
        var document = projects.document(caller, projectId, documentId);
        Json.write(ctx, 200, projects.versions(caller, projectId, documentId).stream().map(v -> version(v, document)).toList());
    }

    private void version(Context ctx) {
        var caller = caller(ctx);
        var projectId = projectId(ctx);
        var documentId = documentId(ctx);
        var version = versionId(ctx);
        var document = projects.document(caller, projectId, documentId);
        Json.write(ctx, 200, version(projects.version(caller, projectId, documentId, version), document));
    }

    private void deleteVersion(Context ctx) {
        var caller = caller(ctx);
        var version = versionId(ctx);
        var document = projects.deleteVersion(caller, projectId(ctx), documentId(ctx), version);
        Json.write(ctx, 200, document(caller, document, null));
    }

    private static int versionId(Context ctx) {
        var raw = ctx.pathParam("versionId");
        if (!raw.matches("[1-9][0-9]{0,8}")) {
            throw Failure.invalid("Invalid version ID format");
        }
        return Integer.parseInt(raw);
    }

    private static Map<String, Object> version(DocumentVersion version, Document document) {
        var out = new LinkedHashMap<String, Object>();
        out.put("versionId", Integer.toString(version.version()));
        out.put("documentId", Long.toString(version.documentId()));
        out.put("version", version.version());
        out.put("current", version.version() == document.version());
        out.put("fileName", version.file().name());
        out.put("contentType", version.file().mediaType());
        out.put("size", version.file().size());
        out.put("sha256", version.file().sha256());
        if (version.createdBy() != null) {
            out.put("createdBy", Long.toString(version.createdBy()));
        }
        out.put("createdAt", UtcMillis.format(version.createdAt()));
        return out;
    }

    /** A document as the API shows it; {@code changedAt} from the change feed when known, else its newest version's time. */
    private Map<String, Object> document(Caller caller, Document document, Instant changedAt) {
        return document(caller, document, changedAt, null, Map.of(document.id(), projects.fieldValues(caller, document.id())));
    }

    /**
     * @param projectId the document's project when the request named it (a listing), else null: looked up
     * @param fields    the field values of the documents being shown, by document id (read in one query for a listing)
     */
    private Map<String, Object> document(Caller caller, Document document, Instant changedAt, Long projectId,
                                         Map<Long, Map<String, List<String>>> fields) {
        var out = new LinkedHashMap<String, Object>();
        out.put("documentId", Long.toString(document.id()));
        out.put("projectId", Long.toString(projectId != null ? projectId : projects.folderProject(caller.tenantId(), document.containerUid())));
        out.put("folderId", document.containerUid());
        out.put("name", document.subject());
        out.put("description", document.attributes().getOrDefault("description", ""));
        out.put("fileName", document.file().name());
        out.put("contentType", document.file().mediaType());
        out.put("size", document.file().size());
        out.put("sha256", document.file().sha256());
        out.put("versionId", Integer.toString(document.version()));
        out.put("version", document.version());
        if (document.createdBy() != null) {
            out.put("createdBy", Long.toString(document.createdBy()));
        }
        out.put("createdAt", UtcMillis.format(document.createdAt()));
        var modified = changedAt != null ? changedAt
                : document.file().uploadedAt().isAfter(document.createdAt()) ? document.file().uploadedAt() : document.createdAt();
        out.put("modifiedAt", UtcMillis.format(modified));
        var shown = new LinkedHashMap<String, Object>();
        fields.getOrDefault(document.id(), Map.of()).forEach((name, values) -> shown.put(name, values.size() == 1 ? values.getFirst() : values));
        out.put("fields", shown);
        return out;
    }

    // ---- fields

    private void fields(Context ctx) {
        var caller = caller(ctx);
        Json.write(ctx, 200, projects.fields(caller, projectId(ctx)).stream().map(Opus2Api::field).toList());
    }

    static Map<String, Object> field(Attribute attribute) {
        var out = new LinkedHashMap<String, Object>();
        out.put("fieldId", attribute.name());
        out.put("name", attribute.label() == null || attribute.label().isBlank() ? attribute.name() : attribute.label());
        out.put("type", switch (attribute.type()) {
            case STRING -> "text";
            case INT -> "integer";
            case DOUBLE -> "number";
            case DATE -> "date";
            case BOOLEAN -> "boolean";
            case USER -> "user";
            case FOLDER -> "folder";
            case DOCUMENT -> "document";
        });
        out.put("required", attribute.mandatory());
        out.put("multiple", attribute.multiple());
        out.put("options", attribute.preset() ? attribute.options() : List.of());
        return out;
    }

    /** {@code {"value": …}} (a string, number, boolean, an array of them, or null to clear). */
    private void setField(Context ctx) throws IOException {
        var caller = caller(ctx);
        var body = object(ctx);
        if (!body.has("value")) {
            throw Failure.invalid("value is required");
        }
        var fieldId = ctx.pathParam("fieldId");
        var projectId = projectId(ctx);
        var documentId = documentId(ctx);
        projects.setField(caller, projectId, documentId, fieldId, values(fieldId, body.get("value")));
        Json.write(ctx, 200, document(caller, projects.document(caller, projectId, documentId), null));
    }

    // ---- paging

    record Paging(int number, int size, Page page) {
    }

    /** {@code page} (from 1) and {@code pageSize} (default 100, at most 1000). */
    static Paging paging(Context ctx) {
        int number = integer(ctx, "page", 1);
        int size = integer(ctx, "pageSize", DEFAULT_PAGE_SIZE);
        if (number < 1) {
            throw Failure.invalid("page must be 1 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw Failure.invalid("pageSize must be between 1 and " + MAX_PAGE_SIZE);
        }
        return new Paging(number, size, Page.number(number - 1L, size, false));
    }

    /** A whole list, paged here. */
    private static void paged(Context ctx, List<? extends Map<String, Object>> all) {
        var paging = paging(ctx);
        var slice = all.stream().skip(paging.page().offset()).limit(paging.size()).toList();
        pageOf(ctx, paging, all.size(), slice);
    }

    /** One page as a JSON array, with {@code X-Total-Count} and an RFC 8288 {@code Link} header. */
    private static void pageOf(Context ctx, Paging paging, long total, List<?> items) {
        long last = Math.max(1, (total + paging.size() - 1) / paging.size());
        var links = new ArrayList<String>();
        if (paging.number() < last) {
            links.add(link(ctx, paging.number() + 1, paging.size(), "next"));
        }
        if (paging.number() > 1) {
            links.add(link(ctx, Math.min(paging.number() - 1, last), paging.size(), "prev"));
        }
        links.add(link(ctx, 1, paging.size(), "first"));
        links.add(link(ctx, last, paging.size(), "last"));
        ctx.header("X-Total-Count", Long.toString(total));
        ctx.header("Link", String.join(", ", links));
        Json.write(ctx, 200, items);
    }

    private static String link(Context ctx, long page, int size, String rel) {
        var query = new StringBuilder();
        ctx.queryParamMap().forEach((name, values) -> {
            if (!name.equals("page") && !name.equals("pageSize")) {
                for (var value : values) {
                    query.append(encode(name)).append('=').append(encode(value)).append('&');
                }
            }
        });
        query.append("page=").append(page).append("&pageSize=").append(size);
        return "<" + ctx.path() + "?" + query + ">; rel=\"" + rel + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- input

    private static JsonNode json(Context ctx) throws IOException {
        var bytes = Bodies.read(ctx, Bodies.MAX_JSON_BYTES);
        if (bytes.length == 0) {
            throw Failure.invalid("the body must be JSON");
        }
        var node = Json.MAPPER.readTree(bytes);
        if (node == null) {
            throw Failure.invalid("the body must be JSON");
        }
        return node;
    }

    private static JsonNode object(Context ctx) throws IOException {
        var node = json(ctx);
        if (!node.isObject()) {
            throw Failure.invalid("the body must be a JSON object");
        }
        return node;
    }

    /** A text property (a string), required or not. */
    private static String text(JsonNode body, String name, boolean required) {
        var value = body.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw Failure.invalid(name + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw Failure.invalid(name + " must be a string");
        }
        var text = value.asText();
        if (required && text.isBlank()) {
            throw Failure.invalid(name + " is required");
        }
        return text;
    }

    /** An id property: a string of digits, or a whole number. */
    private static String idText(JsonNode body, String name, boolean required) {
        var value = body.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw Failure.invalid(name + " is required");
            }
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw Failure.invalid("Invalid " + name + " format");
        }
        var text = value.asText();
        if (required && text.isBlank()) {
            throw Failure.invalid(name + " is required");
        }
        return text;
    }

    /** An id of a path or body: digits, else 400 naming it ("Invalid project ID format"). */
    static long id(String raw, String what) {
        if (raw == null || !raw.strip().matches("[0-9]{1,18}")) {
            throw Failure.invalid("Invalid " + what + " ID format");
        }
        return Long.parseLong(raw.strip());
    }

    private static boolean flag(Context ctx, String name) {
        var raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Failure.invalid(name + " must be true or false");
        };
    }

    private static int integer(Context ctx, String name, int fallback) {
        var raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw Failure.invalid(name + " must be a whole number");
        }
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss'Z'}, optionally with a fraction of a second. */
    static Instant timestamp(String raw) {
        if (!raw.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z")) {
            throw Failure.invalid(TIMESTAMP_ERROR);
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw Failure.invalid(TIMESTAMP_ERROR);
        }
    }

    private static void deleted(Context ctx, String idName, long id) {
        var out = new LinkedHashMap<String, Object>();
        out.put(idName, Long.toString(id));
        out.put("deleted", true);
        Json.write(ctx, 200, out);
    }
}
