package io.dossier.api.logicaldoc;

import io.dossier.core.Failure;
import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.access.Subject;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.metadata.MetadataService;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The methods of LogicalDOC's Document Metadata service, translated onto core's runtime metadata
 * and access model. Each answers a {@link Result}: the element the SOAP response wraps it in, and
 * a value the SOAP and REST writers both render (a map of properties in alphabetical order, a list,
 * text, a number, a boolean, or nothing).
 */
final class MetadataMethods {

    /** The methods of the publication, then those of later LogicalDOC versions. */
    static final List<String> NAMES = List.of("getAttributeSetById", "setAttributeOptions", "getAttributeOptions", "grantUserToTemplate",
            "grantGroupToTemplate", "getGrantedGroups", "getGrantedUsers", "deleteTemplate", "storeTemplate", "storeAttributeSet",
            "getTemplateById", "deleteAttributeSet", "isTemplateReadable", "getTemplate", "listAttributeSets", "listTemplates",
            "getAttributeSet", "isTemplateWritable", "addAttributeOption", "getAttributeOptionsByCategory", "isReadable", "isWritable",
            "setAccessControlList", "getAccessControlList");

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    record Result(String element, Object value) {
        static Result none() {
            return new Result(null, null);
        }
    }

    private final MetadataService metadata;
    private final AccessService access;

    /** A schema's attributes as answers show them, at the schema's version (a change raises it). */
    private record ShownAttributes(long version, List<Map<String, Object>> attributes) {
    }

    /**
     * The shown attributes of schemas answered lately, by schema id: a listTemplates of 1,000
     * templates of 20 attributes built 20,000 maps per call. Read-only once built.
     */
    private final BoundedCache<Long, ShownAttributes> shown = new BoundedCache<>(50_000, Duration.ofMinutes(10));

    MetadataMethods(MetadataService metadata, AccessService access) {
        this.metadata = metadata;
        this.access = access;
    }

    Result call(String method, Caller caller, In in) {
        return switch (method) {
            case "getAttributeSetById" -> new Result("attributeSet", set(schema(caller, in.requiredLong("setId"), MetadataSchema.Kind.ATTRIBUTE_SET)));
            case "getAttributeSet" -> new Result("attributeSet", set(metadata.schema(caller, MetadataSchema.Kind.ATTRIBUTE_SET, in.required("name"))));
            case "listAttributeSets" -> new Result("attributeSet",
                    metadata.list(caller, MetadataSchema.Kind.ATTRIBUTE_SET).stream().map(this::set).toList());
            case "storeAttributeSet" -> new Result("setId", store(caller, object(in, "attributeSet"), MetadataSchema.Kind.ATTRIBUTE_SET));
            case "deleteAttributeSet" -> {
                var id = in.requiredLong("setId");
                schema(caller, id, MetadataSchema.Kind.ATTRIBUTE_SET);
                metadata.delete(caller, id);
                yield Result.none();
            }
            case "getTemplateById" -> new Result("template", template(caller, schema(caller, in.requiredLong("templateId"), MetadataSchema.Kind.TEMPLATE)));
            case "getTemplate" -> new Result("template", template(caller, metadata.schema(caller, MetadataSchema.Kind.TEMPLATE, in.required("name"))));
            case "listTemplates" -> {
                var usage = metadata.usage(caller);
                yield new Result("template", metadata.list(caller, MetadataSchema.Kind.TEMPLATE).stream()
                        .map(t -> template(t, usage.getOrDefault(t.id(), 0L))).toList());
            }
            case "storeTemplate" -> new Result("templateId", store(caller, object(in, "template"), MetadataSchema.Kind.TEMPLATE));
            case "deleteTemplate" -> {
                var id = in.requiredLong("templateId");
                schema(caller, id, MetadataSchema.Kind.TEMPLATE);
                metadata.delete(caller, id);
                yield Result.none();
            }
            case "getAttributeOptions" -> new Result("return", attribute(caller, in).options());
            case "getAttributeOptionsByCategory" -> {
                var category = in.text("category");
                var attribute = attribute(caller, in);
                yield new Result("return", attribute.options().stream()
                        .filter(o -> category == null || category.equals(attribute.optionCategories().get(o)))
                        .map(o -> option(o, attribute.optionCategories().get(o))).toList());
            }
            case "setAttributeOptions" -> {
                var setId = in.requiredLong("setId");
                var name = in.required("attribute");
                var values = new ArrayList<>(in.texts("values"));
                var categories = new HashMap<String, String>();
                for (var option : in.objects("options")) {
                    var value = option.required("value");
                    values.add(value);
                    if (option.text("category") != null && !option.text("category").isEmpty()) {
                        categories.put(value, option.text("category"));
                    }
                }
                metadata.setOptions(caller, setId, name, values, categories);
                yield Result.none();
            }
            case "addAttributeOption" -> {
                var option = in.object("option");
                var value = option != null ? option.required("value") : in.required("value");
                var category = option != null ? option.text("category") : in.text("category");
                metadata.addOption(caller, in.requiredLong("setId"), in.required("attribute"), value,
                        category == null || category.isEmpty() ? null : category);
                yield Result.none();
            }
            case "grantUserToTemplate" -> grant(caller, in.requiredLong("templateId"), new Subject.User(in.requiredLong("userId")), in);
            case "grantGroupToTemplate" -> grant(caller, in.requiredLong("templateId"), new Subject.Group(in.requiredLong("groupId")), in);
            case "getGrantedUsers" -> new Result("return", rights(caller, in.requiredLong("templateId"), true));
            case "getGrantedGroups" -> new Result("return", rights(caller, in.requiredLong("templateId"), false));
            case "isTemplateReadable", "isReadable" -> new Result("return", allows(caller, in.requiredLong("templateId"), Permission.READ));
            case "isTemplateWritable", "isWritable" -> new Result("return", allows(caller, in.requiredLong("templateId"), Permission.WRITE));
            case "getAccessControlList" -> new Result("return", acl(caller, in.requiredLong("templateId")));
            case "setAccessControlList" -> {
                setAcl(caller, in.requiredLong("templateId"), in.objects("acl"));
                yield Result.none();
            }
            default -> throw Failure.invalid("unknown method " + method);
        };
    }

    private static In object(In in, String name) {
        var object = in.object(name);
        if (object == null) {
            throw Failure.invalid("missing argument " + name);
        }
        return object;
    }

    // ---- schemas

    /** A schema of the caller's tenant of the kind named, readable by the caller; another kind is not found. */
    private MetadataSchema schema(Caller caller, long id, MetadataSchema.Kind kind) {
        if (metadata.kind(caller, id).filter(k -> k == kind).isEmpty()) {
            throw Failure.notFound("no " + kindName(kind) + " " + id);
        }
        return metadata.schema(caller, id);
    }

    private static String kindName(MetadataSchema.Kind kind) {
        return kind == MetadataSchema.Kind.TEMPLATE ? "template" : "attribute set";
    }

    private Attribute attribute(Caller caller, In in) {
        var id = in.requiredLong("setId");
        var name = in.required("attribute");
        if (metadata.kind(caller, id).isEmpty()) {
            throw Failure.notFound("no attribute set " + id);
        }
        var schema = metadata.schema(caller, id);
        return schema.attribute(name).orElseThrow(() -> Failure.notFound("no attribute " + name + " in " + schema.name()));
    }

    private long store(Caller caller, In ws, MetadataSchema.Kind kind) {
        var id = ws.longValue("id");
        var name = ws.text("name");
        var description = ws.text("description");
        MetadataSchema existing = id == null || id == 0 ? null : schema(caller, id, kind);
        var attributes = new ArrayList<Attribute>();
        int position = 0;
        for (var attribute : ws.objects("attributes")) {
            attributes.add(attribute(caller, attribute, existing, position++));
        }
        if (existing == null) {
            return metadata.create(caller, kind, name, existing == null ? null : existing.label(), description, attributes).id();
        }
        return metadata.update(caller, existing.id(), name, existing.label(), description, attributes).id();
    }

    /** A WSAttribute read: its options are those it had (or those of the set it names), as storing never carries them. */
    private Attribute attribute(Caller caller, In ws, MetadataSchema existing, int index) {
        var name = ws.text("name");
        var what = "attribute " + (name == null ? "#" + (index + 1) : name);
        var typeText = ws.text("type");
        int type;
        try {
            type = typeText == null || typeText.isBlank() ? 0 : Integer.parseInt(typeText.strip());
        } catch (NumberFormatException e) {
            throw Failure.invalid(what + ": type must be 0 to 7, got '" + In.clip(typeText) + "'");
        }
        if (type < 0 || type >= AttributeType.values().length) {
            throw Failure.invalid(what + ": type must be 0 to 7, got " + type);
        }
        int editor = checked(what, () -> ws.intValue("editor", 0));
        var setId = checked(what, () -> ws.longValue("setId"));
        List<String> options = List.of();
        Map<String, String> categories = Map.of();
        var previous = existing == null || name == null ? null : existing.attribute(name).orElse(null);
        if (previous != null) {
            options = previous.options();
            categories = previous.optionCategories();
        } else if (setId != null && setId != 0 && metadata.kind(caller, setId).filter(k -> k == MetadataSchema.Kind.ATTRIBUTE_SET).isPresent()) {
            var fromSet = metadata.schema(caller, setId).attribute(name == null ? "" : name).orElse(null);
            if (fromSet != null) {
                options = fromSet.options();
                categories = fromSet.optionCategories();
            }
        }
        var position = checked(what, () -> ws.intValue("position", index));
        return new Attribute(name, ws.text("label"), AttributeType.values()[type], checked(what, () -> ws.flag("mandatory")),
                checked(what, () -> ws.flag("hidden")), checked(what, () -> ws.flag("multiple")), position, editor == 1, options,
                checked(what, () -> ws.flag("readonly")), blankToNull(ws.text("parent")), setId == null || setId == 0 ? null : setId,
                blankToNull(ws.text("validation")), blankToNull(ws.text("initialization")), blankToNull(ws.text("dependsOn")), categories);
    }

    private static <T> T checked(String what, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Failure failure) {
            throw failure.kind() == Failure.Kind.INVALID ? Failure.invalid(what + ": " + failure.getMessage()) : failure;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private Map<String, Object> template(Caller caller, MetadataSchema schema) {
        return template(schema, metadata.usage(caller, schema.id()));
    }

    private Map<String, Object> template(MetadataSchema schema, long docsCount) {
        var out = common(schema);
        out.put("docsCount", docsCount);
        return out;
    }

    private Map<String, Object> set(MetadataSchema schema) {
        return common(schema);
    }

    private Map<String, Object> common(MetadataSchema schema) {
        var out = new TreeMap<String, Object>();
        out.put("attributes", attributes(schema));
        out.put("description", schema.description());
        out.put("id", schema.id());
        out.put("lastModified", DATE_TIME.format(schema.lastModified()));
        out.put("name", schema.name());
        return out;
    }

    private List<Map<String, Object>> attributes(MetadataSchema schema) {
        var held = shown.get(schema.id()).orElse(null);
        if (held != null && held.version() == schema.version()) {
            return held.attributes();
        }
        List<Map<String, Object>> attributes = new Soap.Rendered<>(schema.attributes().stream().map(MetadataMethods::attribute).toList());
        shown.put(schema.id(), new ShownAttributes(schema.version(), attributes));
        return attributes;
    }

    private static Map<String, Object> attribute(Attribute a) {
        var out = new TreeMap<String, Object>();
        out.put("dependsOn", a.dependsOn());
        out.put("editor", a.preset() ? 1 : 0);
        out.put("hidden", a.hidden() ? 1 : 0);
        out.put("initialization", a.initialization());
        out.put("label", a.label());
        out.put("mandatory", a.mandatory() ? 1 : 0);
        out.put("multiple", a.multiple() ? 1 : 0);
        out.put("name", a.name());
        out.put("parent", a.parent());
        out.put("position", a.position());
        out.put("readonly", a.readonly() ? 1 : 0);
        out.put("setId", a.setId());
        out.put("type", a.type().ordinal());
        out.put("validation", a.validation());
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Map<String, Object> option(String value, String category) {
        var out = new TreeMap<String, Object>();
        out.put("category", category);
        out.put("value", value);
        return out;
    }

    // ---- access

    private Resource template(Caller caller, long templateId) {
        if (metadata.kind(caller, templateId).filter(k -> k == MetadataSchema.Kind.TEMPLATE).isEmpty()) {
            throw Failure.notFound("no template " + templateId);
        }
        return Resource.template(templateId);
    }

    private Result grant(Caller caller, long templateId, Subject subject, In in) {
        var permissions = new Permissions(in.requiredLong("permissions"));
        var resource = template(caller, templateId);
        if (permissions.isEmpty()) {
            access.revoke(caller, resource, subject);
        } else {
            access.grant(caller, resource, subject, permissions);
        }
        return Result.none();
    }

    private List<Map<String, Object>> rights(Caller caller, long templateId, boolean users) {
        return access.grants(caller, template(caller, templateId)).stream()
                .filter(g -> (g.subject() instanceof Subject.User) == users)
                .map(g -> {
                    var out = new TreeMap<String, Object>();
                    out.put("id", g.subject().id());
                    out.put("permissions", g.permissions().bits());
                    return (Map<String, Object>) out;
                }).toList();
    }

    private boolean allows(Caller caller, long templateId, Permission permission) {
        return access.allows(caller, template(caller, templateId), permission);
    }

    /** A permission's flag name in a WSAccessControlEntry. */
    static String flagName(Permission permission) {
        return permission.name().toLowerCase(Locale.ROOT);
    }

    private List<Map<String, Object>> acl(Caller caller, long templateId) {
        var out = new ArrayList<Map<String, Object>>();
        for (var grant : access.grants(caller, template(caller, templateId))) {
            var entry = new TreeMap<String, Object>();
            entry.put(grant.subject() instanceof Subject.User ? "userId" : "groupId", grant.subject().id());
            var held = grant.permissions().toSet();
            for (var permission : Permission.values()) {
                entry.put(flagName(permission), held.contains(permission) ? 1 : 0);
            }
            out.add(entry);
        }
        return out;
    }

    private void setAcl(Caller caller, long templateId, List<In> entries) {
        var resource = template(caller, templateId);
        var wanted = new LinkedHashMap<Subject, Permissions>();
        for (var entry : entries) {
            var userId = entry.longValue("userId");
            var groupId = entry.longValue("groupId");
            Subject subject;
            if (userId != null && userId != 0) {
                subject = new Subject.User(userId);
            } else if (groupId != null && groupId != 0) {
                subject = new Subject.Group(groupId);
            } else {
                throw Failure.invalid("an access control entry names a userId or a groupId");
            }
            var held = java.util.EnumSet.noneOf(Permission.class);
            for (var permission : Permission.values()) {
                if (entry.flag(flagName(permission))) {
                    held.add(permission);
                }
            }
            if (!held.isEmpty()) {
                wanted.put(subject, Permissions.of((Set<Permission>) held));
            }
        }
        access.replaceGrants(caller, resource, wanted);
    }
}
