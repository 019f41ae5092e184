package io.dossier.core.document;

import io.dossier.core.content.StoredFile;
import java.time.Instant;

/** One version of a document: its number (from 1), its file, who added it and when. */
public record DocumentVersion(long documentId, int version, StoredFile file, Long createdBy, Instant createdAt) {
}
