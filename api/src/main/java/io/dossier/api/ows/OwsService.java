package io.dossier.api.ows;

import io.dossier.core.Failure;
import io.dossier.core.webhook.Webhooks;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Callers;
import io.dossier.core.ratelimit.RateLimit;
import io.dossier.core.ratelimit.RateLimiter;
import io.dossier.core.document.DocumentService;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.mail.MailService;
import io.dossier.core.portal.PortalAccountService;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.Schemas;
import io.dossier.core.session.Session;
import io.dossier.core.session.SessionService;
import io.dossier.core.settings.SettingsService;
import io.dossier.core.tenant.TenantService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OWS methods, protocol-free: JSON-RPC and XML-RPC both decode a call to a method name and a
 * list of plain values, call {@link #call}, and encode what it returns. So both protocols give the
 * same answers by construction.
 */
public final class OwsService {

    static final String SERVICE_PREFIX = "Otys.Services.";
    private static final int MAX_NESTED_CALLS = 100;

    private final SessionService sessions;
    private final Callers callers;
    private final RateLimiter limiter;
    private static final RateLimiter.Permit NOT_LIMITED = () -> { };
    /** The dialect's name, under which its rate limits are kept. */
    static final String OWS = "ows";
    /** What OTYS allows an API key: 350 requests per minute. */
    public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perMinute(350);
    private final IdentityService identities;
    private final TenantService tenants;
    private final RecordService records;
    private final Schemas schemas;
    private final OwsBindings bindings;
    private final Duration sessionIdle;
    private final OwsDossiers dossiers;
    private final SettingsService settings;
    private final OwsOptionLists optionLists;
    private final OwsClientSettings clientSettings;
    private final OwsPluginMethods plugin;
    private final OwsWebhooks webhooks;

    public OwsService(SessionService sessions, Callers callers, IdentityService identities, TenantService tenants,
                      RecordService records, Schemas schemas, DocumentService documents, Duration sessionIdle,
                      SettingsService settings, RateLimiter limiter, MailService mail, PortalAccountService accounts, Webhooks webhooks) {
        this.settings = settings;
        this.limiter = limiter;
        this.sessions = sessions;
        this.callers = callers;
        this.identities = identities;
        this.tenants = tenants;
        this.records = records;
        this.schemas = schemas;
        this.bindings = new OwsBindings(schemas);
        this.sessionIdle = sessionIdle;
        this.dossiers = new OwsDossiers(documents, records, bindings);
        this.optionLists = new OwsOptionLists(records, tenants, bindings);
        this.clientSettings = new OwsClientSettings(settings, tenants);
        this.plugin = new OwsPluginMethods(records, schemas, sessions, mail, accounts, new OwsInteractions(records, schemas, tenants));
        this.webhooks = new OwsWebhooks(webhooks, bindings, schemas);
    }

    /** Runs one call; {@code language} forces a content language (wrapRequest), else null. */
    public Object call(String method, List<Object> params, String language) {
        var token = sessionToken(method, params, 0);
        Session session = null;
        if (token instanceof String string) {
            try {
                session = sessions.resolve(string);
            } catch (Failure unknown) {
                // not counted: the call fails on its own when it needs the session
            }
        }
        try (var permit = session == null ? NOT_LIMITED : admit(session)) {
            // a call of its own (not wrapped) runs under the session just resolved: not resolved again
            var own = session != null && !params.isEmpty() && params.getFirst() == token ? session : null;
            return dispatch(method, new Params(method, params, own), language, 0);
        } catch (Failure failure) {
            throw OwsError.of(failure);
        }
    }

    /**
     * The session token a call runs under: its first parameter, or, for a call that wraps others
     * (wrapRequest, MultiService), that of the (first) wrapped call; null for a login or none.
     */
    private static Object sessionToken(String method, List<Object> params, int depth) {
        if (method.equals("loginByUid") || params.isEmpty() || depth > 2) {
            return null;
        }
        if (method.equals("Otys.Services.LanguageService.wrapRequest")) {
            return params.size() > 1 && params.get(1) instanceof Map<?, ?> inner ? nestedToken(inner.get("method"), inner.get("params"), depth) : null;
        }
        if (method.equals("Otys.Services.MultiService.execute")) {
            var calls = params.getFirst() instanceof Map<?, ?> keyed ? keyed.values() : params.getFirst() instanceof List<?> list ? list : List.of();
            var first = calls.isEmpty() ? null : calls.iterator().next();
            return first instanceof Map<?, ?> call ? nestedToken(call.get("method"), call.get("args"), depth) : null;
        }
        return params.getFirst();
    }

    private static Object nestedToken(Object method, Object rawParams, int depth) {
        var params = Params.positional(rawParams);
        return method instanceof String name && params != null ? sessionToken(name, params, depth + 1) : null;
    }

    /** Admits one request of the session's API key under its rate limit; refuses with RATE_LIMITED over it. */
    RateLimiter.Permit admit(Session session) {
        return session.clientId() == null ? NOT_LIMITED : limiter.admit(session.clientId(), OWS);
    }

    private Object dispatch(String method, Params params, String language, int depth) {
        if (depth > 2) {
            throw OwsError.invalidParams("calls may not be wrapped more than twice");
        }
        switch (method) {
            case "loginByUid":
                return login(params);
            case "check":
                return check(session(params));
            case "logout":
                sessions.revoke(session(params));
                return true;
            case "Otys.Services.LanguageService.wrapRequest":
                return wrap(params, depth);
            case "Otys.Services.MultiService.execute":
                return multi(params, language, depth);
            default:
                break;
        }
        if (!method.startsWith(SERVICE_PREFIX) || method.indexOf('.', SERVICE_PREFIX.length()) < 0) {
            throw new OwsError(OwsError.METHOD_NOT_FOUND, "Method not found: " + method);
        }
        var rest = method.substring(SERVICE_PREFIX.length());
        var service = rest.substring(0, rest.indexOf('.'));
        var name = rest.substring(rest.indexOf('.') + 1);
        if (service.equals("AttachedDocumentsService")) {
            return dossiers.attachedDocuments(name, caller(session(params)), params);
        }
        if (service.equals("DossierService")) {
            return dossiers.dossier(name, caller(session(params)), params);
        }
        if (service.equals("CsmService")) {
            return clientSettings.call(name, session(params), params);
        }
        if (service.equals("WebhooksService")) {
            var session = session(params);
            return webhooks.call(name, session, caller(session), params);
        }
        var answer = pluginMethod(service, name, params, language);
        if (answer != OwsPluginMethods.NOT_MINE) {
            return answer;
        }
        var bound = bindings.byService(service)
                .orElseThrow(() -> new OwsError(OwsError.METHOD_NOT_FOUND, "Method not found: " + method));
        try {
            return recordMethod(bound, name, params, language);
        } catch (Failure failure) {
            throw inWireTerms(failure, bound);
        }
    }

    /** The website plugin's methods beyond the data services ({@link OwsPluginMethods}), in the language of their data service. */
    private Object pluginMethod(String service, String name, Params params, String forced) {
        var bound = bindings.byService(service);
        var session = session(params);
        var language = forced != null ? forced : bound.map(b -> language(session, b)).orElseGet(() -> tenants.byId(session.tenantId()).defaultLanguage());
        try {
            return plugin.call(service, name, params, session, caller(session), language);
        } catch (Failure failure) {
            throw bound.map(b -> inWireTerms(failure, b)).orElse(failure);
        }
    }

    /**
     * Core names a record type by its qualified name ({@code recruiting.Candidate}); OWS clients
     * know it as its data service, so messages say {@code CandidateService}, as they always did.
     */
    private static Failure inWireTerms(Failure failure, OwsBindings.Service bound) {
        var message = failure.getMessage();
        var qualified = bound.type().qualifiedName();
        if (message == null || !message.contains(qualified) || failure.kind() == Failure.Kind.INTERNAL) {
            return failure;
        }
        return new Failure(failure.kind(), message.replace(qualified, bound.name()), failure);
    }

    private Object recordMethod(OwsBindings.Service bound, String name, Params params, String forced) {
        var type = bound.type();
        var session = session(params);
        var caller = caller(session);
        var language = forced != null ? forced : language(session, bound);
        return switch (name) {
            case "getListEx" -> {
                var request = params.object(1, "search", true);
                var query = OwsQueries.listQuery(request, language);
                var search = ActonomySearch.apply(bound, request.get("search"), query,
                        request.get("limit") == null ? null : query.page().limit());
                var result = records.list(caller, type, search == null ? query : search.query());
                var out = new LinkedHashMap<String, Object>();
                out.put("listOutput", result.items());
                if (search == null) {
                    out.put("searchExtras", List.of());
                    if (query.page().count()) {
                        out.put("totalCount", result.totalCount());
                    }
                } else {
                    // the engine's total is all matches; the list's own is what it returned (the page), as OTYS answers
                    var facets = ActonomyFacets.count(records, schemas, caller, type, search.query(), search.facets());
                    out.put("searchExtras", Map.of(ActonomySearch.KEY, ActonomySearch.extras(result.totalCount(), facets)));
                    if (query.page().count()) {
                        out.put("totalCount", result.items().size());
                    }
                }
                yield out;
            }
            case "getList" -> records.list(caller, type, OwsQueries.listQuery(params.object(1, "search", true), language)).items();
            case "getDetail" -> records.detail(caller, type, params.string(1, "uid"), OwsQueries.what(params.get(2)), language);
            case "add" -> records.add(caller, type, OwsRecordInput.of(type, params.object(1, "fields", false)), language);
            case "update", "updateEx" -> {
                var uid = params.string(1, "uid");
                records.update(caller, type, uid, OwsRecordInput.of(type, params.object(2, "fields", false)), language);
                // update answers true (manual §2.5.5); updateEx the uid, which real clients check is a string
                yield name.equals("updateEx") ? uid : true;
            }
            case "delete" -> {
                records.delete(caller, type, params.string(1, "uid"));
                yield true;
            }
            case "getOptionLists" -> {
                var fields = new ArrayList<String>();
                for (var field : params.list(1, "fields")) {
                    fields.add(String.valueOf(field));
                }
                yield optionLists.of(caller, bound, fields);
            }
            case "setLanguage" -> {
                var chosen = supported(session.tenantId(), params.string(1, "language"));
                sessions.setAttribute(session, languageKey(bound), chosen);
                yield true;
            }
            default -> throw new OwsError(OwsError.METHOD_NOT_FOUND,
                    "Method not found: " + SERVICE_PREFIX + bound.name() + "." + name);
        };
    }

    private String login(Params params) {
        var client = identities.authenticateKey(ClientKind.OWS_API_KEY, params.string(0, "apiKey"));
        settings.requireApiAccess(client.tenantId());
        return sessions.open(client.tenantId(), client.userId(), client.id(), sessionIdle).token();
    }

    private Map<String, Object> check(Session session) {
        var tenant = tenants.byId(session.tenantId());
        var user = session.userId() == null ? null : identities.user(session.tenantId(), session.userId());
        var out = new LinkedHashMap<String, Object>();
        out.put("clientId", tenant.id());
        out.put("client", tenant.name());
        out.put("id", user == null ? null : user.id());
        out.put("username", user == null ? null : user.username());
        out.put("email", user == null ? null : user.email());
        out.put("contentLanguages", tenant.contentLanguages());
        out.put("defaultContentLanguage", tenant.defaultLanguage());
        return out;
    }

    private Object wrap(Params params, int depth) {
        var language = params.string(0, "language");
        var inner = params.object(1, "request", false);
        if (!(inner.get("method") instanceof String method)) {
            throw OwsError.invalidParams("the wrapped request needs a 'method'");
        }
        var innerParams = inner.get("params") == null ? new ArrayList<Object>() : Params.positional(inner.get("params"));
        if (innerParams == null) {
            throw OwsError.invalidParams("the wrapped request's 'params' must be an array (or an object keyed 0, 1, …)");
        }
        // the language must be one the tenant has; the wrapped call's session names the tenant
        var session = new Params(method, innerParams).get(0) instanceof String token ? sessions.resolve(token) : null;
        if (session == null) {
            throw Failure.unauthenticated("no session");
        }
        return dispatch(method, new Params(method, innerParams), supported(session.tenantId(), language), depth + 1);
    }

    /**
     * A batch: {@code [[call, …]]} answers a list in order, {@code [{"name": call, …}]} an object
     * with the same names. Each answer is wrapped as clients read it: {@code {"status":"ok","data":
     * result}}, or {@code {"status":"error","error":{…}}} for a call that failed (the others still run).
     */
    private Object multi(Params params, String language, int depth) {
        var raw = params.get(0);
        Map<String, Object> calls = new LinkedHashMap<>();
        if (raw instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                calls.put(Integer.toString(i), list.get(i));
            }
        } else if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> calls.put(String.valueOf(k), v));
        } else {
            throw OwsError.invalidParams(params.method() + ": parameter 1 (calls) must be a list or an object of calls");
        }
        if (calls.size() > MAX_NESTED_CALLS) {
            throw OwsError.invalidParams("at most " + MAX_NESTED_CALLS + " calls per MultiService.execute");
        }
        var results = new LinkedHashMap<String, Object>();
        for (var entry : calls.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> call) || !(call.get("method") instanceof String method)) {
                throw OwsError.invalidParams("each call needs a 'method' and 'args'");
            }
            var args = call.get("args") == null ? new ArrayList<Object>() : Params.positional(call.get("args"));
            Map<String, Object> answer;
            try {
                if (args == null) {
                    throw OwsError.invalidParams("the 'args' of a call must be an array (or an object keyed 0, 1, …)");
                }
                answer = new LinkedHashMap<>();
                answer.put("status", "ok");
                answer.put("data", dispatch(method, new Params(method, args), language, depth + 1));
            } catch (Failure failure) {
                answer = errorObject(OwsError.of(failure));
            } catch (OwsError error) {
                answer = errorObject(error);
            }
            results.put(entry.getKey(), answer);
        }
        return raw instanceof List<?> ? new ArrayList<>(results.values()) : results;
    }

    static Map<String, Object> errorObject(OwsError error) {
        var body = new LinkedHashMap<String, Object>();
        body.put("message", error.getMessage());
        body.put("code", error.code());
        var out = new LinkedHashMap<String, Object>();
        out.put("status", "error");
        out.put("error", body);
        return out;
    }

    /** The live session of a token, or the OWS login error. */
    Session session(String token) {
        try {
            return sessions.resolve(token);
        } catch (Failure failure) {
            throw OwsError.of(failure);
        }
    }

    /** Who calls in this session: the API key's client (with its record filters) that logged in. */
    Caller caller(Session session) {
        return callers.session(session.tenantId(), session.userId(), session.clientId());
    }

    private Session session(Params params) {
        if (params.resolved() != null) {
            return params.resolved();
        }
        return sessions.resolve(params.get(0) instanceof String token ? token : null);
    }

    private String language(Session session, OwsBindings.Service bound) {
        var chosen = session.attributes().get(languageKey(bound));
        return chosen != null ? chosen : tenants.byId(session.tenantId()).defaultLanguage();
    }

    private String supported(long tenantId, String language) {
        var tenant = tenants.byId(tenantId);
        if (!TenantService.LANGUAGES.contains(language)) {
            throw OwsError.invalidParams("unsupported content language '" + language + "' (supported: " + String.join(", ", TenantService.LANGUAGES) + ")");
        }
        if (!tenant.contentLanguages().contains(language)) {
            throw OwsError.invalidParams("content language '" + language + "' is not enabled for this client (enabled: "
                    + String.join(", ", tenant.contentLanguages()) + ")");
        }
        return language;
    }

    /** The session attribute of the content language chosen for one data service (kept per service, as OWS does). */
    private static String languageKey(OwsBindings.Service bound) {
        return "language:" + bound.name();
    }

    public Schemas schemas() {
        return schemas;
    }

    OwsBindings bindings() {
        return bindings;
    }

    public IdentityService identities() {
        return identities;
    }
}
