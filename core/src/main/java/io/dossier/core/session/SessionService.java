package io.dossier.core.session;

import io.dossier.core.Failure;
import io.dossier.core.identity.Secrets;
import java.time.Clock;
import java.time.Duration;
import io.dossier.core.cache.BoundedCache;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens, resolves and revokes sessions. Sessions live in the database so any node serves any
 * session; each node keeps them for at most {@code cacheTtl} in memory, which bounds how long a
 * revocation on one node takes to reach the others. Last-seen times are written at most once per
 * {@code touchInterval}, so a busy session costs no write per request. A revocation on this node
 * is seen here at once (the entry is dropped); the cache holds at most {@link #MAX_CACHED} sessions.
 */
public final class SessionService {

    /** Sessions kept in memory per node; beyond it the least used are read from the database again. */
    public static final long MAX_CACHED = 100_000;

    private final SessionRepository sessions;
    private final Clock clock;
    private final BoundedCache<String, Session> cache;

    public SessionService(SessionRepository sessions, Clock clock, Duration cacheTtl) {
        this.sessions = sessions;
        this.clock = clock;
        this.cache = new BoundedCache<>(MAX_CACHED, cacheTtl);
    }

    public OpenedSession open(long tenantId, Long userId, Long clientId, Duration idleTimeout) {
        var token = Secrets.randomHex(20);
        var now = clock.instant();
        var session = new Session(Secrets.hash(token), tenantId, userId, clientId, now, now, idleTimeout, Map.of());
        sessions.insert(session);
        return new OpenedSession(token, session);
    }

    /** The live session of {@code token}; unknown, idle-expired and revoked tokens are refused alike. */
    public Session resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            throw Failure.unauthenticated("no session");
        }
        var hash = Secrets.hash(token);
        var now = clock.instant();
        var cached = cache.get(hash).filter(s -> !s.idleExpiredAt(now)).orElse(null);
        var session = cached;
        if (session == null) {
            session = sessions.find(hash).orElse(null);
            if (session == null || session.idleExpiredAt(now)) {
                cache.remove(hash);
                throw Failure.unauthenticated("session unknown, expired or logged out");
            }
        }
        if (now.toEpochMilli() - session.lastSeenAt().toEpochMilli() > touchIntervalMillis(session)) {
            sessions.touch(hash, now);
            session = session.seenAt(now);
        }
        if (session != cached) {
            cache.put(hash, session);   // a cache hit keeps its time to live: it runs from the database read
        }
        return session;
    }

    /** Stores one per-session setting and returns the session as it now is. */
    public Session setAttribute(Session session, String name, String value) {
        var attributes = new HashMap<>(session.attributes());
        attributes.put(name, value);
        sessions.setAttribute(session.tokenHash(), name, value);
        var updated = session.withAttributes(attributes);
        cache.put(session.tokenHash(), updated);
        return updated;
    }

    public void revoke(Session session) {
        sessions.revoke(session.tokenHash(), clock.instant());
        cache.remove(session.tokenHash());
    }

    /** Drops expired sessions from the database (and from this node's cache). */
    public int purgeExpired() {
        var now = clock.instant();
        cache.removeIf(s -> s.idleExpiredAt(now));
        return sessions.purgeExpired(now, now.minus(Duration.ofDays(1)));
    }

    /** A quarter of the idle timeout, at most a minute (in millis: Duration.dividedBy goes through BigDecimal, on every request). */
    private static long touchIntervalMillis(Session session) {
        return Math.min(session.idleTimeout().toMillis() / 4, 60_000);
    }
}
