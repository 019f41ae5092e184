package io.dossier.core.content;

import java.time.Instant;

/**
 * An uploaded file: a name and a media type over an immutable blob. It is {@link State#UPLOADED}
 * until something binds it (an OWS dossier, a delivery), and collected if nothing does before
 * {@code expiresAt}; once {@link State#DELETED} its blob is collected after a grace period.
 *
 * @param ouid the file's public id (OWS {@code ouid}, File API {@code fileId})
 */
public record StoredFile(String ouid, long tenantId, String blobId, String name, String mediaType, long size, String sha256,
                         Long uploadedBy, Instant uploadedAt, Instant expiresAt, State state) {

    public enum State { UPLOADED, BOUND, DELETED }
}
