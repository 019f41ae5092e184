package io.dossier.core.delivery;

import java.time.Instant;

/**
 * A resumable publication: in progress, chunks 0..{@code nextPosition - 1} received so far,
 * {@code size} bytes in all; or closed, its file published ({@code closed}), kept until it expires
 * so that the closing chunk sent again gets that file again.
 *
 * @param tokenHash SHA-256 of the {@code uploadToken} handed to the publisher
 * @param closed what the closing chunk was and the delivery it made; null while the upload is open
 */
public record UploadTicket(String tokenHash, long tenantId, long publisherClientId, long businessType, String fileName,
                           int nextPosition, long size, Instant createdAt, Instant expiresAt, Closed closed) {

    /** The close of a resumable publication: the chunk that came with {@code close=true}, and the delivery's file id. */
    public record Closed(String fileId, int position, long size, String sha256) {
    }
}
