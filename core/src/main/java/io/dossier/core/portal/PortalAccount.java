package io.dossier.core.portal;

import java.time.Instant;

/**
 * An account with which the person behind a record (a candidate) logs in to the tenant's website.
 * {@code recordType} is the qualified name of that record's type.
 */
public record PortalAccount(long id, long tenantId, String uid, String username, boolean allowLogin, boolean hasPassword,
                            String recordType, String recordUid, Instant createdAt) {
}
