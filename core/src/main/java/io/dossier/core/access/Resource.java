package io.dossier.core.access;

import io.dossier.core.Failure;

/**
 * What a grant is on: a container (the dossier of a record, a project, a folder), a metadata
 * template, or a document type, named by its kind and a key unique within the tenant and kind.
 */
public record Resource(Kind kind, String key) {

    public enum Kind { CONTAINER, TEMPLATE, DOCUMENT_TYPE }

    public static final int MAX_KEY_LENGTH = 300;

    public Resource {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw Failure.invalid("a resource key has 1 to " + MAX_KEY_LENGTH + " characters");
        }
    }

    /** A container of the given type ({@code Candidate}, {@code project}, {@code folder}) and id. */
    public static Resource container(String type, String id) {
        return new Resource(Kind.CONTAINER, type + "/" + id);
    }

    public static Resource template(long templateId) {
        return new Resource(Kind.TEMPLATE, Long.toString(templateId));
    }

    public static Resource documentType(String typeId) {
        return new Resource(Kind.DOCUMENT_TYPE, typeId);
    }
}
