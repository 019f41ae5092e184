package io.dossier.core.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A logged-in conversation: who (tenant, user, client), since when, last seen when, and small
 * per-session settings (an OWS content language per service, for instance).
 */
public record Session(String tokenHash, long tenantId, Long userId, Long clientId, Instant createdAt, Instant lastSeenAt,
                      Duration idleTimeout, Map<String, String> attributes) {

    public Session {
        attributes = Map.copyOf(attributes);
    }

    public boolean idleExpiredAt(Instant now) {
        return lastSeenAt.plus(idleTimeout).isBefore(now);
    }

    Session seenAt(Instant when) {
        return new Session(tokenHash, tenantId, userId, clientId, createdAt, when, idleTimeout, attributes);
    }

    Session withAttributes(Map<String, String> newAttributes) {
        return new Session(tokenHash, tenantId, userId, clientId, createdAt, lastSeenAt, idleTimeout, newAttributes);
    }
}
