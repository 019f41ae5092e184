package io.dossier.core.access;

import io.dossier.core.Failure;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: a user, a client acting for itself or for its user, or Dossier itself. Resolved once per request by the dialect from its own credential (a session, a
 * bearer token, an API token) and passed to every core call. Every query runs in the caller's
 * tenant and through the caller's record filters.
 */
public sealed interface Caller {

    long tenantId();

    /** The user whose rights apply: the user who logged in, or the user a client acts for. */
    Optional<Long> userId();

    /** Conditions ANDed into every query, count, read and write of a record type for this caller. */
    RecordFilters filters();

    /** Whether the caller holds {@code scope}; a user holds every scope, a client those it was given. */
    boolean hasScope(String scope);

    /** Refuses with {@code FORBIDDEN} unless the caller holds {@code scope}. */
    default void requireScope(String scope) {
        if (!hasScope(scope)) {
            throw Failure.forbidden("this client lacks the scope " + scope);
        }
    }

    /** A user who authenticated as themselves. */
    record AsUser(long tenantId, long user) implements Caller {

        @Override
        public Optional<Long> userId() {
            return Optional.of(user);
        }

        @Override
        public RecordFilters filters() {
            return RecordFilters.NONE;
        }

        @Override
        public boolean hasScope(String scope) {
            return true;
        }
    }

    /**
     * An application client, acting for itself ({@code user} null) or for the user that owns it.
     *
     * @param publicId the client's shown identifier (an OAuth client id), never its secret
     */
    record AsClient(long tenantId, long clientId, String publicId, Long user, Set<String> scopes, RecordFilters filters)
            implements Caller {

        public AsClient {
            scopes = Set.copyOf(scopes);
        }

        @Override
        public Optional<Long> userId() {
            return Optional.ofNullable(user);
        }

        @Override
        public boolean hasScope(String scope) {
            return scopes.contains(scope);
        }
    }

    /** Dossier itself acting in a tenant (the demo seed, background work): no user, every scope, no filter. */
    record Internal(long tenantId, String purpose) implements Caller {

        @Override
        public Optional<Long> userId() {
            return Optional.empty();
        }

        @Override
        public RecordFilters filters() {
            return RecordFilters.NONE;
        }

        @Override
        public boolean hasScope(String scope) {
            return true;
        }
    }

    /** The caller as a client, or {@code FORBIDDEN} for a user (for what only applications do). */
    default AsClient requireClient() {
        if (this instanceof AsClient client) {
            return client;
        }
        throw Failure.forbidden("only an application client may do this");
    }
}
