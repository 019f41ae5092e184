package io.dossier.core.delivery;

import java.time.Instant;

/**
 * A resumable publication in progress: chunks 0..{@code nextPosition - 1} received so far, {@code size}
 * bytes in all.
 *
 * @param tokenHash SHA-256 of the {@code uploadToken} handed to the publisher
 */
public record UploadTicket(String tokenHash, long tenantId, long publisherClientId, long businessType, String fileName,
                           int nextPosition, long size, Instant createdAt, Instant expiresAt) {
}
