package io.dossier.core.token;

import java.time.Instant;

/**
 * A bearer token issued to an OAuth client. {@code tenantId} is the tenant chosen when the token
 * was asked for, or null for a legacy token whose tenant comes with each call.
 */
public record AccessToken(String tokenHash, long clientId, Long tenantId, Instant expiresAt) {
}
