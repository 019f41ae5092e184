package io.dossier.core.document;

/**
 * A document as a container's listing shows it, with the names a listing needs beside the ids.
 *
 * @param typeName    the name of the document's type; null when it has none or the type is gone
 * @param creatorName the display name of the user who created it; null when none or gone
 */
public record ListedDocument(Document document, String typeName, String creatorName) {
}
