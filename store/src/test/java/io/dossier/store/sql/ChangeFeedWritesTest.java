package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.RecordFilters;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.access.Subject;
import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.ChangePage;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.content.ContentService;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.delivery.DeliveryService;
import io.dossier.core.document.DocumentService;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.PasswordHasher;
import io.dossier.core.metadata.MetadataSchema.Kind;
import io.dossier.core.metadata.MetadataService;
import io.dossier.core.record.RecordService;
import io.dossier.core.record.RecordWalk;
import io.dossier.core.schema.Schemas;
import io.dossier.core.tenant.TenantService;
import io.dossier.store.blob.FolderBlobStore;
import io.dossier.store.sql.FilesAndDocumentsTest.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every write path of the services appends its change in the write's own transaction, with the
 * right entity type, operation and version; a write that fails or rolls back leaves none; deletes
 * leave tombstones that are collected later; the reader's cursor pages without skipping or
 * repeating while real services write, refuses a tampered cursor and never crosses tenants.
 * Once per database (H2, PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChangeFeedWritesTest {

    static final Duration UNBOUND_TTL = Duration.ofHours(1);
    static final long MAX_BYTES = 1 << 20;
    static final String CANDIDATE = EntityTypes.record("Candidate");

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private Database db;
    private Path blobFolder;
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private ChangeFeed feed;
    private TenantService tenants;
    private IdentityService identities;
    private RecordService records;
    private ContentService content;
    private DocumentService documents;
    private DeliveryService deliveries;
    private MetadataService metadata;
    private AccessService access;
    private SqlRecordFilterRepository recordFilters;
    private RecordWalk walk;

    @BeforeAll
    void open() throws IOException {
        testDatabase = newDatabase();
        db = testDatabase.database();
        feed = testDatabase.changeFeed(clock);
        var tenantRepository = new SqlTenantRepository(db);
        tenants = new TenantService(tenantRepository);
        var identityRepository = new SqlIdentityRepository(db);
        identities = new IdentityService(identityRepository, tenantRepository, new PasswordHasher(1_000));
        var recordRepository = new SqlRecordRepository(db);
        recordRepository.prepare(List.of(SqlRecordRepositoryTest.CANDIDATE));
        recordFilters = new SqlRecordFilterRepository(db);
        records = new RecordService(recordRepository, tenant -> Map.of(), null, db, clock, feed, new io.dossier.core.schema.Schemas(List.of(SqlRecordRepositoryTest.CANDIDATE)),
                recordFilters, COUNT_CACHE);
        walk = new RecordWalk(records, feed);
        blobFolder = Files.createTempDirectory("dossier-changes-");
        content = new ContentService(new FolderBlobStore(blobFolder), new SqlFileRepository(db), clock, UNBOUND_TTL,
                Duration.ofMinutes(10), feed);
        documents = new DocumentService(new SqlDocumentRepository(db), content, new DocumentService.Containers() {
            @Override
            public boolean exists(Caller caller, String containerType, String containerUid) {
                return true;
            }

            @Override
            public boolean filtered(Caller caller, String containerType) {
                return false;
            }
        }, (caller, typeId) -> java.util.Optional.of(new io.dossier.core.document.DocumentTypeRule(typeId, true, Set.of("Candidate"))),
                clock, feed);
        deliveries = new DeliveryService(new SqlDeliveryRepository(db), content, db, clock,
                Schemas.definition("definitions/fileapi/delivery.def"), Duration.ofHours(1), feed, Duration.ofSeconds(2), COUNT_CACHE);
        access = new AccessService(new SqlAccessRepository(db), identityRepository, feed);
        metadata = new MetadataService(new SqlMetadataRepository(db), db, clock, (tenant, user) -> true, feed, access);
    }

    @AfterAll
    void close() throws IOException {
        if (testDatabase != null) {
            testDatabase.close();
        }
        if (blobFolder != null) {
            try (var paths = Files.walk(blobFolder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private long tenant() {
        var slug = "f-" + UUID.randomUUID().toString().substring(0, 12);
        return tenants.create(slug, "Tenant " + slug).id();
    }

    /** A user of the tenant, as the services take it. */
    private static Caller caller(long tenant) {
        return new Caller.AsUser(tenant, 5);
    }

    /**
     * The feed, once every transaction running now has ended (on PostgreSQL a change shows once
     * every older transaction has ended, and other test runs share the server): for reading back
     * what a test just wrote.
     */
    private ChangeFeed settled() {
        testDatabase.settle();
        return feed;
    }

    /** Every change of the tenant still in the feed, as "type op id v<version>". */
    private List<String> changes(long tenant) {
        return settled().changes(tenant, Set.of(), null, null, null, ChangeFeed.MAX_PAGE).changes().stream()
                .map(ChangeFeedWritesTest::summary).toList();
    }

    private static String summary(Change c) {
        return c.entityType() + " " + c.operation() + " " + c.entityId() + " v" + c.version();
    }

    private String addCandidate(long tenant, String lastName) {
        return records.add(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, Map.of("Person", Map.of("lastName", lastName)), "en");
    }

    private static Caller.AsClient asClient(io.dossier.core.identity.Client client, long tenant) {
        return new Caller.AsClient(tenant, client.id(), client.publicId(), client.userId(), client.scopes(), RecordFilters.NONE);
    }

    private io.dossier.core.content.StoredFile upload(long tenant, String name) {
        try {
            return content.upload(tenant, null, name, null, new ByteArrayInputStream(FilesAndDocumentsTest.PDF), MAX_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertFailure(Runnable call, Failure.Kind kind) {
        var failure = catchThrowableOfType(Failure.class, call::run);
        assertThat(failure).as("a Failure").isNotNull();
        assertThat(failure.kind()).isEqualTo(kind);
    }

    // ---- each write path

    @Test
    void recordsAddUpdateAndDeleteEachAppendTheirChangeAndADeleteLeavesATombstone() {
        var tenant = tenant();
        var uid = addCandidate(tenant, "Jansen");
        records.update(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid, Map.of("statusId", 2), "en");
        records.update(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid, Map.of("title", "Ir."), "en");
        records.delete(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid);

        assertThat(changes(tenant)).containsExactly(
                CANDIDATE + " CREATE " + uid + " v1",
                CANDIDATE + " UPDATE " + uid + " v2",
                "record-status:Candidate UPDATE " + uid + " v2",   // its status changed: told beside the update
                CANDIDATE + " UPDATE " + uid + " v3",
                CANDIDATE + " DELETE " + uid + " v3");
        assertThat(records.exists(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid)).as("gone from reads").isFalse();
        assertThat(settled().changes(tenant, Set.of(CANDIDATE), null, null, null, 10).changes().getLast().isTombstone()).isTrue();
    }

    /** Long enough that no count kept by a test expires while it runs. */
    static final Duration COUNT_CACHE = Duration.ofMinutes(10);

    /**
     * A list's count is used again, with only the page read, for the same condition in the same
     * tenant, until a write of that tenant commits on this node; another tenant's write, another
     * condition or another caller's record filter count for themselves.
     */
    @Test
    void aListsCountIsUsedAgainUntilAWriteOfItsTenantCommits() {
        var tenant = tenant();
        var other = tenant();
        for (var name : List.of("Aarts", "Bakker", "Claes")) {
            addCandidate(tenant, name);
        }
        var type = SqlRecordRepositoryTest.CANDIDATE;
        java.util.function.Function<io.dossier.core.query.Condition, TestDatabase.Counted<Long>> list = condition -> testDatabase.statements(
                () -> records.list(caller(tenant), type, new io.dossier.core.query.Query(condition, List.of(), Set.of("uid"),
                        new io.dossier.core.paging.Page(0, 2, true), null)).totalCount());
        var named = new io.dossier.core.query.Condition.Compare("Person.lastName", io.dossier.core.query.Condition.Op.LIKE, "%a%");

        assertThat(list.apply(named)).isEqualTo(new TestDatabase.Counted<>(3L, 2));   // page and count
        assertThat(list.apply(named)).isEqualTo(new TestDatabase.Counted<>(3L, 1));   // the page alone
        assertThat(list.apply(null)).isEqualTo(new TestDatabase.Counted<>(3L, 2));    // another condition counts for itself
        addCandidate(other, "Aalders");
        assertThat(list.apply(named)).isEqualTo(new TestDatabase.Counted<>(3L, 1));   // another tenant's write
        assertThat(records.list(caller(other), type, new io.dossier.core.query.Query(named, List.of(), Set.of("uid"),
                new io.dossier.core.paging.Page(0, 2, true), null)).totalCount()).as("another tenant's count, not this one's").isEqualTo(1L);
        addCandidate(tenant, "Daalman");
        assertThat(list.apply(named)).isEqualTo(new TestDatabase.Counted<>(4L, 2));   // this tenant's write: counted again
        assertThat(list.apply(named)).isEqualTo(new TestDatabase.Counted<>(4L, 1));
        var uid = records.list(caller(tenant), type, new io.dossier.core.query.Query(null, List.of(), Set.of("uid"),
                io.dossier.core.paging.Page.first(1), null)).items().getFirst().get("uid");
        records.delete(caller(tenant), type, (String) uid);
        assertThat(list.apply(named).result()).isEqualTo(3L);
        // a caller whose record filter narrows the type has the filter in its condition, so a count of its own
        var filtered = new Caller.AsClient(tenant, 1, "filtered", null, Set.of(), new RecordFilters(Map.of(type.storageName(),
                new io.dossier.core.query.Condition.Compare("Person.lastName", io.dossier.core.query.Condition.Op.EQ, "Bakker"))));
        assertThat(records.list(filtered, type, new io.dossier.core.query.Query(named, List.of(), Set.of("uid"),
                new io.dossier.core.paging.Page(0, 2, true), null)).totalCount()).isEqualTo(1L);
    }

    @Test
    void aRecordAddedWithItsTextsInSeveralLanguagesIsOneChange() {
        var tenant = tenant();
        var uid = records.add(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, Map.of("Person", Map.of("lastName", "Jansen"), "title", "Developer"),
                "en", Map.of("nl", Map.of("title", "Ontwikkelaar")));
        assertThat(changes(tenant)).containsExactly(CANDIDATE + " CREATE " + uid + " v1");
        assertThat(records.detail(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid, Set.of("title"), "nl")).containsEntry("title", "Ontwikkelaar");
        assertThat(records.detail(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid, Set.of("title"), "en")).containsEntry("title", "Developer");
        // a further language gives translatable fields only, and nothing is written when it does not
        assertFailure(() -> records.add(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, Map.of("Person", Map.of("lastName", "Smit")), "en",
                Map.of("nl", Map.of("statusId", 2))), Failure.Kind.INVALID);
        assertThat(changes(tenant)).hasSize(1);
    }

    @Test
    void aBulkWriteCarriesTextsInSeveralLanguagesAsAnAddDoes() {
        var tenant = tenant();
        var type = SqlRecordRepositoryTest.CANDIDATE;
        var failures = records.writeAll(caller(tenant), List.of(
                new RecordService.Upsert(type, "c1", Map.of("Person", Map.of("lastName", "Jansen"), "title", "Developer"),
                        Map.of("nl", Map.of("title", "Ontwikkelaar"), "de", Map.of("title", "Entwickler"))),
                // a further language gives translatable fields only: refused, and nothing of it written
                new RecordService.Upsert(type, "c2", Map.of("Person", Map.of("lastName", "Smit")), Map.of("nl", Map.of("statusId", 2)))), "en");
        assertThat(failures.get(0)).isNull();
        assertThat(failures.get(1).kind()).isEqualTo(Failure.Kind.INVALID);
        assertThat(changes(tenant)).containsExactly(CANDIDATE + " CREATE c1 v1");
        for (var text : Map.of("en", "Developer", "nl", "Ontwikkelaar", "de", "Entwickler").entrySet()) {
            assertThat(records.detail(caller(tenant), type, "c1", Set.of("title"), text.getKey())).containsEntry("title", text.getValue());
        }
        assertThat(records.exists(caller(tenant), type, "c2")).isFalse();

        // the record exists: its texts are updated, each language as an update would
        assertThat(records.writeAll(caller(tenant), List.of(new RecordService.Upsert(type, "c1", Map.of("title", "Engineer"),
                Map.of("nl", Map.of("title", "Ingenieur")))), "en")).containsOnlyNulls();
        assertThat(records.detail(caller(tenant), type, "c1", Set.of("title"), "en")).containsEntry("title", "Engineer");
        assertThat(records.detail(caller(tenant), type, "c1", Set.of("title"), "nl")).containsEntry("title", "Ingenieur");
        assertThat(records.detail(caller(tenant), type, "c1", Set.of("title"), "de")).containsEntry("title", "Entwickler");
        assertThat(changes(tenant)).containsExactly(CANDIDATE + " CREATE c1 v1", CANDIDATE + " UPDATE c1 v2", CANDIDATE + " UPDATE c1 v3");
    }

    @Test
    void aRecordWriteThatFailsOrRollsBackLeavesNoChange() {
        var tenant = tenant();
        assertFailure(() -> records.update(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, "nope", Map.of("statusId", 2), "en"),
                Failure.Kind.NOT_FOUND);
        assertFailure(() -> records.delete(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, "nope"), Failure.Kind.NOT_FOUND);
        var added = new ArrayList<String>();
        try {
            db.run(() -> {
                added.add(addCandidate(tenant, "Rolled back"));
                throw new IllegalStateException("what came after the add failed");
            });
        } catch (IllegalStateException expected) {
            // the transaction holding the add and its change rolled back
        }
        assertThat(records.exists(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, added.getFirst())).isFalse();
        assertThat(changes(tenant)).isEmpty();

        var uid = addCandidate(tenant, "Kept");
        assertThat(changes(tenant)).containsExactly(CANDIDATE + " CREATE " + uid + " v1");
    }

    @Test
    void documentsAndTheirFilesAppendTheirChangesAsTheyAreAttachedVersionedUpdatedAndDeleted() {
        var tenant = tenant();
        var first = upload(tenant, "cv.pdf");
        var document = documents.attach(caller(tenant), "Candidate", "c1", first.ouid(), "CV", "Curriculum vitae", Map.of());
        var id = Long.toString(document.id());
        var second = upload(tenant, "cv-2.pdf");
        documents.addVersion(caller(tenant), document.id(), second.ouid());
        documents.update(caller(tenant), document.id(), null, "CV 2026", Map.of("lang", "nl"));
        var before = changes(tenant).size();
        assertFailure(() -> documents.attach(caller(tenant), "Candidate", "c1", first.ouid(), "CV", "again", Map.of()), Failure.Kind.CONFLICT);
        assertThat(changes(tenant)).as("a refused attach appends nothing").hasSize(before);
        documents.delete(caller(tenant), document.id());

        assertThat(changes(tenant)).containsExactly(
                "file CREATE " + first.ouid() + " v1",
                "file UPDATE " + first.ouid() + " v2",          // bound by the attach, in its transaction
                "document CREATE " + id + " v1",
                "record-document:Candidate UPDATE c1 v" + id,    // the record it was attached to
                "file CREATE " + second.ouid() + " v1",
                "file UPDATE " + second.ouid() + " v2",
                "document UPDATE " + id + " v2",                // a new version
                "document UPDATE " + id + " v3",                // subject and attributes
                "file DELETE " + first.ouid() + " v2",
                "file DELETE " + second.ouid() + " v2",
                "document DELETE " + id + " v3");
        assertFailure(() -> documents.document(caller(tenant), document.id()), Failure.Kind.NOT_FOUND);
    }

    @Test
    void anUploadNobodyBoundIsCollectedWithATombstone() {
        var tenant = tenant();
        var file = upload(tenant, "forgotten.pdf");
        clock.advance(UNBOUND_TTL.plusSeconds(1));
        while (content.collect(100) == 100) {
            // other tests' leftovers go too
        }
        assertThat(changes(tenant)).containsExactly("file CREATE " + file.ouid() + " v1", "file DELETE " + file.ouid() + " v1");
    }

    @Test
    void deliveriesAppendTheirPublicationAndEachSubscribersStateChanges() throws IOException {
        var tenantId = tenant();
        var publisher = identities.createClient(tenantId, ClientKind.OAUTH, "publisher", null, Set.of()).client();
        var subscriber = identities.createClient(tenantId, ClientKind.OAUTH, "subscriber", null, Set.of()).client();
        deliveries.authorize(tenantId, publisher.id(), DeliveryRole.PUBLISHER, Set.of(10L));
        deliveries.authorize(tenantId, subscriber.id(), DeliveryRole.SUBSCRIBER, Set.of(10L));
        var delivery = deliveries.publish(asClient(publisher, tenantId), 10, "payslip.pdf",
                new ByteArrayInputStream(FilesAndDocumentsTest.PDF), MAX_BYTES);
        var asSubscriber = asClient(subscriber, tenantId);
        deliveries.markDownloaded(asSubscriber, deliveries.forSubscriber(asSubscriber, delivery.fileId()));
        deliveries.delete(asSubscriber, delivery.fileId());
        assertFailure(() -> deliveries.delete(asSubscriber, delivery.fileId()), Failure.Kind.NOT_FOUND);

        var ouid = delivery.file().ouid();
        assertThat(changes(tenantId)).containsExactly(
                "file CREATE " + ouid + " v1",
                "file UPDATE " + ouid + " v2",
                "delivery CREATE " + delivery.fileId() + " v1",
                "delivery UPDATE " + delivery.fileId() + " v2",   // downloaded by the subscriber
                "delivery UPDATE " + delivery.fileId() + " v3");  // deleted by the subscriber: the others still have it
    }

    /**
     * A subscriber's list's count is used again, with only the page read, until a write of the
     * tenant commits on this node: a publication, the subscriber's download or delete. Another
     * subscriber counts for itself.
     */
    @Test
    void aSubscribersListCountIsUsedAgainUntilAWriteOfItsTenantCommits() throws IOException {
        var tenantId = tenant();
        var publisher = asClient(identities.createClient(tenantId, ClientKind.OAUTH, "publisher", null, Set.of()).client(), tenantId);
        var subscriber = asClient(identities.createClient(tenantId, ClientKind.OAUTH, "subscriber", null, Set.of()).client(), tenantId);
        var other = asClient(identities.createClient(tenantId, ClientKind.OAUTH, "other subscriber", null, Set.of()).client(), tenantId);
        deliveries.authorize(tenantId, publisher.clientId(), DeliveryRole.PUBLISHER, Set.of(10L));
        deliveries.authorize(tenantId, subscriber.clientId(), DeliveryRole.SUBSCRIBER, Set.of(10L));
        deliveries.authorize(tenantId, other.clientId(), DeliveryRole.SUBSCRIBER, Set.of(10L));
        java.util.function.Supplier<String> publish = () -> {
            try {
                return deliveries.publish(publisher, 10, "payslip.pdf", new ByteArrayInputStream(FilesAndDocumentsTest.PDF), MAX_BYTES).fileId();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        var first = publish.get();
        publish.get();
        java.util.function.Function<Caller, TestDatabase.Counted<Long>> list = caller -> testDatabase.statements(
                () -> deliveries.list(caller, null, List.of(), new io.dossier.core.paging.Page(0, 10, true)).count());

        var counted = list.apply(subscriber);
        assertThat(counted.result()).isEqualTo(2L);
        assertThat(counted.statements()).isGreaterThan(1);
        assertThat(list.apply(subscriber)).isEqualTo(new TestDatabase.Counted<>(2L, 1));   // the page alone
        assertThat(list.apply(other).statements()).as("another subscriber counts for itself").isGreaterThan(1);
        publish.get();
        assertThat(list.apply(subscriber).statements()).as("counted again").isGreaterThan(1);
        assertThat(list.apply(subscriber)).isEqualTo(new TestDatabase.Counted<>(3L, 1));
        deliveries.markDownloaded(subscriber, deliveries.forSubscriber(subscriber, first));
        assertThat(list.apply(subscriber).result()).as("available ones only").isEqualTo(2L);
        deliveries.delete(other, first);
        assertThat(list.apply(other).result()).isEqualTo(2L);
        var afterDelete = list.apply(subscriber);   // the other's delete is a write of the tenant
        assertThat(afterDelete.result()).isEqualTo(2L);
        assertThat(afterDelete.statements()).as("counted again").isGreaterThan(1);
    }

    @Test
    void templatesAndAttributeSetsAppendTheirCreationChangesAndDeletion() {
        var tenant = tenant();
        var template = metadata.create(new Caller.Internal(tenant, "test"), Kind.TEMPLATE, "contract", null, null, MetadataTest.CONTRACT);
        var id = Long.toString(template.id());
        metadata.update(new Caller.Internal(tenant, "test"), template.id(), "agreement", null, null, MetadataTest.CONTRACT);
        metadata.setOptions(new Caller.Internal(tenant, "test"), template.id(), "kind", List.of("lease"));
        assertFailure(() -> metadata.create(new Caller.Internal(tenant, "test"), Kind.TEMPLATE, "agreement", null, null, List.of()), Failure.Kind.CONFLICT);
        var set = metadata.create(new Caller.Internal(tenant, "test"), Kind.ATTRIBUTE_SET, "address", null, null, List.of());
        metadata.delete(new Caller.Internal(tenant, "test"), template.id());

        assertThat(changes(tenant)).containsExactly(
                "template CREATE " + id + " v1",
                "template UPDATE " + id + " v2",
                "template UPDATE " + id + " v3",
                "attribute-set CREATE " + set.id() + " v1",
                "template DELETE " + id + " v3");
    }

    @Test
    void grantsAppendTheirCreationChangesAndRevocation() {
        var tenant = tenant();
        var user = identities.createUser(tenant, "u" + UUID.randomUUID().toString().substring(0, 8), "u@example.invalid", "U", null)
                .user().id();
        var resource = Resource.container("Candidate", "c1");
        access.grant(new Caller.Internal(tenant, "test"), resource, new Subject.User(user), Permissions.of(Permission.READ));
        access.grant(new Caller.Internal(tenant, "test"), resource, new Subject.User(user), Permissions.of(Permission.READ, Permission.WRITE));
        access.revoke(new Caller.Internal(tenant, "test"), resource, new Subject.User(user));
        access.revoke(new Caller.Internal(tenant, "test"), resource, new Subject.User(user));   // nothing held: nothing changes
        assertFailure(() -> access.grant(new Caller.Internal(tenant, "test"), resource, new Subject.User(999_999_999), Permissions.of(Permission.READ)),
                Failure.Kind.NOT_FOUND);

        var id = AccessService.entityId(resource, new Subject.User(user));
        assertThat(id).isEqualTo("user:" + user + "@container:Candidate/c1");
        assertThat(changes(tenant)).containsExactly("grant CREATE " + id + " v1", "grant UPDATE " + id + " v2", "grant DELETE " + id + " v2");
    }

    // ---- reading

    @Test
    void theCursorPagesThroughEverythingOnceAndWaitsAtTheEndForWhatComesNext() {
        var tenant = tenant();
        var uids = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            uids.add(addCandidate(tenant, "N" + i));
        }
        var seen = new ArrayList<String>();
        String cursor = null;
        ChangePage page;
        do {
            page = settled().changes(tenant, Set.of(), cursor, null, null, 3);
            page.changes().forEach(c -> seen.add(c.entityId()));
            cursor = page.next();
        } while (!page.changes().isEmpty());
        assertThat(seen).isEqualTo(uids);

        var later = addCandidate(tenant, "Later");
        assertThat(settled().changes(tenant, Set.of(), cursor, null, null, 3).changes()).extracting(Change::entityId).containsExactly(later);
        assertThat(settled().changes(tenant, Set.of("document"), null, null, null, 3).changes()).isEmpty();
    }

    @Test
    void aTamperedForgedOrForeignCursorIsRefused() {
        var tenant = tenant();
        var other = tenant();
        addCandidate(tenant, "A");
        addCandidate(tenant, "B");
        var cursor = settled().changes(tenant, Set.of(), null, null, null, 1).next();
        assertThat(settled().changes(tenant, Set.of(), cursor, null, null, 10).changes()).hasSize(1);

        var bytes = Base64.getUrlDecoder().decode(cursor);
        bytes[16] ^= 1;   // the position's last byte
        var altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        for (var bad : List.of(altered, cursor.substring(1), cursor + "A", "AAAA", "not a cursor!", "")) {
            if (bad.isEmpty()) {
                continue;   // empty is "from the start"
            }
            assertFailure(() -> feed.changes(tenant, Set.of(), bad, null, null, 10), Failure.Kind.INVALID);
        }
        assertFailure(() -> feed.changes(other, Set.of(), cursor, null, null, 10), Failure.Kind.INVALID);
        assertFailure(() -> feed.changes(tenant, Set.of(), null, null, null, 0), Failure.Kind.INVALID);
        assertFailure(() -> feed.changes(tenant, Set.of(), null, null, null, ChangeFeed.MAX_PAGE + 1), Failure.Kind.INVALID);
    }

    @Test
    void aReaderOfOneTenantNeverSeesAnotherTenantsChanges() {
        var a = tenant();
        var b = tenant();
        var inA = addCandidate(a, "A");
        var inB = addCandidate(b, "B");
        documents.attach(caller(b), "Candidate", inB, upload(b, "b.pdf").ouid(), null, null, Map.of());

        assertThat(settled().changes(a, Set.of(), null, null, null, 100).changes()).extracting(Change::entityId).containsExactly(inA);
        assertThat(settled().changes(a, Set.of(), null, null, null, 100).changes()).allMatch(c -> c.tenantId() == a);
        assertThat(settled().changes(b, Set.of(), null, null, null, 100).changes()).hasSize(5).allMatch(c -> c.tenantId() == b);
    }

    @Test
    void aFilteredClientSeesTheChangesAndTombstonesOfRecordsInsideItsFilterOnly() {
        var tenant = tenant();
        var filter = new io.dossier.core.query.Condition.Compare("statusId", io.dossier.core.query.Condition.Op.EQ, 1);
        var client = identities.createClient(tenant, ClientKind.OAUTH, "filtered", null, Set.of()).client();
        recordFilters.put(tenant, client.id(), "Candidate", filter);
        var filtered = new Caller.AsClient(tenant, client.id(), client.publicId(), null, Set.of(), new RecordFilters(Map.of("Candidate", filter)));

        var inside = candidateWithStatus(tenant, "Inside", 1);
        var outside = candidateWithStatus(tenant, "Outside", 2);
        var goneInside = candidateWithStatus(tenant, "Gone inside", 1);
        var goneOutside = candidateWithStatus(tenant, "Gone outside", 2);
        records.delete(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, goneInside);
        records.delete(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, goneOutside);
        documents.attach(caller(tenant), "Candidate", outside, upload(tenant, "f.pdf").ouid(), null, null, Map.of());

        settled();
        var seen = walk.changes(filtered, Set.of(), null, null, null, 100);
        assertThat(seen.changes()).extracting(ChangeFeedWritesTest::summary).containsExactly(
                CANDIDATE + " CREATE " + inside + " v1",
                CANDIDATE + " UPDATE " + inside + " v2",
                "record-status:Candidate UPDATE " + inside + " v2",
                CANDIDATE + " DELETE " + goneInside + " v2",      // its filter held it when it was deleted
                "file CREATE " + seen.changes().get(4).entityId() + " v1",   // files and documents are not records: not filtered here
                "file UPDATE " + seen.changes().get(4).entityId() + " v2",
                "document CREATE " + seen.changes().get(6).entityId() + " v1");
        assertThat(walk.changes(filtered, Set.of(), seen.next(), null, null, 100).changes()).isEmpty();
        assertThat(walk.changes(caller(tenant), Set.of(), null, null, null, 100).changes()).as("a user sees everything").hasSize(18);

        var walked = walk.page(filtered, SqlRecordRepositoryTest.CANDIDATE, null, null, null, true, null, null, 100);
        assertThat(walked.items()).extracting(RecordWalk.Item::uid).containsExactly(inside, goneInside);
        assertThat(walked.items().get(1).deleted()).isTrue();

        var later = identities.createClient(tenant, ClientKind.OAUTH, "filtered later", null, Set.of()).client();
        recordFilters.put(tenant, later.id(), "Candidate", filter);
        var filteredLater = new Caller.AsClient(tenant, later.id(), later.publicId(), null, Set.of(), new RecordFilters(Map.of("Candidate", filter)));
        assertThat(walk.page(filteredLater, SqlRecordRepositoryTest.CANDIDATE, null, null, null, true, null, null, 100).items())
                .as("a filter set after a deletion does not reach back").extracting(RecordWalk.Item::uid).containsExactly(inside);
    }

    /**
     * A caller no filter limits walks the feed and the records in one read: each record once, at
     * the change that made its current version, with its fields as they are now; a deleted one as a
     * tombstone; never a record of another tenant, even one with the same uid.
     */
    @Test
    void anUnfilteredWalkReadsEachRecordOnceWithItsOwnTenantsFieldsAndTombstonesForTheDeleted() {
        var a = tenant();
        var b = tenant();
        var first = addCandidate(a, "First");
        var changed = addCandidate(a, "Changed");
        var gone = addCandidate(a, "Gone");
        var last = addCandidate(a, "Last");
        records.update(caller(a), SqlRecordRepositoryTest.CANDIDATE, changed, Map.of("Person", Map.of("lastName", "Changed again")), "en");
        records.delete(caller(a), SqlRecordRepositoryTest.CANDIDATE, gone);
        for (var uid : List.of(first, changed, gone, last)) {   // tenant b's records may share a's uids: they must never show in a's walk
            var inB = addCandidate(b, "B's " + uid);
            assertThat(inB).isNotNull();
        }
        settled();

        var walked = new ArrayList<RecordWalk.Item>();
        String cursor = null;
        int pages = 0;
        do {
            var page = walk.page(caller(a), SqlRecordRepositoryTest.CANDIDATE, null, null, null, true, null, cursor, 2);
            walked.addAll(page.items());
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(walked).extracting(RecordWalk.Item::uid).containsExactly(first, last, changed, gone);
        assertThat(walked.get(3).deleted()).isTrue();
        var lastNames = walked.stream().filter(item -> !item.deleted())
                .map(item -> String.valueOf(((Map<?, ?>) item.fields().get("Person")).get("lastName"))).toList();
        assertThat(lastNames).containsExactly("First", "Last", "Changed again");
    }

    /**
     * The next page of a walk no filter limits is read ahead while this one is sent: asked for, it
     * is served from that read, with no statement on the asking thread. A record changed after it
     * was read ahead comes again at its new change, with its new fields, so the walk still ends with
     * every record as it is.
     */
    @Test
    void theNextPageOfAnUnfilteredWalkIsReadAheadAndARecordChangedAfterThatComesAgainAsItIsNow() {
        var tenant = tenant();
        var uids = new ArrayList<String>();
        for (int i = 0; i < 6; i++) {
            uids.add(addCandidate(tenant, "Name " + i));
        }
        settled();
        var first = walk.page(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, null, null, null, true, null, null, 2);
        assertThat(first.items()).extracting(RecordWalk.Item::uid).containsExactly(uids.get(0), uids.get(1));

        // the second page was read ahead: asking for it runs no statement on this thread
        var asked = testDatabase.statements(
                () -> walk.page(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, null, null, null, true, null, first.next(), 2));
        var second = asked.result();
        assertThat(asked.statements()).as("statements on the asking thread").isZero();
        assertThat(second.items()).extracting(RecordWalk.Item::uid).containsExactly(uids.get(2), uids.get(3));

        // the third page is being read ahead now; a record of it changes
        records.update(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uids.get(4), Map.of("Person", Map.of("lastName", "Changed")), "en");
        settled();
        var walked = new ArrayList<RecordWalk.Item>();
        var cursor = second.next();
        for (int pages = 0; cursor != null && pages < 10; pages++) {
            var page = walk.page(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, null, null, null, true, null, cursor, 2);
            walked.addAll(page.items());
            cursor = page.next();
        }
        var lastSeen = new java.util.LinkedHashMap<String, Object>();
        walked.forEach(item -> lastSeen.put(item.uid(), ((Map<?, ?>) item.fields().get("Person")).get("lastName")));
        assertThat(lastSeen).containsEntry(uids.get(4), "Changed").containsEntry(uids.get(5), "Name 5").hasSize(2);
        assertThat(walked.getLast().uid()).as("the changed record comes last, at its new change").isEqualTo(uids.get(4));
    }

    private String candidateWithStatus(long tenant, String lastName, int status) {
        var uid = addCandidate(tenant, lastName);
        records.update(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid, Map.of("statusId", status), "en");
        return uid;
    }

    @Test
    void tombstonesAreCollectedOnlyAfterTheirLifetime() {
        var tenant = tenant();
        var gone = addCandidate(tenant, "Gone");
        records.delete(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, gone);
        clock.advance(Duration.ofDays(29));
        collectAll();
        assertThat(changes(tenant)).as("29 days on, the tombstone stays").hasSize(2);
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        collectAll();
        assertThat(changes(tenant)).as("after 30 days it goes; the rest of the feed stays").containsExactly(CANDIDATE + " CREATE " + gone + " v1");
    }

    private void collectAll() {
        while (feed.collectTombstones(100) == 100) {
            // other tests' tombstones go too
        }
    }

    /**
     * Eight writers add and update records and attach documents through the services, while a
     * reader pages with the cursor as fast as it can, 7 at a time. It must see every change once,
     * in feed order: exactly the feed as it reads after the writers are done.
     */
    @Test
    void aReaderPagingWithTheCursorWhileEightWritersUseTheServicesNeverSkipsOrRepeats() throws Exception {
        var tenant = tenant();
        var writing = new AtomicBoolean(true);
        var seen = new ArrayList<Long>();
        try (var pool = Executors.newFixedThreadPool(9)) {
            var writers = new ArrayList<Future<?>>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 12; i++) {
                        var uid = addCandidate(tenant, "W" + writer + "-" + i);
                        records.update(caller(tenant), SqlRecordRepositoryTest.CANDIDATE, uid, Map.of("statusId", i), "en");
                        if (i % 4 == 0) {
                            documents.attach(caller(tenant), "Candidate", uid, upload(tenant, "d.pdf").ouid(), null, null, Map.of());
                        }
                    }
                    return null;
                }));
            }
            var reader = pool.submit(() -> {
                String cursor = null;
                while (true) {
                    boolean last = !writing.get();
                    if (last) {
                        testDatabase.settle();   // the writers are done: let what other runs have in flight end
                    }
                    var page = feed.changes(tenant, Set.of(), cursor, null, null, 7);
                    page.changes().forEach(c -> seen.add(c.position()));
                    cursor = page.next();
                    if (last && page.changes().isEmpty()) {
                        return null;
                    }
                }
            });
            try {
                for (var writer : writers) {
                    writer.get();
                }
            } finally {
                writing.set(false);
            }
            reader.get();
        }
        var all = settled().changes(tenant, Set.of(), null, null, null, ChangeFeed.MAX_PAGE).changes();
        // per writer: 12 adds, 12 updates each changing the status (so 12 status changes), 3 attaches (each: file
        // created, file bound, document created, and the record's document attached)
        assertThat(all).hasSize(8 * (12 + 12 + 12 + 3 * 4));
        assertThat(seen).as("every change once, in order").isEqualTo(all.stream().map(Change::position).toList());
    }
}
