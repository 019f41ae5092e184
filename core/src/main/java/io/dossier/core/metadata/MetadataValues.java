package io.dossier.core.metadata;

import java.util.List;
import java.util.Map;

/**
 * What a document (or container) says under a template: values by attribute name, each a list
 * (one value unless the attribute is multiple), in the canonical text form of its type.
 *
 * @param owner the described thing, e.g. {@code document/17} or {@code container/project/4}
 */
public record MetadataValues(long tenantId, String owner, long templateId, Map<String, List<String>> values) {

    public MetadataValues {
        values = Map.copyOf(values);
    }
}
