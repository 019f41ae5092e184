package io.dossier.core.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A template (what documents are described with) or an attribute set (a reusable group of
 * attributes), created and changed at run time per tenant.
 *
 * @param version 1 when created, raised by every update (the change feed's version); storage sets it, a write ignores it
 */
public record MetadataSchema(long id, long tenantId, Kind kind, String name, String label, String description,
                             List<Attribute> attributes, Instant lastModified, long version) {

    public enum Kind { TEMPLATE, ATTRIBUTE_SET }

    public MetadataSchema {
        attributes = List.copyOf(attributes);
    }

    /** A schema to write: storage decides its version. */
    public MetadataSchema(long id, long tenantId, Kind kind, String name, String label, String description, List<Attribute> attributes,
                          Instant lastModified) {
        this(id, tenantId, kind, name, label, description, attributes, lastModified, 0);
    }

    public Optional<Attribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }
}
