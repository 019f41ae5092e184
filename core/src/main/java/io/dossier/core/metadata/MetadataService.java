package io.dossier.core.metadata;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Resource;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Runtime metadata: templates and attribute sets that tenants create, change and delete while the
 * server runs (rows, not tables), and the values documents or containers are described with,
 * checked against their template: a value of the wrong type, outside a preset attribute's options,
 * a missing mandatory attribute or an unknown one is {@code INVALID} with the attribute named. A
 * template that describes something cannot be deleted.
 *
 * <p>Every call takes the {@link Caller}, whose tenant it works in. Templates are resources of the
 * access model: a user reads a template with {@link Permission#READ}, changes it with
 * {@link Permission#WRITE} and deletes it with {@link Permission#DELETE} once anyone holds a grant
 * on it (a template without grants is open to the tenant's users; see {@link AccessService}).
 * Attribute sets have no grants.
 */
public final class MetadataService {

    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_VALUE_LENGTH = 4000;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final MetadataRepository repository;
    private final Transactions transactions;
    private final Clock clock;
    private final BiPredicate<Long, Long> userExists;
    private final ChangeFeed feed;
    private final AccessService access;

    /**
     * @param userExists whether (tenant id, user id) names a user of that tenant, for {@link AttributeType#USER} values
     * @param feed       where creating, changing and deleting a template or attribute set is recorded
     * @param access     who may read, change and delete which template
     */
    public MetadataService(MetadataRepository repository, Transactions transactions, Clock clock, BiPredicate<Long, Long> userExists,
                           ChangeFeed feed, AccessService access) {
        this.feed = feed;
        this.access = access;
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        this.userExists = userExists;
    }

    public MetadataSchema create(Caller caller, MetadataSchema.Kind kind, String name, String label, String description,
                                 List<Attribute> attributes) {
        var schema = checked(new MetadataSchema(0, caller.tenantId(), kind, name, label, description, attributes, clock.instant()));
        return feed.write(() -> changed(repository.insert(schema), false));
    }

    /** Records a schema written: created (version 1) or updated. */
    private MetadataSchema changed(MetadataSchema schema, boolean deleted) {
        var id = Long.toString(schema.id());
        if (deleted) {
            feed.deleted(schema.tenantId(), entityType(schema.kind()), id, schema.version());
        } else if (schema.version() == 1) {
            feed.created(schema.tenantId(), entityType(schema.kind()), id, schema.version());
        } else {
            feed.updated(schema.tenantId(), entityType(schema.kind()), id, schema.version());
        }
        return schema;
    }

    private static String entityType(MetadataSchema.Kind kind) {
        return kind == MetadataSchema.Kind.TEMPLATE ? EntityTypes.TEMPLATE : EntityTypes.ATTRIBUTE_SET;
    }

    public MetadataSchema update(Caller caller, long schemaId, String name, String label, String description, List<Attribute> attributes) {
        return feed.write(() -> {
            var existing = schema(caller, schemaId, Permission.WRITE);
            return changed(repository.update(checked(new MetadataSchema(schemaId, caller.tenantId(), existing.kind(), name, label, description,
                    attributes, clock.instant()))), false);
        });
    }

    /** Deletes a template or attribute set; a template that describes anything is a conflict. */
    public void delete(Caller caller, long schemaId) {
        var tenantId = caller.tenantId();
        feed.run(() -> {
            var schema = schema(caller, schemaId, Permission.DELETE);
            if (schema.kind() == MetadataSchema.Kind.TEMPLATE && repository.inUse(tenantId, schemaId)) {
                throw Failure.conflict("template " + schema.name() + " is in use and cannot be deleted");
            }
            if (repository.delete(tenantId, schemaId)) {
                changed(schema, true);
            }
        });
    }

    /** Whether the caller's tenant has a template or attribute set of this id, and which (no permission is needed to know it). */
    public java.util.Optional<MetadataSchema.Kind> kind(Caller caller, long schemaId) {
        return repository.find(caller.tenantId(), schemaId).map(MetadataSchema::kind);
    }

    public MetadataSchema schema(Caller caller, long schemaId) {
        return schema(caller, schemaId, Permission.READ);
    }

    /** A template or attribute set of the caller's tenant that the caller may use as {@code permission} says. */
    private MetadataSchema schema(Caller caller, long schemaId, Permission permission) {
        return permitted(caller, repository.find(caller.tenantId(), schemaId)
                .orElseThrow(() -> Failure.notFound("no template or attribute set " + schemaId)), permission);
    }

    public MetadataSchema schema(Caller caller, MetadataSchema.Kind kind, String name) {
        return permitted(caller, repository.findByName(caller.tenantId(), kind, name == null ? "" : name)
                .orElseThrow(() -> Failure.notFound("no " + kindName(kind) + " named " + name)), Permission.READ);
    }

    /** The caller's tenant's templates or attribute sets, without the templates the caller may not read. */
    public List<MetadataSchema> list(Caller caller, MetadataSchema.Kind kind) {
        var all = repository.list(caller.tenantId(), kind);
        if (kind != MetadataSchema.Kind.TEMPLATE) {
            return all;
        }
        var readable = new java.util.HashSet<>(access.allowed(caller, all.stream().map(s -> Resource.template(s.id())).toList(), Permission.READ));
        return all.stream().filter(schema -> readable.contains(Resource.template(schema.id()))).toList();
    }

    private MetadataSchema permitted(Caller caller, MetadataSchema schema, Permission permission) {
        if (schema.kind() == MetadataSchema.Kind.TEMPLATE) {
            access.require(caller, Resource.template(schema.id()), permission);
        }
        return schema;
    }

    /** How many documents (or other owners) are described under the template; reading it takes {@link Permission#READ}. */
    public long usage(Caller caller, long templateId) {
        schema(caller, templateId, Permission.READ);
        return repository.usage(caller.tenantId(), templateId);
    }

    /** How many owners each template of the caller's tenant describes, by template id (for listings: one query for all). */
    public Map<Long, Long> usage(Caller caller) {
        return repository.usage(caller.tenantId());
    }

    /** Replaces the options of one attribute, each with its category (null for none), checked against the attribute's type. */
    public MetadataSchema setOptions(Caller caller, long schemaId, String attributeName, List<String> options, Map<String, String> categories) {
        return feed.write(() -> {
            var schema = schema(caller, schemaId, Permission.WRITE);
            schema.attribute(attributeName).orElseThrow(() -> Failure.notFound("no attribute " + attributeName + " in " + schema.name()));
            var attributes = schema.attributes().stream()
                    .map(a -> a.name().equals(attributeName) ? a.withOptions(options, categories) : a).toList();
            return changed(repository.update(checked(new MetadataSchema(schemaId, caller.tenantId(), schema.kind(), schema.name(), schema.label(),
                    schema.description(), attributes, clock.instant()))), false);
        });
    }

    /** Adds one option (with its category, or null) at the end of an attribute's options; an option already there only changes its category. */
    public MetadataSchema addOption(Caller caller, long schemaId, String attributeName, String option, String category) {
        return feed.write(() -> {
            var schema = schema(caller, schemaId, Permission.WRITE);
            var attribute = schema.attribute(attributeName)
                    .orElseThrow(() -> Failure.notFound("no attribute " + attributeName + " in " + schema.name()));
            var options = new ArrayList<>(attribute.options());
            if (!options.contains(option)) {
                options.add(option);
            }
            var categories = new java.util.HashMap<>(attribute.optionCategories());
            if (category != null) {
                categories.put(option, category);
            } else {
                categories.remove(option);
            }
            var attributes = schema.attributes().stream()
                    .map(a -> a.name().equals(attributeName) ? a.withOptions(options, categories) : a).toList();
            return changed(repository.update(checked(new MetadataSchema(schemaId, caller.tenantId(), schema.kind(), schema.name(), schema.label(),
                    schema.description(), attributes, clock.instant()))), false);
        });
    }

    /** Replaces the options of one attribute, each checked against the attribute's type. */
    public MetadataSchema setOptions(Caller caller, long schemaId, String attributeName, List<String> options) {
        var tenantId = caller.tenantId();
        return feed.write(() -> {
            var schema = schema(caller, schemaId, Permission.WRITE);
            var attribute = schema.attribute(attributeName)
                    .orElseThrow(() -> Failure.notFound("no attribute " + attributeName + " in " + schema.name()));
            var attributes = schema.attributes().stream()
                    .map(a -> a.name().equals(attributeName) ? a.withOptions(options) : a).toList();
            return changed(repository.update(checked(new MetadataSchema(schemaId, tenantId, schema.kind(), schema.name(), schema.label(),
                    schema.description(), attributes, clock.instant()))), false);
        });
    }

    /**
     * Describes {@code owner} under a template, replacing what it said before. Values are checked
     * and stored in their canonical form (an int without leading zeros, a date as
     * {@code yyyy-MM-dd HH:mm:ss}, a boolean as {@code true}/{@code false}).
     */
    public MetadataValues describe(Caller caller, String owner, long templateId, Map<String, List<String>> raw) {
        var tenantId = caller.tenantId();
        return transactions.inTransaction(() -> {
            var template = schema(caller, templateId, Permission.READ);
            if (template.kind() != MetadataSchema.Kind.TEMPLATE) {
                throw Failure.invalid(template.name() + " is an attribute set, not a template");
            }
            var values = new LinkedHashMap<String, List<String>>();
            for (var entry : raw.entrySet()) {
                var attribute = template.attribute(entry.getKey())
                        .orElseThrow(() -> Failure.invalid("attribute " + entry.getKey() + " is not in template " + template.name()));
                var given = entry.getValue() == null ? List.<String>of() : entry.getValue();
                if (given.size() > 1 && !attribute.multiple()) {
                    throw Failure.invalid("attribute " + attribute.name() + " takes one value, got " + given.size());
                }
                var canonical = new ArrayList<String>();
                for (var value : given) {
                    canonical.add(value(tenantId, attribute, value));
                }
                if (!canonical.isEmpty()) {
                    values.put(attribute.name(), canonical);
                }
            }
            for (var attribute : template.attributes()) {
                if (attribute.mandatory() && !values.containsKey(attribute.name())) {
                    throw Failure.invalid("attribute " + attribute.name() + " is mandatory");
                }
            }
            var described = new MetadataValues(tenantId, owner, templateId, values);
            repository.putValues(described);
            return described;
        });
    }

    /** Removes everything {@code owner} was described with (the owner is gone, or starts over). */
    public void clear(Caller caller, String owner) {
        repository.putValues(new MetadataValues(caller.tenantId(), owner, 0, Map.of()));
    }

    /** What each of {@code owners} is described with, by owner (owners described with nothing are left out). */
    public Map<String, MetadataValues> values(Caller caller, java.util.Collection<String> owners) {
        return repository.values(caller.tenantId(), owners);
    }

    public java.util.Optional<MetadataValues> values(Caller caller, String owner) {
        return repository.values(caller.tenantId(), owner);
    }

    // ---- checks

    private MetadataSchema checked(MetadataSchema schema) {
        name("name", schema.name());
        if (schema.label() != null && schema.label().length() > MAX_NAME_LENGTH
                || schema.description() != null && schema.description().length() > MAX_VALUE_LENGTH) {
            throw Failure.invalid("a label has at most " + MAX_NAME_LENGTH + " characters, a description at most " + MAX_VALUE_LENGTH);
        }
        var names = new HashSet<String>();
        for (var attribute : schema.attributes()) {
            name("attribute name", attribute.name());
            if (!names.add(attribute.name())) {
                throw Failure.invalid("attribute " + attribute.name() + " appears twice");
            }
            if (attribute.type() == null) {
                throw Failure.invalid("attribute " + attribute.name() + " has no type");
            }
            length(attribute, "label", attribute.label(), MAX_NAME_LENGTH);
            length(attribute, "parent", attribute.parent(), MAX_NAME_LENGTH);
            length(attribute, "dependsOn", attribute.dependsOn(), MAX_NAME_LENGTH);
            length(attribute, "validation", attribute.validation(), MAX_VALUE_LENGTH);
            length(attribute, "initialization", attribute.initialization(), MAX_VALUE_LENGTH);
            for (var category : attribute.optionCategories().values()) {
                length(attribute, "option category", category, MAX_NAME_LENGTH);
            }
            var seen = new HashSet<String>();
            for (var option : attribute.options()) {
                var canonical = canonical(attribute, option);
                if (!seen.add(canonical)) {
                    throw Failure.invalid("option '" + option + "' of attribute " + attribute.name() + " appears twice");
                }
            }
            if (attribute.preset() && attribute.options().isEmpty() && attribute.mandatory()) {
                throw Failure.invalid("attribute " + attribute.name() + " is mandatory and preset but has no options");
            }
        }
        return schema;
    }

    private static void length(Attribute attribute, String what, String value, int max) {
        if (value != null && value.length() > max) {
            throw Failure.invalid("attribute " + attribute.name() + ": " + what + " has more than " + max + " characters");
        }
    }

    private static void name(String what, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_NAME_LENGTH) {
            throw Failure.invalid(what + " must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
    }

    private String value(long tenantId, Attribute attribute, String value) {
        var canonical = canonical(attribute, value);
        if (attribute.preset() && attribute.options().stream().noneMatch(o -> canonical(attribute, o).equals(canonical))) {
            throw Failure.invalid("'" + value + "' is not an option of attribute " + attribute.name());
        }
        if (attribute.type() == AttributeType.USER && !userExists.test(tenantId, Long.parseLong(canonical))) {
            throw Failure.invalid("attribute " + attribute.name() + ": no user " + value);
        }
        return canonical;
    }

    /** The canonical text of a value of the attribute's type; {@code INVALID} naming the attribute when it is not one. */
    static String canonical(Attribute attribute, String value) {
        if (value == null) {
            throw Failure.invalid("attribute " + attribute.name() + " has a null value");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw Failure.invalid("attribute " + attribute.name() + " has a value over " + MAX_VALUE_LENGTH + " characters");
        }
        try {
            return switch (attribute.type()) {
                case STRING -> value;
                case INT, USER, FOLDER, DOCUMENT -> Long.toString(Long.parseLong(value.strip()));
                case DOUBLE -> {
                    var number = new BigDecimal(value.strip());
                    yield number.stripTrailingZeros().toPlainString();
                }
                case DATE -> date(value.strip());
                case BOOLEAN -> switch (value.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> "true";
                    case "false", "0" -> "false";
                    default -> throw new IllegalArgumentException();
                };
            };
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw Failure.invalid("attribute " + attribute.name() + " takes a " + attribute.type().name().toLowerCase(Locale.ROOT)
                    + ", got '" + value + "'");
        }
    }

    private static String date(String value) {
        if (value.length() == 10) {
            return LocalDate.parse(value).atStartOfDay().format(DATE_TIME);
        }
        if (value.length() == 19 && value.charAt(10) == ' ') {
            return LocalDateTime.parse(value, DATE_TIME).format(DATE_TIME);
        }
        return LocalDateTime.ofInstant(java.time.Instant.parse(value), java.time.ZoneOffset.UTC).format(DATE_TIME);
    }

    private static String kindName(MetadataSchema.Kind kind) {
        return kind == MetadataSchema.Kind.TEMPLATE ? "template" : "attribute set";
    }
}
