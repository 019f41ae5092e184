package io.dossier.core.token;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Port: access tokens (by the SHA-256 of the token) and the tenants each client may act in. */
public interface TokenRepository {

    void insert(AccessToken token);

    Optional<AccessToken> find(String tokenHash);

    int purgeExpired(Instant now);

    /** Tenants other than its own that a client has been granted. */
    Set<Long> grantedTenants(long clientId);

    void grantTenant(long clientId, long tenantId);
}
