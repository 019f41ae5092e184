package io.dossier.core.access;

import java.util.List;

/** Port: grants per tenant, resource and subject. */
public interface AccessRepository {

    /**
     * Sets the subject's permissions on the resource, replacing what it held; an empty set removes
     * the grant. Returns the grant's version: 1 when it is new, raised by each change; for a
     * removal the version it had, 0 when there was none.
     */
    long put(AccessGrant grant);

    /** Every grant on the resource, users first, then groups, each by id. */
    List<AccessGrant> grants(long tenantId, Resource resource);

    /** The permissions of every grant on the resource to the user or to a group the user is a member of. */
    List<Permissions> held(long tenantId, long userId, Resource resource);
}
