package io.dossier.core.metadata;

import java.util.List;
import java.util.Optional;

/** Port: templates and attribute sets as rows, and the values described with templates. */
public interface MetadataRepository {

    /** Inserts a schema with its attributes and options; returns it with its id. A name taken in the tenant and kind is a conflict. */
    MetadataSchema insert(MetadataSchema schema);

    /** Replaces the schema's name, label, description and attributes. */
    MetadataSchema update(MetadataSchema schema);

    /** Deletes the schema; false when absent. */
    boolean delete(long tenantId, long schemaId);

    Optional<MetadataSchema> find(long tenantId, long schemaId);

    Optional<MetadataSchema> findByName(long tenantId, MetadataSchema.Kind kind, String name);

    List<MetadataSchema> list(long tenantId, MetadataSchema.Kind kind);

    /** Whether any values are stored under the template. */
    boolean inUse(long tenantId, long templateId);

    /** How many owners (documents, containers) are described under the template. */
    default long usage(long tenantId, long templateId) {
        return inUse(tenantId, templateId) ? 1 : 0;
    }

    /** How many owners each template of the tenant describes, by template id (templates describing nothing may be absent). */
    default java.util.Map<Long, Long> usage(long tenantId) {
        var out = new java.util.HashMap<Long, Long>();
        for (var template : list(tenantId, MetadataSchema.Kind.TEMPLATE)) {
            out.put(template.id(), usage(tenantId, template.id()));
        }
        return out;
    }

    /** Replaces the values of {@code owner} (under any template) by these. */
    void putValues(MetadataValues values);

    Optional<MetadataValues> values(long tenantId, String owner);

    /** What each of {@code owners} is described with, by owner (owners described with nothing are left out). */
    java.util.Map<String, MetadataValues> values(long tenantId, java.util.Collection<String> owners);
}
