package io.dossier.api.logicaldoc;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.api.http.Bodies;
import io.dossier.api.http.Credentials;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.ErrorShape;
import io.dossier.api.http.Json;
import io.dossier.api.http.MultipartForm;
import io.dossier.api.http.Responses;
import io.dossier.api.http.Routes;
import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Callers;
import io.dossier.core.access.AccessService;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.metadata.MetadataService;
import io.dossier.core.session.Session;
import io.dossier.core.session.SessionService;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * LogicalDOC's Document Metadata and Auth web services under {@code /logicaldoc}: SOAP 1.1 at
 * {@code /services/DocumentMetadata} and {@code /services/Auth} (WSDL at {@code ?wsdl}), and their
 * REST variant under {@code /services/rest/}. A thin translator: templates, attribute sets and
 * options are core's runtime metadata, grants core's access model, sessions core's sessions.
 *
 * <p>SOAP calls are dispatched on the body's element (whatever the SOAPAction); faults are
 * {@code soap:Client} for bad input and {@code soap:Server} otherwise, with HTTP 500 as SOAP 1.1
 * and CXF have it. REST refusals carry the failure's status and its message as text.
 */
public final class LogicalDocApi implements Dialect {

    /** SOAP and REST bodies larger than this are refused. */
    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    private static final String SOAP_PREFIX = "/services/";
    private static final String REST = "/services/rest";

    private final SessionService sessions;
    private final Callers callers;
    private final IdentityService identities;
    private final Duration sessionIdle;
    private final MetadataMethods methods;

    /** @param sessionIdle how long a LogicalDOC session lives without a call */
    public LogicalDocApi(SessionService sessions, Callers callers, IdentityService identities, MetadataService metadata,
                         AccessService access, Duration sessionIdle) {
        this.sessions = sessions;
        this.callers = callers;
        this.identities = identities;
        this.sessionIdle = sessionIdle;
        this.methods = new MetadataMethods(metadata, access);
    }

    @Override
    public String name() {
        return "logicaldoc";
    }

    @Override
    public ErrorShape errors() {
        return (ctx, failure) -> {
            if (ctx.path().contains(REST + "/")) {
                Responses.send(ctx, ctx.statusCode(), "text/plain;charset=UTF-8", failure.getMessage() == null ? failure.kind().name() : failure.getMessage());
            } else {
                // HTTP 500 for every fault, soap:Client ones too, as SOAP 1.1 (section 6.2) and CXF have it: a CXF
                // client reads a fault only from a 500 (on a 400 it throws an HTTPException), which a test shows
                Responses.send(ctx, 500, Soap.CONTENT_TYPE, Soap.fault(failure));
            }
        };
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/services/DocumentMetadata", ctx -> wsdl(ctx, Wsdl.DOCUMENT_METADATA))
                .post("/services/DocumentMetadata", ctx -> soap(ctx, true))
                .get("/services/Auth", ctx -> wsdl(ctx, Wsdl.AUTH))
                .post("/services/Auth", ctx -> soap(ctx, false));
        var metadata = REST + "/documentMetadata/";
        for (var method : List.of("getAttributeSetById", "getAttributeSet", "getTemplate", "getTemplateById", "getAttributeOptions",
                "listAttributeSets", "listTemplates", "getGrantedUsers", "getGrantedGroups", "isTemplateReadable", "isTemplateWritable",
                "isReadable", "isWritable", "getAttributeOptionsByCategory", "getAccessControlList")) {
            routes.get(metadata + method, ctx -> restQuery(ctx, method));
        }
        for (var method : List.of("deleteAttributeSet", "deleteTemplate")) {
            routes.delete(metadata + method, ctx -> restQuery(ctx, method));
        }
        for (var method : List.of("grantUserToTemplate", "grantGroupToTemplate")) {
            routes.put(metadata + method, ctx -> restQuery(ctx, method));
            routes.post(metadata + method, ctx -> restForm(ctx, method));
        }
        routes.put(metadata + "setAttributeOptions", ctx -> restQuery(ctx, "setAttributeOptions"))
                .post(metadata + "storeTemplate", ctx -> restJson(ctx, "storeTemplate", "template"))
                .post(metadata + "storeAttributeSet", ctx -> restJson(ctx, "storeAttributeSet", "attributeSet"))
                .post(metadata + "setAttributeOptionsPOST", this::restOptionsMultipart)
                .post(metadata + "addAttributeOption", ctx -> restForm(ctx, "addAttributeOption"))
                .put(metadata + "setAccessControlList", ctx -> restJson(ctx, "setAccessControlList", "acl"));
        var auth = REST + "/auth/";
        routes.get(auth + "login", ctx -> text(ctx, login(ctx.queryParam("u"), ctx.queryParam("pw"))))
                .post(auth + "login", this::restLoginPost)
                .post(auth + "loginApiKey", ctx -> text(ctx, loginApiKey(ctx.header("X-API-KEY"))))
                .delete(auth + "logout", ctx -> {
                    logout(Credentials.first(ctx, Credentials.Source.query("sid"), Credentials.Source.header("sid"),
                            Credentials.Source.cookie("ldoc-sid")).orElse(null));
                    ctx.status(204);
                })
                .get(auth + "getSid", ctx -> text(ctx, restSid(ctx)))
                .get(auth + "renew", ctx -> {
                    session(Credentials.first(ctx, Credentials.Source.query("sid"), Credentials.Source.header("sid"),
                            Credentials.Source.cookie("ldoc-sid")).orElse(null));
                    ctx.status(204);
                })
                .get(auth + "valid", ctx -> text(ctx, Boolean.toString(valid(ctx.queryParam("sid")))));
    }

    // ---- SOAP

    private void wsdl(Context ctx, Wsdl.Service service) {
        var wsdl = ctx.queryParam("wsdl");
        if (wsdl == null && ctx.queryParamMap().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("wsdl"))) {
            throw Failure.invalid("send SOAP requests with POST; the WSDL is at ?wsdl");
        }
        var body = wsdl != null && wsdl.equals(service.portType() + ".wsdl") ? Wsdl.portType(service)
                : wsdl == null || wsdl.isEmpty() ? Wsdl.root(service, endpoint(ctx)) : null;
        if (body == null) {
            throw Failure.notFound("no WSDL document " + wsdl);
        }
        Responses.send(ctx, ctx.statusCode(), "text/xml;charset=UTF-8", body);
    }

    /** The endpoint's URL as the client reached it, behind a proxy as the proxy's {@code X-Forwarded-*} headers say. */
    private static String endpoint(Context ctx) {
        var scheme = first(ctx.header("X-Forwarded-Proto"));
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            scheme = ctx.scheme();
        }
        var host = first(ctx.header("X-Forwarded-Host"));
        if (host == null) {
            host = ctx.host();
        }
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        var port = first(ctx.header("X-Forwarded-Port"));
        if (port != null && port.matches("\\d{1,5}") && !host.contains(":") && ctx.header("X-Forwarded-Host") != null) {
            host = host + ":" + port;
        }
        var prefix = first(ctx.header("X-Forwarded-Prefix"));
        var path = (prefix == null ? "" : prefix.replaceAll("/+$", "")) + ctx.path();
        return scheme.toLowerCase(java.util.Locale.ROOT) + "://" + host + path;
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        var value = header.split(",")[0].strip();
        return value.isEmpty() ? null : value;
    }

    private void soap(Context ctx, boolean metadata) throws IOException {
        var call = Soap.call(XmlNode.parse(new ByteArrayInputStream(Bodies.read(ctx, MAX_REQUEST_BYTES))));
        var operation = call.name();
        var in = In.of(call);
        MetadataMethods.Result result;
        if (metadata) {
            if (!MetadataMethods.NAMES.contains(operation)) {
                throw Failure.invalid("unknown operation " + operation + " of the DocumentMetadata service");
            }
            result = methods.call(operation, caller(in.text("sid")), in);
        } else {
            result = auth(operation, in);
        }
        Responses.send(ctx, 200, Soap.CONTENT_TYPE, Soap.response(operation, result));
    }

    private MetadataMethods.Result auth(String operation, In in) {
        return switch (operation) {
            case "login" -> new MetadataMethods.Result("return", login(in.text("username"), in.text("password")));
            case "loginApiKey" -> new MetadataMethods.Result("return", loginApiKey(in.text("apiKey")));
            case "logout" -> {
                logout(in.text("sid"));
                yield MetadataMethods.Result.none();
            }
            case "valid" -> new MetadataMethods.Result("return", valid(in.text("sid")));
            case "renew" -> {
                session(in.text("sid"));
                yield MetadataMethods.Result.none();
            }
            default -> throw Failure.invalid("unknown operation " + operation + " of the Auth service");
        };
    }

    // ---- sessions

    private String login(String username, String password) {
        var user = identities.authenticatePassword(username, password);
        return sessions.open(user.tenantId(), user.id(), null, sessionIdle).token();
    }

    private String loginApiKey(String apiKey) {
        var client = identities.authenticateKey(ClientKind.USER_API_KEY, apiKey);
        return sessions.open(client.tenantId(), client.userId(), client.id(), sessionIdle).token();
    }

    private void logout(String sid) {
        sessions.revoke(session(sid));
    }

    private boolean valid(String sid) {
        try {
            session(sid);
            return true;
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.UNAUTHENTICATED) {
                return false;
            }
            throw failure;
        }
    }

    /** The live session of {@code sid}, or LogicalDOC's {@code Invalid session <sid>}. */
    private Session session(String sid) {
        try {
            return sessions.resolve(sid);
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.UNAUTHENTICATED) {
                throw Failure.unauthenticated("Invalid session " + (sid == null ? "" : In.clip(sid)));
            }
            throw failure;
        }
    }

    private Caller caller(String sid) {
        var session = session(sid);
        return callers.session(session.tenantId(), session.userId(), session.clientId());
    }

    // ---- REST

    /** The REST caller: header {@code sid}, cookie {@code ldoc-sid}, header {@code X-API-KEY}, HTTP Basic, or query {@code sid}. */
    private Caller restCaller(Context ctx) {
        var sid = Credentials.first(ctx, Credentials.Source.header("sid"), Credentials.Source.cookie("ldoc-sid"));
        if (sid.isPresent()) {
            return caller(sid.get());
        }
        var apiKey = ctx.header("X-API-KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            var client = identities.authenticateKey(ClientKind.USER_API_KEY, apiKey.strip());
            return callers.client(client, client.tenantId());
        }
        var basic = Credentials.basic(ctx);
        if (basic.isPresent()) {
            var user = identities.authenticatePassword(basic.get().username(), basic.get().password());
            return callers.user(user.tenantId(), user.id());
        }
        return caller(ctx.queryParam("sid"));
    }

    /** {@code getSid}: the session the request names, or a new one for its HTTP Basic credentials. */
    private String restSid(Context ctx) {
        var sid = Credentials.first(ctx, Credentials.Source.header("sid"), Credentials.Source.cookie("ldoc-sid"),
                Credentials.Source.query("sid"));
        if (sid.isPresent()) {
            session(sid.get());
            return sid.get();
        }
        var basic = Credentials.basic(ctx).orElseThrow(() -> Failure.unauthenticated("no session"));
        return login(basic.username(), basic.password());
    }

    private void restLoginPost(Context ctx) throws IOException {
        var contentType = ctx.header("Content-Type");
        String username;
        String password;
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            var body = json(ctx);
            username = body.path("username").asText(null);
            password = body.path("password").asText(null);
        } else {
            var form = Bodies.form(ctx, Bodies.MAX_FORM_BYTES);
            username = form.getOrDefault("username", form.get("u"));
            password = form.getOrDefault("password", form.get("pw"));
        }
        text(ctx, login(username, password));
    }

    private void restQuery(Context ctx, String method) {
        rest(ctx, method, In.of(ctx.queryParamMap()));
    }

    private void restForm(Context ctx, String method) throws IOException {
        var fields = new LinkedHashMap<String, List<String>>(ctx.queryParamMap());
        Bodies.form(ctx, Bodies.MAX_FORM_BYTES).forEach((name, value) -> fields.put(name, List.of(value)));
        rest(ctx, method, In.of(fields));
    }

    /** A JSON body, wrapped ({@code {"template":{…}}}) or not, plus the query's parameters. */
    private void restJson(Context ctx, String method, String argument) throws IOException {
        var body = json(ctx);
        var query = In.of(ctx.queryParamMap());
        var wrapped = body.isObject() && body.size() == 1 && body.has(argument) ? body.get(argument) : body;
        var object = Json.MAPPER.createObjectNode();
        object.set(argument, wrapped);
        var fromBody = In.of((JsonNode) object);
        rest(ctx, method, new In() {
            @Override
            public String text(String name) {
                return query.text(name);
            }

            @Override
            public List<String> texts(String name) {
                return query.texts(name);
            }

            @Override
            public In object(String name) {
                return fromBody.object(name);
            }

            @Override
            public List<In> objects(String name) {
                return fromBody.objects(name);
            }
        });
    }

    private static JsonNode json(Context ctx) throws IOException {
        var bytes = Bodies.read(ctx, MAX_REQUEST_BYTES);
        if (bytes.length == 0) {
            throw Failure.invalid("the request has no JSON body");
        }
        return Json.MAPPER.readTree(bytes);
    }

    /** {@code setAttributeOptionsPOST}: multipart fields {@code setId}, {@code attribute} and {@code options} (JSON {value, category} items). */
    private void restOptionsMultipart(Context ctx) throws IOException {
        var fields = new HashMap<String, String>();
        MultipartForm.of(ctx, new MultipartForm.Limits(io.dossier.api.http.MultipartReader.Limits.DEFAULT, 1024 * 1024),
                "send multipart/form-data with the fields setId, attribute and options").read(part -> {
                    fields.putIfAbsent(part.name(), part.text());
                    return true;
                });
        var parameters = new LinkedHashMap<String, List<String>>(ctx.queryParamMap());
        fields.forEach((name, value) -> {
            if (!name.equals("options")) {
                parameters.put(name, List.of(value));
            }
        });
        var query = In.of(parameters);
        var options = new ArrayList<In>();
        if (fields.containsKey("options")) {
            var node = Json.MAPPER.readTree(fields.get("options"));
            var wrapper = Json.MAPPER.createObjectNode();
            wrapper.set("options", node);
            options.addAll(In.of((JsonNode) wrapper).objects("options"));
        }
        rest(ctx, "setAttributeOptions", new In() {
            @Override
            public String text(String name) {
                return query.text(name);
            }

            @Override
            public List<String> texts(String name) {
                return name.equals("values") ? List.of() : query.texts(name);
            }

            @Override
            public In object(String name) {
                return null;
            }

            @Override
            public List<In> objects(String name) {
                return name.equals("options") ? options : List.of();
            }
        });
    }

    private void rest(Context ctx, String method, In in) {
        var in2 = method.equals("setAttributeOptions") ? withOptionsAsValues(in) : in;
        var result = methods.call(method, restCaller(ctx), in2);
        if (result.value() == null) {
            ctx.status(204);
            return;
        }
        Json.write(ctx, 200, result.value());
    }

    /** REST {@code setAttributeOptions} names its values {@code options}. */
    private static In withOptionsAsValues(In in) {
        return new In() {
            @Override
            public String text(String name) {
                return in.text(name);
            }

            @Override
            public List<String> texts(String name) {
                if (name.equals("values")) {
                    var values = new ArrayList<>(in.texts("values"));
                    values.addAll(in.texts("options"));
                    return values;
                }
                return in.texts(name);
            }

            @Override
            public In object(String name) {
                return in.object(name);
            }

            @Override
            public List<In> objects(String name) {
                return in.objects(name);
            }
        };
    }

    private static void text(Context ctx, String value) {
        Responses.send(ctx, 200, "text/plain;charset=UTF-8", value);
    }
}
