package io.dossier.core.access;

import io.dossier.core.Failure;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.identity.IdentityRepository;
import java.util.List;

/**
 * Permissions granted to users and groups on containers, templates and document types. What a
 * user may do is the union of the user's own grant and the grants of every group the user is in.
 *
 * <p>Every call takes the {@link Caller}: it names the tenant, and it is the one whose rights are
 * checked. A resource nobody holds a grant on is open to every user of its tenant (OWS dossiers and
 * File API deliveries have no grants at all); once it has grants, only they count. A caller without
 * a user (Dossier itself, an application acting for itself) is bounded by its scopes and record
 * filters, not by grants. Granting and revoking take {@link Permission#SECURITY} on the resource.
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

    /** Sets what the subject may do with the resource (replacing its grant); the subject must be of the caller's tenant. */
    public void grant(Caller caller, Resource resource, Subject subject, Permissions permissions) {
        var tenantId = caller.tenantId();
        var known = switch (subject) {
            case Subject.User user -> identities.findUser(tenantId, user.id()).isPresent();
            case Subject.Group group -> identities.findGroup(tenantId, group.id()).isPresent();
        };
        if (!known) {
            throw Failure.notFound("no " + (subject instanceof Subject.User ? "user " : "group ") + subject.id());
        }
        require(caller, resource, Permission.SECURITY);
        put(new AccessGrant(tenantId, resource, subject, permissions));
    }

    /**
     * Replaces every grant on the resource by {@code wanted} (subjects absent from it lose theirs), in
     * one transaction: each subject is checked first, and nothing is written unless the caller holds
     * {@link Permission#SECURITY} on the resource.
     */
    public void replaceGrants(Caller caller, Resource resource, java.util.Map<Subject, Permissions> wanted) {
        var tenantId = caller.tenantId();
        for (var subject : wanted.keySet()) {
            var known = switch (subject) {
                case Subject.User user -> identities.findUser(tenantId, user.id()).isPresent();
                case Subject.Group group -> identities.findGroup(tenantId, group.id()).isPresent();
            };
            if (!known) {
                throw Failure.notFound("no " + (subject instanceof Subject.User ? "user " : "group ") + subject.id());
            }
        }
        feed.run(() -> {
            require(caller, resource, Permission.SECURITY);
            for (var held : grants.grants(tenantId, resource)) {
                if (!wanted.containsKey(held.subject())) {
                    put(new AccessGrant(tenantId, resource, held.subject(), Permissions.NONE));
                }
            }
            wanted.forEach((subject, permissions) -> put(new AccessGrant(tenantId, resource, subject, permissions)));
        });
    }

    public void revoke(Caller caller, Resource resource, Subject subject) {
        require(caller, resource, Permission.SECURITY);
        put(new AccessGrant(caller.tenantId(), resource, subject, Permissions.NONE));
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

    /** The grants on a resource of the caller's tenant; reading them takes {@link Permission#READ}. */
    public List<AccessGrant> grants(Caller caller, Resource resource) {
        var held = grants.grants(caller.tenantId(), resource);
        if (!held.isEmpty()) {
            require(caller, resource, Permission.READ, held);
        }
        return held;
    }

    /**
     * What a user of the caller's tenant holds on the resource by grant: the union of the user's
     * own permissions and those of the user's groups ({@link Permissions#NONE} when nothing is granted).
     */
    public Permissions effective(Caller caller, long userId, Resource resource) {
        return grants.held(caller.tenantId(), userId, resource).stream().reduce(Permissions.NONE, Permissions::union);
    }

    /**
     * Those of {@code resources} the caller may do {@code permission} with, in their order: the same
     * rule as {@link #allows}, checked for a whole listing at once.
     */
    public List<Resource> allowed(Caller caller, List<Resource> resources, Permission permission) {
        var user = caller.userId();
        if (user.isEmpty()) {
            return resources;
        }
        var held = grants.heldOnGranted(caller.tenantId(), user.get(), resources);
        return resources.stream().filter(r -> !held.containsKey(r) || held.get(r).contains(permission)).toList();
    }

    /** Whether the caller may do {@code permission} with the resource (see the class comment for the rule). */
    public boolean allows(Caller caller, Resource resource, Permission permission) {
        return allows(caller, resource, permission, null);
    }

    /** Refuses with {@code FORBIDDEN} unless the caller may do {@code permission} with the resource. */
    public void require(Caller caller, Resource resource, Permission permission) {
        require(caller, resource, permission, null);
    }

    private void require(Caller caller, Resource resource, Permission permission, List<AccessGrant> known) {
        if (!allows(caller, resource, permission, known)) {
            throw Failure.forbidden("no " + permission.name().toLowerCase(java.util.Locale.ROOT) + " permission on this "
                    + resource.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    /**
     * {@link #allows}'s rule on what was read along with the resource: the permissions of the grants
     * the caller's user holds on it (own and groups'), and whether anybody holds a grant on it.
     */
    public static boolean allows(Caller caller, Permission permission, List<Permissions> held, boolean granted) {
        return caller.userId().isEmpty() || held.stream().anyMatch(p -> p.contains(permission)) || !granted;
    }

    /** @param known the resource's grants when already read, else null */
    private boolean allows(Caller caller, Resource resource, Permission permission, List<AccessGrant> known) {
        var user = caller.userId();
        if (user.isEmpty()) {
            return true;
        }
        if (effective(caller, user.get(), resource).contains(permission)) {
            return true;
        }
        return (known != null ? known : grants.grants(caller.tenantId(), resource)).isEmpty();
    }
}
