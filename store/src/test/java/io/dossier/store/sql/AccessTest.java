package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.access.Subject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Grants to users and groups, unions, revocation and tenants, once per database (H2, PostgreSQL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlIdentityRepository identities;
    private SqlTenantRepository tenants;
    private AccessService access;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        identities = new SqlIdentityRepository(db);
        tenants = new SqlTenantRepository(db);
        access = new AccessService(new SqlAccessRepository(db), identities, testDatabase.changeFeed(java.time.Clock.systemUTC()));
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    private long tenant() {
        return tenants.insert("t" + UUID.randomUUID().toString().substring(0, 8), "T", List.of("en"), "en").id();
    }

    /** Dossier itself in the tenant: bounded by no grant, as the admin API is. */
    private static Caller admin(long tenant) {
        return new Caller.Internal(tenant, "test");
    }

    private long user(long tenant) {
        return identities.insertUser(tenant, "u" + UUID.randomUUID().toString().substring(0, 8), "u@example.invalid", "U", "x").id();
    }

    @Test
    void effectivePermissionsAreTheUnionOfTheUsersGrantAndItsGroups() {
        var tenant = tenant();
        var jane = user(tenant);
        var john = user(tenant);
        var lawyers = identities.insertGroup(tenant, "lawyers").id();
        var readers = identities.insertGroup(tenant, "readers").id();
        identities.addMember(tenant, lawyers, jane);
        identities.addMember(tenant, readers, jane);
        identities.addMember(tenant, readers, john);
        var project = Resource.container("project", "42");

        access.grant(admin(tenant), project, new Subject.User(jane), Permissions.of(Permission.RENAME));
        access.grant(admin(tenant), project, new Subject.Group(lawyers), Permissions.of(Permission.WRITE, Permission.DELETE));
        access.grant(admin(tenant), project, new Subject.Group(readers), Permissions.of(Permission.READ, Permission.DOWNLOAD));

        assertThat(access.effective(admin(tenant), jane, project).toSet())
                .containsExactlyInAnyOrder(Permission.READ, Permission.DOWNLOAD, Permission.WRITE, Permission.DELETE, Permission.RENAME);
        assertThat(access.effective(admin(tenant), john, project)).isEqualTo(Permissions.of(Permission.READ, Permission.DOWNLOAD));
        access.require(new Caller.AsUser(tenant, jane), project, Permission.DELETE);
        var refused = catchThrowableOfType(Failure.class, () -> access.require(new Caller.AsUser(tenant, john), project, Permission.DELETE));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.FORBIDDEN);

        // other resources and kinds hold nothing
        assertThat(access.effective(admin(tenant), jane, Resource.container("project", "43"))).isEqualTo(Permissions.NONE);
        assertThat(access.effective(admin(tenant), jane, Resource.template(42))).isEqualTo(Permissions.NONE);
        assertThat(access.grants(admin(tenant), project)).extracting(g -> g.subject())
                .containsExactly(new Subject.User(jane), new Subject.Group(lawyers), new Subject.Group(readers));
    }

    @Test
    void aGrantIsReplacedNotAddedToAndRevokingRemovesIt() {
        var tenant = tenant();
        var jane = user(tenant);
        var type = Resource.documentType("CV");
        access.grant(admin(tenant), type, new Subject.User(jane), Permissions.ALL);
        access.grant(admin(tenant), type, new Subject.User(jane), Permissions.of(Permission.READ));
        assertThat(access.effective(admin(tenant), jane, type)).isEqualTo(Permissions.of(Permission.READ));
        access.revoke(admin(tenant), type, new Subject.User(jane));
        assertThat(access.effective(admin(tenant), jane, type)).isEqualTo(Permissions.NONE);
        assertThat(access.grants(admin(tenant), type)).isEmpty();
    }

    @Test
    void grantsNeverCrossTenants() {
        var tenant = tenant();
        var other = tenant();
        var jane = user(tenant);
        var stranger = user(other);
        var strangers = identities.insertGroup(other, "strangers").id();
        var folder = Resource.container("folder", "1");
        access.grant(admin(other), folder, new Subject.User(stranger), Permissions.ALL);

        // the same resource key in another tenant grants nothing here
        assertThat(access.effective(admin(tenant), jane, folder)).isEqualTo(Permissions.NONE);
        assertThat(access.effective(admin(tenant), stranger, folder)).isEqualTo(Permissions.NONE);
        assertThat(access.grants(admin(tenant), folder)).isEmpty();
        // a subject of another tenant cannot be granted anything here
        for (Subject foreign : List.<Subject>of(new Subject.User(stranger), new Subject.Group(strangers))) {
            var refused = catchThrowableOfType(Failure.class, () -> access.grant(admin(tenant), folder, foreign, Permissions.ALL));
            assertThat(refused.kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        }
        // a group of another tenant that the user is a member of does not leak either
        identities.addMember(other, strangers, jane);
        access.grant(admin(other), folder, new Subject.Group(strangers), Permissions.ALL);
        assertThat(access.effective(admin(tenant), jane, folder)).isEqualTo(Permissions.NONE);
    }

    @Test
    void permissionBitsOutsideTheSetAreInvalid() {
        assertThat(Permissions.ALL.bits()).isEqualTo((1L << 21) - 1);
        assertThat(Permission.STORAGE.bit()).isEqualTo(1_048_576);
        assertThat(Permission.WORKFLOW.bit()).isEqualTo(4096);
        assertThat(new Permissions(2215).toSet()).containsExactlyInAnyOrder(Permission.READ, Permission.DOWNLOAD, Permission.WRITE,
                Permission.IMMUTABLE, Permission.RENAME, Permission.ARCHIVE);
        var refused = catchThrowableOfType(Failure.class, () -> new Permissions(1L << 21));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.INVALID);
    }

    @Test
    void concurrentGrantsToOneSubjectLeaveOneOfThem() throws Exception {
        var tenant = tenant();
        var jane = user(tenant);
        var folder = Resource.container("folder", "c");
        var candidates = new ArrayList<Permissions>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 32; i++) {
                var permissions = Permissions.of(Permission.values()[i % Permission.values().length]);
                candidates.add(permissions);
                futures.add(pool.submit(() -> access.grant(admin(tenant), folder, new Subject.User(jane), permissions)));
            }
            for (var future : futures) {
                future.get();
            }
        }
        assertThat(access.grants(admin(tenant), folder)).hasSize(1);
        assertThat(candidates).contains(access.effective(admin(tenant), jane, folder));
    }

    @Test
    void aResourceWithoutGrantsIsOpenToTheTenantsUsersAndOnceGrantedOnlyTheGrantsCount() {
        var tenant = tenant();
        var jane = user(tenant);
        var john = user(tenant);
        var template = Resource.template(7);
        var asJane = new Caller.AsUser(tenant, jane);
        var asJohn = new Caller.AsUser(tenant, john);
        assertThat(access.allows(asJohn, template, Permission.DELETE)).isTrue();

        access.grant(asJane, template, new Subject.User(jane), Permissions.of(Permission.READ, Permission.SECURITY));
        assertThat(access.allows(asJohn, template, Permission.READ)).isFalse();
        assertThat(catchThrowableOfType(Failure.class, () -> access.grants(asJohn, template)).kind()).isEqualTo(Failure.Kind.FORBIDDEN);
        assertThat(access.allows(asJane, template, Permission.DELETE)).isFalse();
        assertThat(access.grants(asJane, template)).hasSize(1);
        // granting takes Security: John has none, Jane has it
        var refused = catchThrowableOfType(Failure.class,
                () -> access.grant(asJohn, template, new Subject.User(john), Permissions.ALL));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.FORBIDDEN);
        access.grant(asJane, template, new Subject.User(john), Permissions.of(Permission.READ));
        assertThat(access.allows(asJohn, template, Permission.READ)).isTrue();
        // a user of another tenant finds no grant here and is refused nothing of this tenant's: the
        // caller's tenant is the one asked, so Jane's grants do not open anything to a stranger
        var other = tenant();
        var stranger = new Caller.AsUser(other, user(other));
        assertThat(access.grants(stranger, template)).isEmpty();
        assertThat(access.effective(new Caller.Internal(other, "test"), jane, template)).isEqualTo(Permissions.NONE);
    }
}
