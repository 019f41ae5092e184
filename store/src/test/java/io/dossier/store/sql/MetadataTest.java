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
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema.Kind;
import io.dossier.core.metadata.MetadataService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Templates and attribute sets made at run time, values checked against them, once per database (H2, PostgreSQL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetadataTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlTenantRepository tenants;
    private SqlIdentityRepository identities;
    private MetadataService metadata;
    private AccessService access;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        tenants = new SqlTenantRepository(db);
        identities = new SqlIdentityRepository(db);
        var feed = testDatabase.changeFeed(Clock.systemUTC());
        access = new AccessService(new SqlAccessRepository(db), identities, feed);
        metadata = new MetadataService(new SqlMetadataRepository(db), db, Clock.systemUTC(),
                (tenant, user) -> identities.findUser(tenant, user).isPresent(), feed, access);
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    private long tenant() {
        return tenants.insert("m" + UUID.randomUUID().toString().substring(0, 8), "M", List.of("en"), "en").id();
    }

    /** Dossier itself in the tenant, bounded by no grant. */
    private static Caller admin(long tenant) {
        return new Caller.Internal(tenant, "test");
    }

    private long user(long tenant) {
        return identities.insertUser(tenant, "u" + UUID.randomUUID().toString().substring(0, 8), "u@example.invalid", "U", "x").id();
    }

    static Attribute attribute(String name, AttributeType type, boolean mandatory, boolean multiple, int position, String... options) {
        return new Attribute(name, name.toUpperCase(), type, mandatory, false, multiple, position, options.length > 0, List.of(options));
    }

    static final List<Attribute> CONTRACT = List.of(
            attribute("client", AttributeType.STRING, true, false, 0),
            attribute("amount", AttributeType.DOUBLE, false, false, 1),
            attribute("pages", AttributeType.INT, false, false, 2),
            attribute("signed", AttributeType.DATE, false, false, 3),
            attribute("final", AttributeType.BOOLEAN, false, false, 4),
            attribute("reviewer", AttributeType.USER, false, false, 5),
            attribute("kind", AttributeType.STRING, false, true, 6, "lease", "sale", "loan"));

    @Test
    void aTemplateMadeAtRunTimeReadsBackWithItsAttributesInOrderAndItsOptions() {
        var tenant = tenant();
        var created = metadata.create(admin(tenant), Kind.TEMPLATE, "contract", "Contract", "legal contracts", CONTRACT);
        var read = metadata.schema(admin(tenant), created.id());
        assertThat(read.name()).isEqualTo("contract");
        assertThat(read.attributes()).isEqualTo(CONTRACT);
        assertThat(metadata.schema(admin(tenant), Kind.TEMPLATE, "contract").id()).isEqualTo(created.id());
        assertThat(metadata.list(admin(tenant), Kind.TEMPLATE)).hasSize(1);
        assertThat(metadata.list(admin(tenant), Kind.ATTRIBUTE_SET)).isEmpty();

        var withOptions = metadata.setOptions(admin(tenant), created.id(), "kind", List.of("lease", "rent"));
        assertThat(withOptions.attribute("kind").orElseThrow().options()).containsExactly("lease", "rent");
        assertThat(metadata.list(admin(tenant), Kind.TEMPLATE).getFirst().attribute("kind").orElseThrow().options())
                .as("a list shows the schema as it is now, not as a list read it before").containsExactly("lease", "rent");
        var renamed = metadata.update(admin(tenant), created.id(), "agreement", "Agreement", null, CONTRACT.subList(0, 2));
        assertThat(metadata.schema(admin(tenant), renamed.id()).attributes()).extracting(Attribute::name).containsExactly("client", "amount");
        assertThat(metadata.list(admin(tenant), Kind.TEMPLATE)).singleElement().satisfies(listed -> {
            assertThat(listed.name()).isEqualTo("agreement");
            assertThat(listed.attributes()).extracting(Attribute::name).containsExactly("client", "amount");
        });
        metadata.delete(admin(tenant), created.id());
        assertThat(metadata.list(admin(tenant), Kind.TEMPLATE)).as("gone from lists once deleted").isEmpty();
        assertThat(renamed.lastModified()).isAfterOrEqualTo(created.lastModified());
    }

    @Test
    void valuesAreCheckedAgainstTheTemplateAndStoredCanonical() {
        var tenant = tenant();
        var reviewer = identities.insertUser(tenant, "r" + UUID.randomUUID().toString().substring(0, 8), "r@example.invalid", "R", "x").id();
        var template = metadata.create(admin(tenant), Kind.TEMPLATE, "contract", null, null, CONTRACT).id();

        var described = metadata.describe(admin(tenant), "document/1", template, Map.of("client", List.of("ACME"), "amount", List.of("12.50"),
                "pages", List.of("007"), "signed", List.of("2026-12-02"), "final", List.of("1"), "reviewer", List.of(Long.toString(reviewer)),
                "kind", List.of("lease", "loan")));
        assertThat(described.values()).containsEntry("amount", List.of("12.5")).containsEntry("pages", List.of("7"))
                .containsEntry("signed", List.of("2026-12-02 00:00:00")).containsEntry("final", List.of("true"))
                .containsEntry("kind", List.of("lease", "loan"));
        assertThat(metadata.values(admin(tenant), "document/1").orElseThrow().values()).isEqualTo(described.values());

        java.util.function.BiConsumer<Map<String, List<String>>, String> refused = (values, attribute) -> {
            var failure = catchThrowableOfType(Failure.class, () -> metadata.describe(admin(tenant), "document/2", template, values));
            assertThat(failure).as(values.toString()).isNotNull();
            assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID);
            assertThat(failure.getMessage()).as("the message names the attribute").contains(attribute);
        };
        refused.accept(Map.of("amount", List.of("1")), "client");                                       // mandatory
        refused.accept(Map.of("client", List.of("x"), "pages", List.of("seven")), "pages");
        refused.accept(Map.of("client", List.of("x"), "amount", List.of("NaN")), "amount");
        refused.accept(Map.of("client", List.of("x"), "signed", List.of("02-12-2026")), "signed");
        refused.accept(Map.of("client", List.of("x"), "final", List.of("yes")), "final");
        refused.accept(Map.of("client", List.of("x"), "kind", List.of("gift")), "kind");                // not an option
        refused.accept(Map.of("client", List.of("a", "b")), "client");                                  // not multiple
        refused.accept(Map.of("client", List.of("x"), "colour", List.of("red")), "colour");             // not in the template
        refused.accept(Map.of("client", List.of("x"), "reviewer", List.of("999999999")), "reviewer");   // no such user
        assertThat(metadata.values(admin(tenant), "document/2")).isEmpty();
    }

    @Test
    void aTemplateInUseCannotBeDeletedAndAnUnusedOneCan() {
        var tenant = tenant();
        var used = metadata.create(admin(tenant), Kind.TEMPLATE, "used", null, null, CONTRACT).id();
        var unused = metadata.create(admin(tenant), Kind.TEMPLATE, "unused", null, null, CONTRACT).id();
        var set = metadata.create(admin(tenant), Kind.ATTRIBUTE_SET, "used", null, null, CONTRACT).id();   // names are per kind
        metadata.describe(admin(tenant), "document/9", used, Map.of("client", List.of("x")));

        var conflict = catchThrowableOfType(Failure.class, () -> metadata.delete(admin(tenant), used));
        assertThat(conflict.kind()).isEqualTo(Failure.Kind.CONFLICT);
        metadata.delete(admin(tenant), unused);
        metadata.delete(admin(tenant), set);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.schema(admin(tenant), unused)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(metadata.schema(admin(tenant), used).attributes()).hasSize(CONTRACT.size());
        var duplicate = catchThrowableOfType(Failure.class, () -> metadata.create(admin(tenant), Kind.TEMPLATE, "used", null, null, List.of()));
        assertThat(duplicate.kind()).isEqualTo(Failure.Kind.CONFLICT);
    }

    @Test
    void badSchemasAreInvalid() {
        var tenant = tenant();
        for (var attributes : List.of(
                List.of(attribute("a", AttributeType.STRING, false, false, 0), attribute("a", AttributeType.INT, false, false, 1)),
                List.of(attribute("n", AttributeType.INT, false, false, 0, "1", "x")),
                List.of(attribute("", AttributeType.INT, false, false, 0)))) {
            var failure = catchThrowableOfType(Failure.class, () -> metadata.create(admin(tenant), Kind.TEMPLATE, "t", null, null, attributes));
            assertThat(failure.kind()).as(attributes.toString()).isEqualTo(Failure.Kind.INVALID);
        }
        assertThat(metadata.list(admin(tenant), Kind.TEMPLATE)).isEmpty();
    }

    @Test
    void templatesAndValuesNeverCrossTenants() {
        var tenant = tenant();
        var other = tenant();
        var theirs = metadata.create(admin(other), Kind.TEMPLATE, "contract", null, null, CONTRACT).id();
        metadata.describe(admin(other), "document/1", theirs, Map.of("client", List.of("secret")));

        assertThat(catchThrowableOfType(Failure.class, () -> metadata.schema(admin(tenant), theirs)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.describe(admin(tenant), "document/1", theirs, Map.of("client", List.of("x"))))
                .kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.delete(admin(tenant), theirs)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.setOptions(admin(tenant), theirs, "kind", List.of("x"))).kind())
                .isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(metadata.values(admin(tenant), "document/1")).isEmpty();
        assertThat(metadata.list(admin(tenant), Kind.TEMPLATE)).isEmpty();
    }

    @Test
    void onceATemplateHasGrantsAUserReadsChangesAndDeletesItOnlyAsTheyAllow() {
        var tenant = tenant();
        var jane = new Caller.AsUser(tenant, user(tenant));
        var john = new Caller.AsUser(tenant, user(tenant));
        var open = metadata.create(jane, Kind.TEMPLATE, "open", null, null, CONTRACT);
        var guarded = metadata.create(jane, Kind.TEMPLATE, "guarded", null, null, CONTRACT);
        metadata.create(jane, Kind.ATTRIBUTE_SET, "address", null, null, List.of());
        // no grants yet: every user of the tenant may do anything with a template
        metadata.setOptions(john, guarded.id(), "kind", List.of("lease"));

        access.grant(admin(tenant), Resource.template(guarded.id()), new Subject.User(jane.user()), Permissions.ALL);
        access.grant(admin(tenant), Resource.template(guarded.id()), new Subject.User(john.user()), Permissions.of(Permission.READ));
        assertThat(metadata.schema(john, guarded.id()).name()).isEqualTo("guarded");
        for (var refused : List.<Runnable>of(
                () -> metadata.update(john, guarded.id(), "mine", null, null, CONTRACT),
                () -> metadata.setOptions(john, guarded.id(), "kind", List.of("sale")),
                () -> metadata.delete(john, guarded.id()))) {
            assertThat(catchThrowableOfType(Failure.class, refused::run).kind()).isEqualTo(Failure.Kind.FORBIDDEN);
        }
        metadata.update(jane, guarded.id(), "guarded", "Guarded", null, CONTRACT);

        // without Read the template is not listed, read by id or by name, nor used to describe
        access.grant(admin(tenant), Resource.template(guarded.id()), new Subject.User(john.user()), Permissions.of(Permission.WRITE));
        assertThat(metadata.list(john, Kind.TEMPLATE)).extracting(s -> s.name()).containsExactly("open");
        assertThat(metadata.list(jane, Kind.TEMPLATE)).extracting(s -> s.name()).containsExactlyInAnyOrder("open", "guarded");
        assertThat(metadata.list(john, Kind.ATTRIBUTE_SET)).hasSize(1);
        for (var refused : List.<Runnable>of(
                () -> metadata.schema(john, guarded.id()),
                () -> metadata.schema(john, Kind.TEMPLATE, "guarded"),
                () -> metadata.describe(john, "document/9", guarded.id(), Map.of("client", List.of("x"))))) {
            assertThat(catchThrowableOfType(Failure.class, refused::run).kind()).isEqualTo(Failure.Kind.FORBIDDEN);
        }
        metadata.delete(john, open.id());
        metadata.delete(jane, guarded.id());
        assertThat(metadata.list(jane, Kind.TEMPLATE)).isEmpty();
    }
}
