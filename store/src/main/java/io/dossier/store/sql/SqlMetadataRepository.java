package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.utc;
import static io.dossier.store.sql.Tables.METADATA_ATTRIBUTE;
import static io.dossier.store.sql.Tables.METADATA_OPTION;
import static io.dossier.store.sql.Tables.METADATA_SCHEMA;
import static io.dossier.store.sql.Tables.METADATA_VALUE;

import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataRepository;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.metadata.MetadataValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * Templates and attribute sets as rows: a schema row, an attribute row each, an option row each.
 * A schema is read with its attributes and options in two more queries (not one per attribute).
 */
public final class SqlMetadataRepository implements MetadataRepository {

    private final Database db;

    public SqlMetadataRepository(Database db) {
        this.db = db;
    }

    @Override
    public MetadataSchema insert(MetadataSchema schema) {
        return db.inTransaction(() -> {
            long id;
            try {
                id = db.sql().insertInto(METADATA_SCHEMA.T)
                        .set(METADATA_SCHEMA.TENANT_ID, schema.tenantId())
                        .set(METADATA_SCHEMA.KIND, schema.kind().name())
                        .set(METADATA_SCHEMA.NAME, schema.name())
                        .set(METADATA_SCHEMA.LABEL, schema.label())
                        .set(METADATA_SCHEMA.DESCRIPTION, schema.description())
                        .set(METADATA_SCHEMA.LAST_MODIFIED, utc(schema.lastModified()))
                        .returningResult(METADATA_SCHEMA.ID).fetchOne().value1();
            } catch (IntegrityConstraintViolationException e) {
                throw Failure.conflict("a " + kindName(schema.kind()) + " named " + schema.name() + " exists already");
            }
            insertAttributes(id, schema.attributes());
            return find(schema.tenantId(), id).orElseThrow();
        });
    }

    @Override
    public MetadataSchema update(MetadataSchema schema) {
        return db.inTransaction(() -> {
            try {
                db.sql().update(METADATA_SCHEMA.T)
                        .set(METADATA_SCHEMA.NAME, schema.name())
                        .set(METADATA_SCHEMA.LABEL, schema.label())
                        .set(METADATA_SCHEMA.DESCRIPTION, schema.description())
                        .set(METADATA_SCHEMA.LAST_MODIFIED, utc(schema.lastModified()))
                        .set(METADATA_SCHEMA.ENTITY_VERSION, METADATA_SCHEMA.ENTITY_VERSION.plus(1))
                        .where(METADATA_SCHEMA.ID.eq(schema.id()), METADATA_SCHEMA.TENANT_ID.eq(schema.tenantId()))
                        .execute();
            } catch (IntegrityConstraintViolationException e) {
                throw Failure.conflict("a " + kindName(schema.kind()) + " named " + schema.name() + " exists already");
            }
            db.sql().deleteFrom(METADATA_OPTION.T).where(METADATA_OPTION.SCHEMA_ID.eq(schema.id())).execute();
            db.sql().deleteFrom(METADATA_ATTRIBUTE.T).where(METADATA_ATTRIBUTE.SCHEMA_ID.eq(schema.id())).execute();
            insertAttributes(schema.id(), schema.attributes());
            return find(schema.tenantId(), schema.id()).orElseThrow();
        });
    }

    private void insertAttributes(long schemaId, List<Attribute> attributes) {
        for (var a : attributes) {
            db.sql().insertInto(METADATA_ATTRIBUTE.T)
                    .set(METADATA_ATTRIBUTE.SCHEMA_ID, schemaId)
                    .set(METADATA_ATTRIBUTE.NAME, a.name())
                    .set(METADATA_ATTRIBUTE.LABEL, a.label())
                    .set(METADATA_ATTRIBUTE.TYPE, a.type().name())
                    .set(METADATA_ATTRIBUTE.MANDATORY, a.mandatory())
                    .set(METADATA_ATTRIBUTE.HIDDEN, a.hidden())
                    .set(METADATA_ATTRIBUTE.MULTIPLE, a.multiple())
                    .set(METADATA_ATTRIBUTE.POSITION, a.position())
                    .set(METADATA_ATTRIBUTE.PRESET, a.preset())
                    .set(METADATA_ATTRIBUTE.READONLY, a.readonly())
                    .set(METADATA_ATTRIBUTE.PARENT, a.parent())
                    .set(METADATA_ATTRIBUTE.SET_ID, a.setId())
                    .set(METADATA_ATTRIBUTE.VALIDATION, a.validation())
                    .set(METADATA_ATTRIBUTE.INITIALIZATION, a.initialization())
                    .set(METADATA_ATTRIBUTE.DEPENDS_ON, a.dependsOn())
                    .execute();
            for (int i = 0; i < a.options().size(); i++) {
                db.sql().insertInto(METADATA_OPTION.T)
                        .set(METADATA_OPTION.SCHEMA_ID, schemaId)
                        .set(METADATA_OPTION.ATTRIBUTE, a.name())
                        .set(METADATA_OPTION.POSITION, i)
                        .set(METADATA_OPTION.VALUE, a.options().get(i))
                        .set(METADATA_OPTION.CATEGORY, a.optionCategories().get(a.options().get(i)))
                        .execute();
            }
        }
    }

    @Override
    public boolean delete(long tenantId, long schemaId) {
        return db.inTransaction(() -> {
            if (find(tenantId, schemaId).isEmpty()) {
                return false;
            }
            db.sql().deleteFrom(METADATA_OPTION.T).where(METADATA_OPTION.SCHEMA_ID.eq(schemaId)).execute();
            db.sql().deleteFrom(METADATA_ATTRIBUTE.T).where(METADATA_ATTRIBUTE.SCHEMA_ID.eq(schemaId)).execute();
            return db.sql().deleteFrom(METADATA_SCHEMA.T)
                    .where(METADATA_SCHEMA.ID.eq(schemaId), METADATA_SCHEMA.TENANT_ID.eq(tenantId)).execute() > 0;
        });
    }

    @Override
    public Optional<MetadataSchema> find(long tenantId, long schemaId) {
        return read(METADATA_SCHEMA.TENANT_ID.eq(tenantId).and(METADATA_SCHEMA.ID.eq(schemaId))).stream().findFirst();
    }

    @Override
    public Optional<MetadataSchema> findByName(long tenantId, MetadataSchema.Kind kind, String name) {
        return read(METADATA_SCHEMA.TENANT_ID.eq(tenantId).and(METADATA_SCHEMA.KIND.eq(kind.name())).and(METADATA_SCHEMA.NAME.eq(name)))
                .stream().findFirst();
    }

    /**
     * Schemas as lists read them, by id: every change of a schema (its attributes and options
     * included) raises its version, so a list reads each schema's (id, version) and loads only those
     * it does not hold at that version. LogicalDOC's listTemplates of 1,000 templates of 20
     * attributes spent most of its time turning the 20,000 attribute rows into objects.
     */
    private final BoundedCache<Long, MetadataSchema> listed = new BoundedCache<>(50_000, Duration.ofMinutes(10));

    @Override
    public List<MetadataSchema> list(long tenantId, MetadataSchema.Kind kind) {
        var versions = db.sql().select(METADATA_SCHEMA.ID, METADATA_SCHEMA.ENTITY_VERSION).from(METADATA_SCHEMA.T)
                .where(METADATA_SCHEMA.TENANT_ID.eq(tenantId), METADATA_SCHEMA.KIND.eq(kind.name()))
                .orderBy(METADATA_SCHEMA.ID).fetch();
        var missing = new ArrayList<Long>();
        for (var r : versions) {
            var held = listed.get(r.value1()).orElse(null);
            if (held == null || held.version() != r.value2() || held.tenantId() != tenantId) {
                missing.add(r.value1());
            }
        }
        var loaded = new java.util.HashMap<Long, MetadataSchema>();
        if (!missing.isEmpty()) {
            for (var schema : read(METADATA_SCHEMA.TENANT_ID.eq(tenantId).and(METADATA_SCHEMA.ID.in(missing)))) {
                loaded.put(schema.id(), schema);
                listed.put(schema.id(), schema);
            }
        }
        var out = new ArrayList<MetadataSchema>(versions.size());
        for (var r : versions) {
            // changed or deleted since its version was read: as loaded now, or left out
            var schema = loaded.containsKey(r.value1()) ? loaded.get(r.value1()) : listed.get(r.value1()).orElse(null);
            if (schema != null && schema.tenantId() == tenantId) {
                out.add(schema);
            }
        }
        return out;
    }

    /** The schemas matching {@code where}, by id, each with its attributes by position and their options in order. */
    private List<MetadataSchema> read(Condition where) {
        var rows = db.sql().select(METADATA_SCHEMA.ID, METADATA_SCHEMA.TENANT_ID, METADATA_SCHEMA.KIND, METADATA_SCHEMA.NAME,
                        METADATA_SCHEMA.LABEL, METADATA_SCHEMA.DESCRIPTION, METADATA_SCHEMA.LAST_MODIFIED, METADATA_SCHEMA.ENTITY_VERSION)
                .from(METADATA_SCHEMA.T).where(where).orderBy(METADATA_SCHEMA.ID).fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        var ids = rows.map(r -> r.get(METADATA_SCHEMA.ID));
        var options = new LinkedHashMap<String, List<String>>();
        var categories = new java.util.HashMap<String, java.util.Map<String, String>>();
        db.sql().select(METADATA_OPTION.SCHEMA_ID, METADATA_OPTION.ATTRIBUTE, METADATA_OPTION.VALUE, METADATA_OPTION.CATEGORY).from(METADATA_OPTION.T)
                .where(METADATA_OPTION.SCHEMA_ID.in(ids)).orderBy(METADATA_OPTION.SCHEMA_ID, METADATA_OPTION.ATTRIBUTE, METADATA_OPTION.POSITION)
                .forEach(r -> {
                    options.computeIfAbsent(r.value1() + "/" + r.value2(), k -> new ArrayList<>()).add(r.value3());
                    if (r.value4() != null) {
                        categories.computeIfAbsent(r.value1() + "/" + r.value2(), k -> new java.util.HashMap<>()).put(r.value3(), r.value4());
                    }
                });
        var attributes = new LinkedHashMap<Long, List<Attribute>>();
        db.sql().select(METADATA_ATTRIBUTE.SCHEMA_ID, METADATA_ATTRIBUTE.NAME, METADATA_ATTRIBUTE.LABEL, METADATA_ATTRIBUTE.TYPE,
                        METADATA_ATTRIBUTE.MANDATORY, METADATA_ATTRIBUTE.HIDDEN, METADATA_ATTRIBUTE.MULTIPLE, METADATA_ATTRIBUTE.POSITION,
                        METADATA_ATTRIBUTE.PRESET, METADATA_ATTRIBUTE.READONLY, METADATA_ATTRIBUTE.PARENT, METADATA_ATTRIBUTE.SET_ID,
                        METADATA_ATTRIBUTE.VALIDATION, METADATA_ATTRIBUTE.INITIALIZATION, METADATA_ATTRIBUTE.DEPENDS_ON)
                .from(METADATA_ATTRIBUTE.T).where(METADATA_ATTRIBUTE.SCHEMA_ID.in(ids))
                .orderBy(METADATA_ATTRIBUTE.SCHEMA_ID, METADATA_ATTRIBUTE.POSITION, METADATA_ATTRIBUTE.NAME)
                .forEach(r -> attributes.computeIfAbsent(r.get(METADATA_ATTRIBUTE.SCHEMA_ID), k -> new ArrayList<>()).add(attribute(r,
                        options.getOrDefault(r.get(METADATA_ATTRIBUTE.SCHEMA_ID) + "/" + r.get(METADATA_ATTRIBUTE.NAME), List.of()),
                        categories.getOrDefault(r.get(METADATA_ATTRIBUTE.SCHEMA_ID) + "/" + r.get(METADATA_ATTRIBUTE.NAME), java.util.Map.of()))));
        return rows.map(r -> new MetadataSchema(r.get(METADATA_SCHEMA.ID), r.get(METADATA_SCHEMA.TENANT_ID),
                MetadataSchema.Kind.valueOf(r.get(METADATA_SCHEMA.KIND)), r.get(METADATA_SCHEMA.NAME), r.get(METADATA_SCHEMA.LABEL),
                r.get(METADATA_SCHEMA.DESCRIPTION), attributes.getOrDefault(r.get(METADATA_SCHEMA.ID), List.of()),
                r.get(METADATA_SCHEMA.LAST_MODIFIED).toInstant(), r.get(METADATA_SCHEMA.ENTITY_VERSION)));
    }

    private static Attribute attribute(Record r, List<String> options, java.util.Map<String, String> categories) {
        return new Attribute(r.get(METADATA_ATTRIBUTE.NAME), r.get(METADATA_ATTRIBUTE.LABEL), AttributeType.valueOf(r.get(METADATA_ATTRIBUTE.TYPE)),
                r.get(METADATA_ATTRIBUTE.MANDATORY), r.get(METADATA_ATTRIBUTE.HIDDEN), r.get(METADATA_ATTRIBUTE.MULTIPLE),
                r.get(METADATA_ATTRIBUTE.POSITION), r.get(METADATA_ATTRIBUTE.PRESET), options, r.get(METADATA_ATTRIBUTE.READONLY),
                r.get(METADATA_ATTRIBUTE.PARENT), r.get(METADATA_ATTRIBUTE.SET_ID), r.get(METADATA_ATTRIBUTE.VALIDATION),
                r.get(METADATA_ATTRIBUTE.INITIALIZATION), r.get(METADATA_ATTRIBUTE.DEPENDS_ON), categories);
    }

    @Override
    public boolean inUse(long tenantId, long templateId) {
        return db.sql().fetchExists(METADATA_VALUE.T, METADATA_VALUE.TENANT_ID.eq(tenantId), METADATA_VALUE.TEMPLATE_ID.eq(templateId));
    }

    @Override
    public long usage(long tenantId, long templateId) {
        return db.sql().select(org.jooq.impl.DSL.countDistinct(METADATA_VALUE.OWNER)).from(METADATA_VALUE.T)
                .where(METADATA_VALUE.TENANT_ID.eq(tenantId), METADATA_VALUE.TEMPLATE_ID.eq(templateId)).fetchOne().value1();
    }

    @Override
    public java.util.Map<Long, Long> usage(long tenantId) {
        var out = new java.util.HashMap<Long, Long>();
        db.sql().select(METADATA_VALUE.TEMPLATE_ID, org.jooq.impl.DSL.countDistinct(METADATA_VALUE.OWNER)).from(METADATA_VALUE.T)
                .where(METADATA_VALUE.TENANT_ID.eq(tenantId)).groupBy(METADATA_VALUE.TEMPLATE_ID)
                .forEach(r -> out.put(r.value1(), r.value2().longValue()));
        return out;
    }

    @Override
    public void putValues(MetadataValues values) {
        db.run(() -> {
            db.sql().deleteFrom(METADATA_VALUE.T)
                    .where(METADATA_VALUE.TENANT_ID.eq(values.tenantId()), METADATA_VALUE.OWNER.eq(values.owner())).execute();
            for (var entry : values.values().entrySet()) {
                for (int i = 0; i < entry.getValue().size(); i++) {
                    db.sql().insertInto(METADATA_VALUE.T)
                            .set(METADATA_VALUE.TENANT_ID, values.tenantId())
                            .set(METADATA_VALUE.OWNER, values.owner())
                            .set(METADATA_VALUE.TEMPLATE_ID, values.templateId())
                            .set(METADATA_VALUE.ATTRIBUTE, entry.getKey())
                            .set(METADATA_VALUE.POSITION, i)
                            .set(METADATA_VALUE.VALUE, entry.getValue().get(i))
                            .execute();
                }
            }
        });
    }

    @Override
    public Optional<MetadataValues> values(long tenantId, String owner) {
        var rows = db.sql().select(METADATA_VALUE.TEMPLATE_ID, METADATA_VALUE.ATTRIBUTE, METADATA_VALUE.VALUE).from(METADATA_VALUE.T)
                .where(METADATA_VALUE.TENANT_ID.eq(tenantId), METADATA_VALUE.OWNER.eq(owner))
                .orderBy(METADATA_VALUE.ATTRIBUTE, METADATA_VALUE.POSITION).fetch();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        var values = new LinkedHashMap<String, List<String>>();
        rows.forEach(r -> values.computeIfAbsent(r.value2(), k -> new ArrayList<>()).add(r.value3()));
        return Optional.of(new MetadataValues(tenantId, owner, rows.getFirst().value1(), values));
    }

    private static String kindName(MetadataSchema.Kind kind) {
        return kind == MetadataSchema.Kind.TEMPLATE ? "template" : "attribute set";
    }

    @Override
    public java.util.Map<String, MetadataValues> values(long tenantId, java.util.Collection<String> owners) {
        var out = new java.util.HashMap<String, MetadataValues>();
        if (owners.isEmpty()) {
            return out;
        }
        var byOwner = new java.util.HashMap<String, LinkedHashMap<String, List<String>>>();
        var templates = new java.util.HashMap<String, Long>();
        db.sql().select(METADATA_VALUE.OWNER, METADATA_VALUE.TEMPLATE_ID, METADATA_VALUE.ATTRIBUTE, METADATA_VALUE.VALUE).from(METADATA_VALUE.T)
                .where(METADATA_VALUE.TENANT_ID.eq(tenantId), METADATA_VALUE.OWNER.in(owners))
                .orderBy(METADATA_VALUE.OWNER, METADATA_VALUE.ATTRIBUTE, METADATA_VALUE.POSITION)
                .forEach(r -> {
                    templates.putIfAbsent(r.value1(), r.value2());
                    byOwner.computeIfAbsent(r.value1(), k -> new LinkedHashMap<>()).computeIfAbsent(r.value3(), k -> new ArrayList<>()).add(r.value4());
                });
        byOwner.forEach((owner, values) -> out.put(owner, new MetadataValues(tenantId, owner, templates.get(owner), values)));
        return out;
    }
}
