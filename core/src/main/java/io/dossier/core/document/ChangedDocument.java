package io.dossier.core.document;

import java.time.Instant;

/** A document and when it last changed (was created, updated, moved or versioned). */
public record ChangedDocument(Document document, Instant changedAt) {
}
