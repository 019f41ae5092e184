package io.dossier.core.identity;

import java.time.Instant;
import java.util.Set;

/**
 * An application's credential. {@code publicId} is what may be shown and logged (the OAuth
 * client id, or an identifier for keys and tokens); the secret itself is never kept.
 */
public record Client(long id, long tenantId, ClientKind kind, String name, String publicId, Long userId,
                     Set<String> scopes, Instant createdAt, Instant revokedAt) {

    public Client {
        scopes = Set.copyOf(scopes);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
