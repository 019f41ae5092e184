package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
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

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        tenants = new SqlTenantRepository(db);
        identities = new SqlIdentityRepository(db);
        metadata = new MetadataService(new SqlMetadataRepository(db), db, Clock.systemUTC(),
                (tenant, user) -> identities.findUser(tenant, user).isPresent(), testDatabase.changeFeed(Clock.systemUTC()));
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
        var created = metadata.create(tenant, Kind.TEMPLATE, "contract", "Contract", "legal contracts", CONTRACT);
        var read = metadata.schema(tenant, created.id());
        assertThat(read.name()).isEqualTo("contract");
        assertThat(read.attributes()).isEqualTo(CONTRACT);
        assertThat(metadata.schema(tenant, Kind.TEMPLATE, "contract").id()).isEqualTo(created.id());
        assertThat(metadata.list(tenant, Kind.TEMPLATE)).hasSize(1);
        assertThat(metadata.list(tenant, Kind.ATTRIBUTE_SET)).isEmpty();

        var withOptions = metadata.setOptions(tenant, created.id(), "kind", List.of("lease", "rent"));
        assertThat(withOptions.attribute("kind").orElseThrow().options()).containsExactly("lease", "rent");
        var renamed = metadata.update(tenant, created.id(), "agreement", "Agreement", null, CONTRACT.subList(0, 2));
        assertThat(metadata.schema(tenant, renamed.id()).attributes()).extracting(Attribute::name).containsExactly("client", "amount");
        assertThat(renamed.lastModified()).isAfterOrEqualTo(created.lastModified());
    }

    @Test
    void valuesAreCheckedAgainstTheTemplateAndStoredCanonical() {
        var tenant = tenant();
        var reviewer = identities.insertUser(tenant, "r" + UUID.randomUUID().toString().substring(0, 8), "r@example.invalid", "R", "x").id();
        var template = metadata.create(tenant, Kind.TEMPLATE, "contract", null, null, CONTRACT).id();

        var described = metadata.describe(tenant, "document/1", template, Map.of("client", List.of("ACME"), "amount", List.of("12.50"),
                "pages", List.of("007"), "signed", List.of("2026-12-02"), "final", List.of("1"), "reviewer", List.of(Long.toString(reviewer)),
                "kind", List.of("lease", "loan")));
        assertThat(described.values()).containsEntry("amount", List.of("12.5")).containsEntry("pages", List.of("7"))
                .containsEntry("signed", List.of("2026-12-02 00:00:00")).containsEntry("final", List.of("true"))
                .containsEntry("kind", List.of("lease", "loan"));
        assertThat(metadata.values(tenant, "document/1").orElseThrow().values()).isEqualTo(described.values());

        java.util.function.BiConsumer<Map<String, List<String>>, String> refused = (values, attribute) -> {
            var failure = catchThrowableOfType(Failure.class, () -> metadata.describe(tenant, "document/2", template, values));
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
        assertThat(metadata.values(tenant, "document/2")).isEmpty();
    }

    @Test
    void aTemplateInUseCannotBeDeletedAndAnUnusedOneCan() {
        var tenant = tenant();
        var used = metadata.create(tenant, Kind.TEMPLATE, "used", null, null, CONTRACT).id();
        var unused = metadata.create(tenant, Kind.TEMPLATE, "unused", null, null, CONTRACT).id();
        var set = metadata.create(tenant, Kind.ATTRIBUTE_SET, "used", null, null, CONTRACT).id();   // names are per kind
        metadata.describe(tenant, "document/9", used, Map.of("client", List.of("x")));

        var conflict = catchThrowableOfType(Failure.class, () -> metadata.delete(tenant, used));
        assertThat(conflict.kind()).isEqualTo(Failure.Kind.CONFLICT);
        metadata.delete(tenant, unused);
        metadata.delete(tenant, set);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.schema(tenant, unused)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(metadata.schema(tenant, used).attributes()).hasSize(CONTRACT.size());
        var duplicate = catchThrowableOfType(Failure.class, () -> metadata.create(tenant, Kind.TEMPLATE, "used", null, null, List.of()));
        assertThat(duplicate.kind()).isEqualTo(Failure.Kind.CONFLICT);
    }

    @Test
    void badSchemasAreInvalid() {
        var tenant = tenant();
        for (var attributes : List.of(
                List.of(attribute("a", AttributeType.STRING, false, false, 0), attribute("a", AttributeType.INT, false, false, 1)),
                List.of(attribute("n", AttributeType.INT, false, false, 0, "1", "x")),
                List.of(attribute("", AttributeType.INT, false, false, 0)))) {
            var failure = catchThrowableOfType(Failure.class, () -> metadata.create(tenant, Kind.TEMPLATE, "t", null, null, attributes));
            assertThat(failure.kind()).as(attributes.toString()).isEqualTo(Failure.Kind.INVALID);
        }
        assertThat(metadata.list(tenant, Kind.TEMPLATE)).isEmpty();
    }

    @Test
    void templatesAndValuesNeverCrossTenants() {
        var tenant = tenant();
        var other = tenant();
        var theirs = metadata.create(other, Kind.TEMPLATE, "contract", null, null, CONTRACT).id();
        metadata.describe(other, "document/1", theirs, Map.of("client", List.of("secret")));

        assertThat(catchThrowableOfType(Failure.class, () -> metadata.schema(tenant, theirs)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.describe(tenant, "document/1", theirs, Map.of("client", List.of("x"))))
                .kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.delete(tenant, theirs)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> metadata.setOptions(tenant, theirs, "kind", List.of("x"))).kind())
                .isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(metadata.values(tenant, "document/1")).isEmpty();
        assertThat(metadata.list(tenant, Kind.TEMPLATE)).isEmpty();
    }
}
