package io.dossier.core.session;

import java.time.Instant;
import java.util.Optional;

/** Port: sessions, keyed by the SHA-256 of their token. Revoked sessions are not returned. */
public interface SessionRepository {

    void insert(Session session);

    Optional<Session> find(String tokenHash);

    void touch(String tokenHash, Instant lastSeenAt);

    /** Sets one attribute, inserting or replacing it; safe when several requests on a session do so at once. */
    void setAttribute(String tokenHash, String name, String value);

    void revoke(String tokenHash, Instant when);

    /** Removes sessions idle past their timeout or revoked before {@code before}; returns how many. */
    int purgeExpired(Instant now, Instant revokedBefore);
}
