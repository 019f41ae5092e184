package io.dossier.core.delivery;

import java.time.Instant;

/**
 * A resumable publication in progress: chunks 1..{@code lastPosition} received so far.
 *
 * @param tokenHash SHA-256 of the {@code uploadToken} handed to the publisher
 */
public record UploadTicket(String tokenHash, long tenantId, long publisherClientId, long businessType, String fileName,
                           int lastPosition, long size, Instant createdAt, Instant expiresAt) {
}
