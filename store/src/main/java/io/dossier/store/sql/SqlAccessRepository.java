package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.ACCESS_GRANT;
import static io.dossier.store.sql.Tables.MEMBER;

import io.dossier.core.access.AccessGrant;
import io.dossier.core.access.AccessRepository;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.access.Subject;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;

public final class SqlAccessRepository implements AccessRepository {

    static final String USER = "USER";
    static final String GROUP = "GROUP";

    private final Database db;

    public SqlAccessRepository(Database db) {
        this.db = db;
    }

    /**
     * An upsert that raises the version of a grant that exists, or a delete for no permissions;
     * then the version is read back in the same transaction (the row is locked by then).
     */
    @Override
    public long put(AccessGrant grant) {
        return db.inTransaction(() -> {
            var version = db.sql().select(ACCESS_GRANT.ENTITY_VERSION).from(ACCESS_GRANT.T).where(of(grant));
            if (grant.permissions().isEmpty()) {
                var held = version.forUpdate().fetchOptional(ACCESS_GRANT.ENTITY_VERSION);
                if (held.isEmpty()) {
                    return 0L;
                }
                db.sql().deleteFrom(ACCESS_GRANT.T).where(of(grant)).execute();
                return held.get();
            }
            try {
                upsert(grant);
            } catch (IntegrityConstraintViolationException insertedMeanwhile) {
                upsert(grant);   // H2 runs the upsert as a MERGE that two first grants can both enter: now it updates
            }
            return version.fetchSingle(ACCESS_GRANT.ENTITY_VERSION);
        });
    }

    private static Condition of(AccessGrant grant) {
        return on(grant.tenantId(), grant.resource()).and(ACCESS_GRANT.SUBJECT_KIND.eq(kind(grant.subject())))
                .and(ACCESS_GRANT.SUBJECT_ID.eq(grant.subject().id()));
    }

    private void upsert(AccessGrant grant) {
        db.sql().insertInto(ACCESS_GRANT.T)
                .set(ACCESS_GRANT.TENANT_ID, grant.tenantId())
                .set(ACCESS_GRANT.RESOURCE_KIND, grant.resource().kind().name())
                .set(ACCESS_GRANT.RESOURCE_KEY, grant.resource().key())
                .set(ACCESS_GRANT.SUBJECT_KIND, kind(grant.subject()))
                .set(ACCESS_GRANT.SUBJECT_ID, grant.subject().id())
                .set(ACCESS_GRANT.PERMISSIONS, grant.permissions().bits())
                .set(ACCESS_GRANT.ENTITY_VERSION, 1L)
                .onConflict(ACCESS_GRANT.TENANT_ID, ACCESS_GRANT.RESOURCE_KIND, ACCESS_GRANT.RESOURCE_KEY, ACCESS_GRANT.SUBJECT_KIND,
                        ACCESS_GRANT.SUBJECT_ID)
                .doUpdate().set(ACCESS_GRANT.PERMISSIONS, grant.permissions().bits())
                .set(ACCESS_GRANT.ENTITY_VERSION, ACCESS_GRANT.ENTITY_VERSION.plus(1))
                .execute();
    }

    @Override
    public List<AccessGrant> grants(long tenantId, Resource resource) {
        return db.sql().select(ACCESS_GRANT.SUBJECT_KIND, ACCESS_GRANT.SUBJECT_ID, ACCESS_GRANT.PERMISSIONS)
                .from(ACCESS_GRANT.T)
                .where(on(tenantId, resource))
                .orderBy(ACCESS_GRANT.SUBJECT_KIND.desc(), ACCESS_GRANT.SUBJECT_ID)   // USER before GROUP
                .fetch(r -> new AccessGrant(tenantId, resource, subject(r), new Permissions(r.get(ACCESS_GRANT.PERMISSIONS))));
    }

    @Override
    public List<Permissions> held(long tenantId, long userId, Resource resource) {
        var groups = db.sql().select(MEMBER.GROUP_ID).from(MEMBER.T).where(MEMBER.USER_ID.eq(userId));
        return db.sql().select(ACCESS_GRANT.PERMISSIONS).from(ACCESS_GRANT.T)
                .where(on(tenantId, resource))
                .and(ACCESS_GRANT.SUBJECT_KIND.eq(USER).and(ACCESS_GRANT.SUBJECT_ID.eq(userId))
                        .or(ACCESS_GRANT.SUBJECT_KIND.eq(GROUP).and(ACCESS_GRANT.SUBJECT_ID.in(groups))))
                .fetch(r -> new Permissions(r.value1()));
    }

    @Override
    public java.util.Map<Resource, Permissions> heldOnGranted(long tenantId, long userId, List<Resource> resources) {
        var out = new java.util.HashMap<Resource, Permissions>();
        if (resources.isEmpty()) {
            return out;
        }
        var groups = new java.util.HashSet<>(db.sql().select(MEMBER.GROUP_ID).from(MEMBER.T).where(MEMBER.USER_ID.eq(userId)).fetch(r -> r.value1()));
        var byKind = new java.util.LinkedHashMap<Resource.Kind, java.util.Map<String, Resource>>();
        resources.forEach(r -> byKind.computeIfAbsent(r.kind(), k -> new java.util.HashMap<>()).put(r.key(), r));
        for (var kind : byKind.entrySet()) {
            var keys = new java.util.ArrayList<>(kind.getValue().keySet());
            for (int from = 0; from < keys.size(); from += 1000) {
                var chunk = keys.subList(from, Math.min(keys.size(), from + 1000));
                db.sql().select(ACCESS_GRANT.RESOURCE_KEY, ACCESS_GRANT.SUBJECT_KIND, ACCESS_GRANT.SUBJECT_ID, ACCESS_GRANT.PERMISSIONS)
                        .from(ACCESS_GRANT.T)
                        .where(ACCESS_GRANT.TENANT_ID.eq(tenantId), ACCESS_GRANT.RESOURCE_KIND.eq(kind.getKey().name()),
                                ACCESS_GRANT.RESOURCE_KEY.in(chunk))
                        .forEach(r -> {
                            var resource = kind.getValue().get(r.value1());
                            var mine = USER.equals(r.value2()) ? r.value3() == userId : groups.contains(r.value3());
                            var held = mine ? new Permissions(r.value4()) : Permissions.NONE;
                            out.merge(resource, held, Permissions::union);
                        });
            }
        }
        return out;
    }

    private static Condition on(long tenantId, Resource resource) {
        return ACCESS_GRANT.TENANT_ID.eq(tenantId)
                .and(ACCESS_GRANT.RESOURCE_KIND.eq(resource.kind().name()))
                .and(ACCESS_GRANT.RESOURCE_KEY.eq(resource.key()));
    }

    private static String kind(Subject subject) {
        return subject instanceof Subject.User ? USER : GROUP;
    }

    private static Subject subject(Record r) {
        long id = r.get(ACCESS_GRANT.SUBJECT_ID);
        return USER.equals(r.get(ACCESS_GRANT.SUBJECT_KIND)) ? new Subject.User(id) : new Subject.Group(id);
    }
}
