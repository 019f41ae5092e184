package io.dossier.api.youforce;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.api.http.Admission;
import io.dossier.api.http.Credentials;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.ErrorShape;
import io.dossier.api.http.Json;
import io.dossier.api.http.MultipartForm;
import io.dossier.api.http.MultipartReader;
import io.dossier.api.http.OAuthTokenEndpoint;
import io.dossier.api.http.Responses;
import io.dossier.api.http.Routes;
import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredBlob;
import io.dossier.core.intake.DocumentIntake;
import io.dossier.core.paging.Page;
import io.dossier.core.paging.PageSize;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.ratelimit.RateLimit;
import io.dossier.core.ratelimit.RateLimiter;
import io.dossier.core.record.RecordService;
import io.dossier.core.record.RecordWalk;
import io.dossier.core.record.SharedKeyMap;
import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.core.settings.SettingsService;
import io.dossier.core.tenant.TenantService;
import io.dossier.core.token.TokenService;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Visma Raet Youforce "learning" API under {@code /youforce}: OAuth tokens (current and legacy),
 * HR master data read through scopes and the client's authorization filters, walked in pages with
 * delta sync and tombstones, and documents taken in for an employee's personal file behind a
 * ticket. HR data is read-only here: it is loaded by the admin import. Paths match in any case
 * and under both prefixes real clients use ({@code /learning/v1.0}, {@code /iam/v1.0}).
 */
public final class YouforceApi implements Dialect {

    static final String TENANT_HEADER = "X-Raet-Tenant-Id";
    static final String GET_BASIC = "Get_Basic";
    static final String UPLOAD_DOCUMENTS = "Upload_documents";
    static final String PRIVATE_CONTACT = "GetPrivateContactDetails";
    static final List<String> PREFIXES = List.of("/learning/v1.0", "/iam/v1.0");
    /** 500 records a page unless a client asks for fewer or more, at most 1000. */
    static final PageSize PAGES = new PageSize(500, 1000);
    /** Youforce's published limits: 100 calls a minute, 3 at once, per client. */
    public static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(100, 3);
    static final long MAX_DOCUMENT_BYTES = 4L * 1024 * 1024;
    /** Document types of the upload path → the folder of the personal file they go to. */
    static final Map<String, String> FOLDERS = folders();
    private static final Pattern UTC_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS").withZone(ZoneOffset.UTC);
    private static final MultipartForm.Limits FORM_LIMITS = new MultipartForm.Limits(MultipartReader.Limits.DEFAULT, 16 * 1024);

    private final TokenService tokens;
    private final RecordService records;
    private final RecordWalk walk;
    private final Schemas schemas;
    private final ContentService content;
    private final DocumentIntake intake;
    private final TenantService tenants;
    private final SettingsService settings;
    private final RateLimiter limiter;

    public YouforceApi(TokenService tokens, RecordService records, RecordWalk walk, Schemas schemas, ContentService content,
                       DocumentIntake intake, TenantService tenants, SettingsService settings, RateLimiter limiter) {
        this.tokens = tokens;
        this.records = records;
        this.walk = walk;
        this.schemas = schemas;
        this.content = content;
        this.intake = intake;
        this.tenants = tenants;
        this.settings = settings;
        this.limiter = limiter;
    }

    private static Map<String, String> folders() {
        var out = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        out.put("certificate", "certificaat");
        out.put("diploma", "diploma");
        out.put("appraisalReview", "beoordelingsGesprek");
        out.put("performanceReview", "functioneringsGesprek");
        out.put("careerAgreement", "loopbaanafspraken");
        out.put("careerMail", "corrLoopbaan");
        out.put("careerOther", "ovLoopbaan");
        return out;
    }

    @Override
    public String name() {
        return "youforce";
    }

    @Override
    public ErrorShape errors() {
        return YouforceErrors::write;
    }

    @Override
    public boolean caseInsensitivePaths() {
        return true;
    }

    @Override
    public void routes(Routes routes) {
        OAuthTokenEndpoint.Issuer issuer = request -> tokens.issue(request.clientId(), request.clientSecret(), request.tenantId(),
                settings::requireApiAccess);
        routes.post("/connect/token", new OAuthTokenEndpoint(issuer, OAuthTokenEndpoint.STANDARD, true))
                .post("/authentication/token", new OAuthTokenEndpoint(issuer, OAuthTokenEndpoint.BEARER_TOKEN_STRING, false));
        for (var prefix : PREFIXES) {
            for (var resource : HrResource.ALL) {
                routes.get(prefix + "/" + resource.path(), ctx -> list(ctx, resource));
                if (HrResource.WITH_DETAIL.contains(resource.path())) {
                    routes.get(prefix + "/" + resource.path() + "/{id}", ctx -> detail(ctx, resource));
                }
            }
        }
        routes.post("/learning/v1.1/employees/{personCode}/documents/{type}", this::uploadForm)
                .post("/learning/v1.0/employees/{personCode}/documents/certificate", this::uploadRelated)
                .get("/learning/v1.0/employees/documents/{ticketId}/status", this::status)
                .get("/learning/v1.1/employees/documents/{ticketId}/status", this::status);
    }

    // ---- who calls

    /** The caller of the bearer token (the tenant from the token, or from X-Raet-Tenant-Id for a legacy one), admitted under its limits. */
    private Caller caller(Context ctx, String scope) {
        var caller = tokens.resolve(Credentials.bearer(ctx).orElse(null), ctx.header(TENANT_HEADER));
        Admission.admit(ctx, limiter, caller.clientId(), name());
        caller.requireScope(scope);
        return caller;
    }

    // ---- HR data

    private void list(Context ctx, HrResource resource) {
        var caller = caller(ctx, GET_BASIC);
        var type = type(resource.recordType());
        var take = take(ctx);
        var changedAfter = instant(ctx, "changedAfter");
        var changedUntil = instant(ctx, "changedUntil");
        if (changedAfter != null && changedUntil != null && changedUntil.isBefore(changedAfter)) {
            throw Failure.invalid("changedUntil must not be before changedAfter");
        }
        var cursor = pageToken(ctx, resource);
        var conditions = new ArrayList<Condition>();
        resource.parameters().forEach((parameter, field) -> {
            var value = ctx.queryParam(parameter);
            if (value != null && !value.isEmpty()) {
                conditions.add(new Condition.Compare(field, Condition.Op.EQ, value));
            }
        });
        var where = conditions.isEmpty() ? null : conditions.size() == 1 ? conditions.getFirst() : new Condition.And(conditions);
        var window = changedAfter != null || changedUntil != null;
        var page = walk.page(caller, type, where, changedAfter, changedUntil, window, "lastModified", cursor, take);
        String link = null;
        if (page.next() != null) {
            link = nextLink(ctx, take, page.next() + "." + resource.path());
            ctx.header("x-nextlink", link);
        }
        var privateDetails = caller.hasScope(PRIVATE_CONTACT);
        if (resource.path().equals("employees")) {
            // the deprecated employee form: each person with its employments, read for the page in one query
            var value = new ArrayList<Map<String, Object>>();
            var persons = new ArrayList<Map<String, Object>>();
            for (var item : page.items()) {
                if (item.deleted()) {
                    value.add(tombstone(item.uid()));
                } else {
                    var shaped = shape(caller, type, item.fields());
                    value.add(shaped);
                    persons.add(shaped);
                }
            }
            addEmployments(caller, persons);
            var finalLink = link;
            Json.stream(ctx, 200, "application/json; charset=utf-8", Json.WITH_NULLS,
                    g -> writePage(g, value, (out, shaped) -> out.writeObject(shaped), finalLink));
            return;
        }
        // every other list: each record written as it is shaped, straight from its fields (no tree of the page)
        var finalLink = link;
        var plan = writesDirectly(type) ? WirePlan.of(type) : null;
        Json.stream(ctx, 200, "application/json; charset=utf-8", Json.WITH_NULLS, g -> writePage(g, page.items(), (out, item) -> {
            if (item.deleted()) {
                writeTombstone(out, item.uid());
            } else if (plan != null) {
                writeShaped(out, privateDetails, plan, item.fields());
            } else {
                out.writeObject(shape(caller, type, item.fields()));
            }
        }, finalLink));
    }

    private static Map<String, Object> tombstone(String uid) {
        var tombstone = new LinkedHashMap<String, Object>();
        tombstone.put("id", uid);
        tombstone.put("isDeleted", true);
        tombstone.put("shortName", uid);
        return tombstone;
    }

    private static void writeTombstone(JsonGenerator g, String uid) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", uid);
        g.writeBooleanField("isDeleted", true);
        g.writeStringField("shortName", uid);
        g.writeEndObject();
    }

    /** {@code {"value":[…],"nextLink":…}}, the link left out on the last page. */
    private static <T> void writePage(JsonGenerator g, List<T> items, Json.ItemWriter<T> writer, String nextLink) throws IOException {
        g.writeStartObject();
        g.writeFieldName("value");
        g.writeStartArray();
        for (var item : items) {
            writer.write(g, item);
        }
        g.writeEndArray();
        if (nextLink != null) {
            g.writeStringField("nextLink", nextLink);
        }
        g.writeEndObject();
    }

    private void detail(Context ctx, HrResource resource) {
        var caller = caller(ctx, GET_BASIC);
        var type = type(resource.recordType());
        var id = ctx.pathParam("id");
        var shaped = shape(caller, type, records.detail(caller, type, id, Set.of(), null));
        if (resource.path().equals("employees")) {
            addEmployments(caller, List.of(shaped));
        }
        write(ctx, shaped);
    }

    /** The employee form (deprecated): each person with its employments, read in one query. */
    private void addEmployments(Caller caller, List<Map<String, Object>> persons) {
        if (persons.isEmpty()) {
            return;
        }
        var type = type("hr.Employment");
        var byPerson = new LinkedHashMap<String, List<Map<String, Object>>>();
        var codes = new ArrayList<Condition>();
        for (var person : persons) {
            var code = String.valueOf(person.get("personCode"));
            byPerson.put(code, new ArrayList<>());
            codes.add(new Condition.Compare("personCode", Condition.Op.EQ, code));
        }
        var found = records.list(caller, type, new Query(new Condition.Or(codes), List.of(), Set.of(), Page.first(100 * persons.size()), null));
        for (var employment : found.items()) {
            var list = byPerson.get(String.valueOf(employment.get("personCode")));
            if (list != null) {
                list.add(shape(caller, type, employment));
            }
        }
        for (var person : persons) {
            person.put("employments", byPerson.get(String.valueOf(person.get("personCode"))));
        }
    }

    private RecordType type(String name) {
        return schemas.type(name).orElseThrow(() -> new IllegalStateException("no record type " + name));
    }

    /**
     * A record as Youforce shows it: the uid as {@code id} first, collections as lists in item order,
     * dates as {@code yyyy-MM-dd}, Dossier's own fields left out; private contact items only for a
     * client with the scope for them.
     */
    static Map<String, Object> shape(Caller caller, RecordType type, Map<String, Object> fields) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", fields.get("uid"));
        if (type.qualifiedName().equals("hr.Person")) {
            out.put("personId", fields.get("uid"));
        }
        var privateDetails = caller.hasScope(PRIVATE_CONTACT);
        for (var field : type.fields()) {   // in the definition's order, which is the spec's
            var key = field.name();
            if (key.equals("uid") || HrResource.HIDDEN.contains(key) || !fields.containsKey(key)) {
                continue;
            }
            var raw = fields.get(key);
            if (field.isCollection()) {
                var items = new ArrayList<Map<String, Object>>();
                if (raw instanceof Map<?, ?> keyed) {
                    var sorted = new TreeMap<String, Object>(YouforceApi::byItemKey);
                    keyed.forEach((k, v) -> sorted.put(String.valueOf(k), v));
                    for (var item : sorted.values()) {
                        @SuppressWarnings("unchecked")
                        var map = (Map<String, Object>) item;
                        if (privateDetails || !isPrivate(key, map)) {
                            var ordered = new LinkedHashMap<String, Object>();
                            for (var child : field.children()) {
                                ordered.put(child.name(), value(map.get(child.name())));
                            }
                            items.add(ordered);
                        }
                    }
                }
                out.put(key, items);
            } else if (field.isContainer() && raw instanceof Map<?, ?> nested) {
                var ordered = new LinkedHashMap<String, Object>();
                for (var child : field.children()) {
                    ordered.put(child.name(), value(nested.get(child.name())));
                }
                out.put(key, ordered);
            } else {
                out.put(key, value(raw));
            }
        }
        return out;
    }

    /**
     * Whether {@link #writeShaped} writes the type as {@link #shape} does: not when a field of the
     * type has the name of one {@link #shape} puts first ({@code id}, a person's {@code personId}),
     * which the map would keep in that first place.
     */
    static boolean writesDirectly(RecordType type) {
        var person = type.qualifiedName().equals("hr.Person");
        return type.fields().stream().noneMatch(f -> f.name().equals("id") || person && f.name().equals("personId"));
    }

    /**
     * The fields {@link #writeShaped} writes for a type, in order, with their names encoded once
     * rather than once a record, and read from a page's records by the positions their shared keys
     * give them ({@link SharedKeyMap.Lookup}): one plan for one page.
     */
    record WirePlan(boolean person, List<WireField> fields, SharedKeyMap.Lookup lookup) {

        static WirePlan of(RecordType type) {
            var out = new ArrayList<WireField>();
            for (var field : type.fields()) {   // in the definition's order, which is the spec's
                if (!field.name().equals("uid") && !HrResource.HIDDEN.contains(field.name())) {
                    out.add(WireField.of(field));
                }
            }
            return new WirePlan(type.qualifiedName().equals("hr.Person"), List.copyOf(out),
                    new SharedKeyMap.Lookup(out.stream().map(WireField::name).toList()));
        }
    }

    record WireField(String name, SerializedString key, FieldDef field, List<WireField> children, SharedKeyMap.Lookup lookup) {

        static WireField of(FieldDef field) {
            return new WireField(field.name(), new SerializedString(field.name()), field,
                    field.children().stream().map(WireField::of).toList(), new SharedKeyMap.Lookup(field.children().stream().map(FieldDef::name).toList()));
        }
    }

    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString PERSON_ID = new SerializedString("personId");

    static void writeShaped(JsonGenerator g, boolean privateDetails, RecordType type, Map<String, Object> fields) throws IOException {
        writeShaped(g, privateDetails, WirePlan.of(type), fields);
    }

    /**
     * {@link #shape} written straight to {@code g}, the same bytes {@link Json#WITH_NULLS} writes for
     * the map {@link #shape} builds, without building it.
     */
    static void writeShaped(JsonGenerator g, boolean privateDetails, WirePlan plan, Map<String, Object> fields) throws IOException {
        g.writeStartObject();
        g.writeFieldName(ID);
        writeValue(g, fields.get("uid"));
        if (plan.person()) {
            g.writeFieldName(PERSON_ID);
            writeValue(g, fields.get("uid"));
        }
        var wires = plan.fields();
        for (int i = 0; i < wires.size(); i++) {
            var wire = wires.get(i);
            var raw = plan.lookup().get(fields, i);
            if (raw == SharedKeyMap.Lookup.MISSING) {
                continue;
            }
            var key = wire.name();
            var field = wire.field();
            g.writeFieldName(wire.key());
            if (field.isCollection()) {
                g.writeStartArray();
                if (raw instanceof Map<?, ?> keyed) {
                    for (var item : inItemOrder(keyed)) {
                        @SuppressWarnings("unchecked")
                        var map = (Map<String, Object>) item;
                        if (privateDetails || !isPrivate(key, map)) {
                            writeChildren(g, wire, map);
                        }
                    }
                }
                g.writeEndArray();
            } else if (field.isContainer() && raw instanceof Map<?, ?> nested) {
                writeChildren(g, wire, nested);
            } else {
                writeValue(g, raw);
            }
        }
        g.writeEndObject();
    }

    private static void writeChildren(JsonGenerator g, WireField parent, Map<?, ?> values) throws IOException {
        g.writeStartObject();
        var children = parent.children();
        for (int i = 0; i < children.size(); i++) {
            g.writeFieldName(children.get(i).key());
            var value = parent.lookup().get(values, i);
            writeValue(g, value == SharedKeyMap.Lookup.MISSING ? null : value);
        }
        g.writeEndObject();
    }

    /**
     * {@link #value} written: dates and times as their ISO text, maps as objects; the rest as the
     * mapper writes it. Tested with instanceof in the order values are common (text first): a
     * pattern switch on the type went through its bootstrap's classifier for each of a page's some
     * 30,000 values, a quarter of the time of writing a page.
     */
    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value instanceof String text) {
            g.writeString(text);
        } else if (value == null) {
            g.writeNull();
        } else if (value instanceof LocalDate date) {
            writeDate(g, date);
        } else if (value instanceof Long number) {
            g.writeNumber(number);
        } else if (value instanceof Boolean bool) {
            g.writeBoolean(bool);
        } else if (value instanceof Instant instant) {
            g.writeString(instant.toString());
        } else if (value instanceof Integer number) {
            g.writeNumber(number);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (var entry : map.entrySet()) {
                g.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(g, entry.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeObject(value);
        }
    }

    /** {@code LocalDate.toString()} without the string: {@code yyyy-MM-dd} for years 1000 to 9999, toString otherwise. */
    private static void writeDate(JsonGenerator g, LocalDate date) throws IOException {
        int year = date.getYear();
        if (year < 1000 || year > 9999) {
            g.writeString(date.toString());
            return;
        }
        int month = date.getMonthValue();
        int day = date.getDayOfMonth();
        char[] text = {(char) ('0' + year / 1000), (char) ('0' + year / 100 % 10), (char) ('0' + year / 10 % 10), (char) ('0' + year % 10),
                '-', (char) ('0' + month / 10), (char) ('0' + month % 10), '-', (char) ('0' + day / 10), (char) ('0' + day % 10)};
        g.writeString(text, 0, text.length);
    }

    /**
     * A collection's items in {@link #byItemKey} order, as {@link #shape} sorts them. Storage hands
     * them over in that order already (item keys are numbered), so they are sorted only when not.
     */
    private static java.util.Collection<?> inItemOrder(Map<?, ?> keyed) {
        String previous = null;
        for (var key : keyed.keySet()) {
            var text = key instanceof String string ? string : String.valueOf(key);
            if (previous != null && byItemKey(previous, text) >= 0) {
                var sorted = new TreeMap<String, Object>(YouforceApi::byItemKey);
                keyed.forEach((k, v) -> sorted.put(String.valueOf(k), v));
                return sorted.values();
            }
            previous = text;
        }
        return keyed.values();
    }

    /** Private contact items (scope GetPrivateContactDetails): home and postal addresses, home and mobile phones, private e-mail. */
    static boolean isPrivate(String collection, Map<String, Object> item) {
        var kind = String.valueOf(item.get("type")).toLowerCase(Locale.ROOT);
        return switch (collection) {
            case "addresses" -> !kind.equals("business") && !kind.equals("work");
            case "phoneNumbers" -> kind.equals("home") || kind.equals("mobile") || kind.equals("private");
            case "emailAddresses" -> kind.equals("private") || kind.equals("home");
            default -> false;
        };
    }

    private static int byItemKey(String a, String b) {
        if (smallNumber(a) && smallNumber(b)) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return a.compareTo(b);
    }

    /** 1 to 9 ASCII digits (what {@code \d{1,9}} matches), without a regular expression for each item. */
    private static boolean smallNumber(String text) {
        int n = text.length();
        if (n < 1 || n > 9) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Object value(Object value) {
        return switch (value) {
            case LocalDate date -> date.toString();
            case Instant instant -> instant.toString();
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
                yield out;
            }
            case null -> null;
            default -> value;
        };
    }

    // ---- paging and windows

    static int take(Context ctx) {
        var raw = ctx.queryParam("take");
        if (raw == null || raw.isBlank()) {
            return PAGES.standard();
        }
        int take;
        try {
            take = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw Failure.invalid("take must be a whole number from 1 to " + PAGES.maximum() + ", got '" + raw + "'");
        }
        if (!PAGES.allows(take)) {
            throw Failure.invalid("take must be from 1 to " + PAGES.maximum() + ", got " + take);
        }
        return take;
    }

    static Instant instant(Context ctx, String parameter) {
        var raw = ctx.queryParam(parameter);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (!UTC_TIME.matcher(raw).matches()) {
            throw Failure.invalid(parameter + " must be a UTC time as YYYY-MM-DDTHH:MM:SS.sssZ, got '" + raw + "'");
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw Failure.invalid(parameter + " is not a valid time: '" + raw + "'");
        }
    }

    /** The walk's cursor from {@code pageToken}, which names the resource it was made for. */
    private static String pageToken(Context ctx, HrResource resource) {
        var raw = ctx.queryParam("pageToken");
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        var dot = raw.lastIndexOf('.');
        if (dot <= 0 || !raw.substring(dot + 1).equals(resource.path())) {
            throw Failure.invalid("pageToken is not valid here: pass back the nextLink as it was received");
        }
        return raw.substring(0, dot);
    }

    /**
     * The next page's URL: this one with {@code take} and the new {@code pageToken}, every other
     * parameter kept, so that its query string alone (what clients append to their base URL) is enough.
     */
    private static String nextLink(Context ctx, int take, String pageToken) {
        var query = new StringBuilder();
        for (var entry : ctx.queryParamMap().entrySet()) {
            if (entry.getKey().equals("take") || entry.getKey().equals("pageToken")) {
                continue;
            }
            for (var value : entry.getValue()) {
                query.append(query.isEmpty() ? "" : "&").append(encode(entry.getKey())).append('=').append(encode(value));
            }
        }
        query.append(query.isEmpty() ? "" : "&").append("take=").append(take).append("&pageToken=").append(encode(pageToken));
        return ctx.scheme() + "://" + ctx.host() + ctx.path() + "?" + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void write(Context ctx, Object body) {
        try {
            Responses.send(ctx, 200, "application/json; charset=utf-8", Json.WITH_NULLS.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- documents

    /** v1.1: multipart/form-data with Description, optional ValidFrom and the PDF as {@code file}, in any order. */
    private void uploadForm(Context ctx) throws IOException {
        var caller = caller(ctx, UPLOAD_DOCUMENTS);
        var folder = FOLDERS.get(ctx.pathParam("type"));
        if (folder == null) {
            throw Failure.notFound("no document type " + ctx.pathParam("type") + "; the types are " + String.join(", ", FOLDERS.keySet()));
        }
        var person = person(caller, ctx.pathParam("personCode"));
        var form = MultipartForm.of(ctx, FORM_LIMITS, "send multipart/form-data with Description, ValidFrom and file");
        var upload = new Upload();
        try {
            form.read(part -> {
                var name = part.name() == null ? "" : part.name();
                if (part.isFile() || name.equalsIgnoreCase("file")) {
                    if (upload.blob != null) {
                        throw Failure.invalid("send one file");
                    }
                    upload.fileName = part.filename();
                    upload.blob = pdf(part.body());
                } else if (name.equalsIgnoreCase("Description")) {
                    upload.description = part.text();
                } else if (name.equalsIgnoreCase("ValidFrom")) {
                    upload.validFrom = part.text();
                }
                return true;
            });
            accept(ctx, caller, person, folder, upload);
        } finally {
            upload.discardUnlessTaken(content);
        }
    }

    /** v1.0: multipart/related, a JSON part {@code {"Description","ValidFrom"}} and then the PDF; certificates only. */
    private void uploadRelated(Context ctx) throws IOException {
        var caller = caller(ctx, UPLOAD_DOCUMENTS);
        var person = person(caller, ctx.pathParam("personCode"));
        var form = MultipartForm.of(ctx, FORM_LIMITS, "send multipart/related: the JSON metadata, then the PDF");
        var upload = new Upload();
        try {
            form.read(part -> {
                if (part.index() == 1) {
                    JsonNode node;
                    try {
                        node = Json.MAPPER.readTree(part.text());
                    } catch (com.fasterxml.jackson.core.JacksonException e) {
                        throw Failure.invalid("the metadata part is not JSON: " + e.getOriginalMessage());
                    }
                    if (node == null || !node.isObject()) {
                        throw Failure.invalid("the metadata part must be a JSON object");
                    }
                    for (var entry : node.properties()) {
                        if (entry.getKey().equalsIgnoreCase("Description")) {
                            upload.description = entry.getValue().isNull() ? null : entry.getValue().asText();
                        } else if (entry.getKey().equalsIgnoreCase("ValidFrom")) {
                            upload.validFrom = entry.getValue().isNull() ? null : entry.getValue().asText();
                        }
                    }
                    return true;
                }
                upload.fileName = part.filename();
                upload.blob = pdf(part.body());
                return false;
            });
            accept(ctx, caller, person, "certificaat", upload);
        } finally {
            upload.discardUnlessTaken(content);
        }
    }

    private static final class Upload {
        StoredBlob blob;
        String fileName;
        String description;
        String validFrom;
        boolean taken;

        void discardUnlessTaken(ContentService content) {
            if (blob != null && !taken) {
                content.discard(blob);
            }
        }
    }

    private String person(Caller caller, String personCode) {
        var type = type("hr.Person");
        if (personCode == null || personCode.isBlank() || !records.exists(caller, type, personCode)) {
            throw Failure.notFound("no employee " + personCode);
        }
        return personCode;
    }

    /** Stores the file part while checking it: at most 4 MB (counted while streaming) and a PDF by its first bytes. */
    private StoredBlob pdf(java.io.InputStream in) throws IOException {
        StoredBlob blob;
        try {
            blob = content.store(in, MAX_DOCUMENT_BYTES);
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.TOO_LARGE) {
                throw Failure.invalid("the file is larger than 4 MB");
            }
            throw failure;
        }
        var head = blob.head();
        if (head == null || head.length < 5 || !new String(head, 0, 5, StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            content.discard(blob);
            throw Failure.invalid("the file is not a PDF");
        }
        return blob;
    }

    private void accept(Context ctx, Caller caller, String personCode, String folder, Upload upload) {
        if (upload.blob == null) {
            throw Failure.invalid("the file is missing");
        }
        if (upload.description == null || upload.description.isBlank()) {
            throw Failure.invalid("Description is required");
        }
        if (upload.description.length() > 1000) {
            throw Failure.invalid("Description is at most 1000 characters");
        }
        LocalDate validFrom;
        if (upload.validFrom == null || upload.validFrom.isBlank()) {
            validFrom = LocalDate.now(ZoneOffset.UTC);
        } else {
            try {
                validFrom = LocalDate.parse(upload.validFrom.strip());
            } catch (DateTimeParseException e) {
                throw Failure.invalid("ValidFrom must be a date as yyyy-MM-dd, got '" + upload.validFrom + "'");
            }
        }
        var fileName = upload.fileName == null || upload.fileName.isBlank() ? folder + ".pdf" : upload.fileName;
        upload.taken = true;   // from here the intake owns the blob, and discards it if it refuses
        var ticket = intake.accept(caller, type("hr.Person"), personCode, folder, upload.description.strip(), validFrom, fileName,
                "application/pdf", upload.blob);
        var out = new LinkedHashMap<String, Object>();
        out.put("ticketId", ticket.id());
        out.put("description", ticket.description());
        out.put("size", ticket.size());
        out.put("tenantId", tenants.byId(caller.tenantId()).slug());
        out.put("creationDateTime", CREATED.format(ticket.createdAt()));
        out.put("status", status(ticket.status()));
        out.put("errorMessages", ticket.errors());
        write(ctx, out);
    }

    private void status(Context ctx) {
        var caller = caller(ctx, UPLOAD_DOCUMENTS);
        var ticket = intake.ticket(caller, ctx.pathParam("ticketId"));
        var out = new LinkedHashMap<String, Object>();
        out.put("status", status(ticket.status()));
        out.put("errorMessages", ticket.errors());
        write(ctx, out);
    }

    private static String status(DocumentIntake.Status status) {
        return switch (status) {
            case IN_PROGRESS -> "InProgress";
            case COMPLETE -> "Complete";
            case REJECTED -> "Rejected";
        };
    }
}
