package io.dossier.core.access;

import io.dossier.core.Failure;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.identity.IdentityRepository;
import java.util.List;

/**
 * Permissions granted to users and groups on containers, templates and document types. What a
 * user may do is the union of the user's own grant and the grants of every group the user is in.
 */
public final class AccessService {

    private final AccessRepository grants;
    private final IdentityRepository identities;
    private final ChangeFeed feed;

    /** @param feed where every grant made, changed or revoked is recorded, in its transaction */
    public AccessService(AccessRepository grants, IdentityRepository identities, ChangeFeed feed) {
        this.grants = grants;
        this.identities = identities;
        this.feed = feed;
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
        put(new AccessGrant(tenantId, resource, subject, permissions));
    }

    public void revoke(long tenantId, Resource resource, Subject subject) {
        put(new AccessGrant(tenantId, resource, subject, Permissions.NONE));
    }

    private void put(AccessGrant grant) {
        feed.run(() -> {
            var version = grants.put(grant);
            var id = entityId(grant.resource(), grant.subject());
            if (grant.permissions().isEmpty()) {
                if (version > 0) {
                    feed.deleted(grant.tenantId(), EntityTypes.GRANT, id, version);
                }
            } else if (version == 1) {
                feed.created(grant.tenantId(), EntityTypes.GRANT, id, version);
            } else {
                feed.updated(grant.tenantId(), EntityTypes.GRANT, id, version);
            }
        });
    }

    /** A grant's id in the change feed: its subject and resource, {@code user:5@container:Candidate/4f2a…}. */
    public static String entityId(Resource resource, Subject subject) {
        var kind = resource.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return (subject instanceof Subject.User ? "user:" : "group:") + subject.id() + "@" + kind + ":" + resource.key();
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
