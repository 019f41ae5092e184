package io.dossier.core.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A template (what documents are described with) or an attribute set (a reusable group of
 * attributes), created and changed at run time per tenant.
 */
public record MetadataSchema(long id, long tenantId, Kind kind, String name, String label, String description,
                             List<Attribute> attributes, Instant lastModified) {

    public enum Kind { TEMPLATE, ATTRIBUTE_SET }

    public MetadataSchema {
        attributes = List.copyOf(attributes);
    }

    public Optional<Attribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }
}
