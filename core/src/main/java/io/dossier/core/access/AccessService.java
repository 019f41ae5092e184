package io.dossier.core.access;

import io.dossier.core.Failure;
import io.dossier.core.identity.IdentityRepository;
import java.util.List;

/**
 * Permissions granted to users and groups on containers, templates and document types. What a
 * user may do is the union of the user's own grant and the grants of every group the user is in.
 */
public final class AccessService {

    private final AccessRepository grants;
    private final IdentityRepository identities;

    public AccessService(AccessRepository grants, IdentityRepository identities) {
        this.grants = grants;
        this.identities = identities;
    }

    /** Sets what the subject may do with the resource (replacing its grant); the subject must be of the tenant. */
    public void grant(long tenantId, Resource resource, Subject subject, Permissions permissions) {
        var known = switch (subject) {
            case Subject.User user -> identities.findUser(tenantId, user.id()).isPresent();
            case Subject.Group group -> identities.findGroup(tenantId, group.id()).isPresent();
        };
        if (!known) {
            throw Failure.notFound("no " + (subject instanceof Subject.User ? "user " : "group ") + subject.id());
        }
        grants.put(new AccessGrant(tenantId, resource, subject, permissions));
    }

    public void revoke(long tenantId, Resource resource, Subject subject) {
        grants.put(new AccessGrant(tenantId, resource, subject, Permissions.NONE));
    }

    public List<AccessGrant> grants(long tenantId, Resource resource) {
        return grants.grants(tenantId, resource);
    }

    /** The union of the user's own permissions on the resource and those of the user's groups. */
    public Permissions effective(long tenantId, long userId, Resource resource) {
        return grants.held(tenantId, userId, resource).stream().reduce(Permissions.NONE, Permissions::union);
    }

    /** Refuses with {@code FORBIDDEN} unless the user holds {@code permission} on the resource. */
    public void require(long tenantId, long userId, Resource resource, Permission permission) {
        if (!effective(tenantId, userId, resource).contains(permission)) {
            throw Failure.forbidden("no " + permission.name().toLowerCase(java.util.Locale.ROOT) + " permission on this "
                    + resource.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
