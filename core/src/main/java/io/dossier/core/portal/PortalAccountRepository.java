package io.dossier.core.portal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: portal accounts, per tenant. */
public interface PortalAccountRepository {

    /** Stores a new account; a username the tenant already has is a conflict. */
    PortalAccount insert(long tenantId, String uid, String username, String usernameKey, boolean allowLogin,
                         String recordType, String recordUid, Instant at);

    Optional<Stored> byUsernameKey(long tenantId, String usernameKey);

    Optional<Stored> byUid(long tenantId, String uid);

    /** The accounts bound to one record, oldest first. */
    List<PortalAccount> byRecord(long tenantId, String recordUid);

    /** Accounts whose username key contains {@code fragment} (all when null), newest first. */
    List<PortalAccount> search(long tenantId, String fragment, int offset, int limit);

    long count(long tenantId, String fragment);

    void setPasswordHash(long tenantId, long id, String passwordHash);

    /** An account with its password hash, for checking a login. */
    record Stored(PortalAccount account, String passwordHash) {
    }
}
