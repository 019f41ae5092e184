package io.dossier.core.document;

/** Whether a document of a given type may go into a given kind of container, and if not, why. */
public enum Placement {
    ALLOWED,
    /** The tenant has no document type with that id. */
    UNKNOWN_TYPE,
    /** The type exists but is not for documents (for notes, say). */
    NOT_FOR_DOCUMENTS,
    /** The type is for documents, but not in containers of that type. */
    NOT_FOR_CONTAINER
}
