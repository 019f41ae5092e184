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

    /**
     * For each of {@code resources} that has any grant, the union of what the user holds on it (own and
     * groups' grants, {@link Permissions#NONE} when none of them is the user's); resources without grants
     * are absent. One call for a whole listing.
     */
    default java.util.Map<Resource, Permissions> heldOnGranted(long tenantId, long userId, List<Resource> resources) {
        var out = new java.util.HashMap<Resource, Permissions>();
        for (var resource : resources) {
            if (!grants(tenantId, resource).isEmpty()) {
                out.put(resource, held(tenantId, userId, resource).stream().reduce(Permissions.NONE, Permissions::union));
            }
        }
        return out;
    }

    /** The permissions of every grant on the resource to the user or to a group the user is a member of. */
    List<Permissions> held(long tenantId, long userId, Resource resource);
}
