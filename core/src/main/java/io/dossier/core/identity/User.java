package io.dossier.core.identity;

import java.time.Instant;

/** A person (or service account) of one tenant. Usernames are unique across tenants. */
public record User(long id, long tenantId, String username, String email, String displayName, Instant createdAt) {
}
