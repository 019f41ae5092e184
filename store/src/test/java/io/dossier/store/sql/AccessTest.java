package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.access.AccessService;
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

        access.grant(tenant, project, new Subject.User(jane), Permissions.of(Permission.RENAME));
        access.grant(tenant, project, new Subject.Group(lawyers), Permissions.of(Permission.WRITE, Permission.DELETE));
        access.grant(tenant, project, new Subject.Group(readers), Permissions.of(Permission.READ, Permission.DOWNLOAD));

        assertThat(access.effective(tenant, jane, project).toSet())
                .containsExactlyInAnyOrder(Permission.READ, Permission.DOWNLOAD, Permission.WRITE, Permission.DELETE, Permission.RENAME);
        assertThat(access.effective(tenant, john, project)).isEqualTo(Permissions.of(Permission.READ, Permission.DOWNLOAD));
        access.require(tenant, jane, project, Permission.DELETE);
        var refused = catchThrowableOfType(Failure.class, () -> access.require(tenant, john, project, Permission.DELETE));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.FORBIDDEN);

        // other resources and kinds hold nothing
        assertThat(access.effective(tenant, jane, Resource.container("project", "43"))).isEqualTo(Permissions.NONE);
        assertThat(access.effective(tenant, jane, Resource.template(42))).isEqualTo(Permissions.NONE);
        assertThat(access.grants(tenant, project)).extracting(g -> g.subject())
                .containsExactly(new Subject.User(jane), new Subject.Group(lawyers), new Subject.Group(readers));
    }

    @Test
    void aGrantIsReplacedNotAddedToAndRevokingRemovesIt() {
        var tenant = tenant();
        var jane = user(tenant);
        var type = Resource.documentType("CV");
        access.grant(tenant, type, new Subject.User(jane), Permissions.ALL);
        access.grant(tenant, type, new Subject.User(jane), Permissions.of(Permission.READ));
        assertThat(access.effective(tenant, jane, type)).isEqualTo(Permissions.of(Permission.READ));
        access.revoke(tenant, type, new Subject.User(jane));
        assertThat(access.effective(tenant, jane, type)).isEqualTo(Permissions.NONE);
        assertThat(access.grants(tenant, type)).isEmpty();
    }

    @Test
    void grantsNeverCrossTenants() {
        var tenant = tenant();
        var other = tenant();
        var jane = user(tenant);
        var stranger = user(other);
        var strangers = identities.insertGroup(other, "strangers").id();
        var folder = Resource.container("folder", "1");
        access.grant(other, folder, new Subject.User(stranger), Permissions.ALL);

        // the same resource key in another tenant grants nothing here
        assertThat(access.effective(tenant, jane, folder)).isEqualTo(Permissions.NONE);
        assertThat(access.effective(tenant, stranger, folder)).isEqualTo(Permissions.NONE);
        assertThat(access.grants(tenant, folder)).isEmpty();
        // a subject of another tenant cannot be granted anything here
        for (Subject foreign : List.<Subject>of(new Subject.User(stranger), new Subject.Group(strangers))) {
            var refused = catchThrowableOfType(Failure.class, () -> access.grant(tenant, folder, foreign, Permissions.ALL));
            assertThat(refused.kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        }
        // a group of another tenant that the user is a member of does not leak either
        identities.addMember(other, strangers, jane);
        access.grant(other, folder, new Subject.Group(strangers), Permissions.ALL);
        assertThat(access.effective(tenant, jane, folder)).isEqualTo(Permissions.NONE);
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
                futures.add(pool.submit(() -> access.grant(tenant, folder, new Subject.User(jane), permissions)));
            }
            for (var future : futures) {
                future.get();
            }
        }
        assertThat(access.grants(tenant, folder)).hasSize(1);
        assertThat(candidates).contains(access.effective(tenant, jane, folder));
    }
}
