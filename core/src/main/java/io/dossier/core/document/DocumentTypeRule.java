package io.dossier.core.document;

import java.util.Set;

/**
 * What a document type of a tenant allows: whether it is for documents at all (a type may be for
 * notes only), and the container types ({@code Candidate}, {@code Vacancy}, …) whose documents it
 * may type.
 */
public record DocumentTypeRule(String typeId, boolean forDocuments, Set<String> containerTypes) {

    public DocumentTypeRule {
        containerTypes = Set.copyOf(containerTypes);
    }

    /** Where a document of this type may go: the verdict for a container type. */
    public Placement placement(String containerType) {
        if (!forDocuments) {
            return Placement.NOT_FOR_DOCUMENTS;
        }
        return containerTypes.contains(containerType) ? Placement.ALLOWED : Placement.NOT_FOR_CONTAINER;
    }
}
