package io.dossier.core.identity;

import java.time.Instant;

/** An operator's credential for the admin API; it spans all tenants. */
public record AdminToken(long id, String name, Instant createdAt, Instant revokedAt) {
}
