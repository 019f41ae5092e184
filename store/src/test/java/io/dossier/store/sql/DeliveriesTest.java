package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.ACCESS_TOKEN;
import static io.dossier.store.sql.Tables.UPLOAD_CHUNK;
import static io.dossier.store.sql.Tables.UPLOAD_TICKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dossier.core.Failure;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredFile;
import io.dossier.core.delivery.Delivery;
import io.dossier.core.delivery.DeliveryAuthorization;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.delivery.DeliveryService;
import io.dossier.core.delivery.UploadTicket;
import io.dossier.core.delivery.DeliveryState;
import io.dossier.core.delivery.SubscribedDelivery;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.IssuedClient;
import io.dossier.core.identity.PasswordHasher;
import io.dossier.core.identity.Secrets;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Condition.Op;
import io.dossier.core.paging.Page;
import io.dossier.core.query.SortKey;
import io.dossier.core.schema.Schemas;
import io.dossier.core.tenant.Tenant;
import io.dossier.core.tenant.TenantService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.RecordFilters;
import io.dossier.core.token.TokenService;
import io.dossier.store.blob.FolderBlobStore;
import io.dossier.store.sql.FilesAndDocumentsTest.TestClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link SqlDeliveryRepository} and {@link SqlTokenRepository}, exercised through
 * the real {@link DeliveryService} and {@link TokenService} over a {@link FolderBlobStore}, once per
 * database (H2, PostgreSQL) by the subclasses. One database per class; every test works in tenants
 * of its own, and time is a test clock that only moves forward.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeliveriesTest {

    static final Duration TICKET_LIFETIME = Duration.ofHours(1);
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    static final long MAX_BYTES = 10_000_000;
    static final byte[] PDF = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private Database db;
    private Path blobFolder;
    private FolderBlobStore blobs;
    private SqlDeliveryRepository deliveries;
    private SqlTokenRepository tokenRepository;
    private TenantService tenants;
    private IdentityService identities;
    private ContentService content;
    private io.dossier.core.change.ChangeFeed feed;
    private DeliveryService service;
    private TokenService tokens;
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

    /** A new, empty database; aborts the test (reported as skipped) when this kind of database is not available. */
    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;

    @BeforeEach
    void open() throws IOException {
        if (db == null) {
            testDatabase = newDatabase();
            db = testDatabase.database();
            blobFolder = Files.createTempDirectory("dossier-deliveries-");
            blobs = new FolderBlobStore(blobFolder);
            var tenantRepository = new SqlTenantRepository(db);
            deliveries = new SqlDeliveryRepository(db);
            tokenRepository = new SqlTokenRepository(db);
            tenants = new TenantService(tenantRepository);
            identities = new IdentityService(new SqlIdentityRepository(db), tenantRepository, new PasswordHasher(1_000));
            feed = testDatabase.changeFeed(clock);
            content = new ContentService(blobs, new SqlFileRepository(db), clock, Duration.ofHours(1), Duration.ofMinutes(10), feed);
            // every list counts: tests here write behind the service's back, as another node would (ChangeFeedWritesTest keeps counts)
            service = new DeliveryService(deliveries, content, db, clock, Schemas.definition("definitions/fileapi/delivery.def"),
                    TICKET_LIFETIME, feed, Duration.ofSeconds(2), Duration.ZERO);
            tokens = new TokenService(identities, tenants, tokenRepository,
                    new io.dossier.core.access.Callers(new SqlIdentityRepository(db), new SqlRecordFilterRepository(db), name -> java.util.Optional.empty(),
                            Duration.ofSeconds(2)),
                    clock, TOKEN_LIFETIME, Duration.ofSeconds(2));
        }
    }

    @AfterAll
    void close() throws IOException {
        if (db != null) {
            testDatabase.close();
        }
        if (blobFolder != null) {
            try (var paths = Files.walk(blobFolder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- authorization

    @Test
    void authorizationsArePerRoleAndBusinessTypeAndTenant() {
        var tenant = tenant();
        var other = tenant();
        var app = client(tenant);

        service.authorize(tenant.id(), app.id(), DeliveryRole.PUBLISHER, Set.of(1L, 2L));
        service.authorize(tenant.id(), app.id(), DeliveryRole.SUBSCRIBER, Set.of(2L));
        service.authorize(tenant.id(), app.id(), DeliveryRole.PUBLISHER, Set.of(1L));   // again: no change
        service.authorize(other.id(), app.id(), DeliveryRole.SUBSCRIBER, Set.of(9L));

        assertThat(service.authorizations(tenant.id(), app.id())).containsExactly(
                new DeliveryAuthorization(app.id(), tenant.id(), DeliveryRole.PUBLISHER, 1),
                new DeliveryAuthorization(app.id(), tenant.id(), DeliveryRole.PUBLISHER, 2),
                new DeliveryAuthorization(app.id(), tenant.id(), DeliveryRole.SUBSCRIBER, 2));
        assertThat(service.authorizations(other.id(), app.id())).containsExactly(
                new DeliveryAuthorization(app.id(), other.id(), DeliveryRole.SUBSCRIBER, 9));

        assertThat(deliveries.revoke(new DeliveryAuthorization(app.id(), tenant.id(), DeliveryRole.PUBLISHER, 2))).isTrue();
        assertThat(deliveries.revoke(new DeliveryAuthorization(app.id(), tenant.id(), DeliveryRole.PUBLISHER, 2))).isFalse();
        assertThat(deliveries.revoke(new DeliveryAuthorization(app.id(), other.id(), DeliveryRole.SUBSCRIBER, 2))).isFalse();
        assertThat(service.authorizations(tenant.id(), app.id())).extracting(DeliveryAuthorization::businessType).containsExactly(1L, 2L);
    }

    // ---- publishing and visibility

    @Test
    void aPublishedFileIsVisibleToAuthorizedSubscribersOnly() throws IOException {
        var tenant = tenant();
        var elsewhere = tenant();
        var publisher = client(tenant);
        var subscriber = client(tenant);
        var otherType = client(tenant);
        var unauthorized = client(tenant);
        var foreign = client(elsewhere);
        service.authorize(tenant.id(), publisher.id(), DeliveryRole.PUBLISHER, Set.of(10L, 20L));
        service.authorize(tenant.id(), subscriber.id(), DeliveryRole.SUBSCRIBER, Set.of(10L));
        service.authorize(tenant.id(), otherType.id(), DeliveryRole.SUBSCRIBER, Set.of(20L));
        service.authorize(elsewhere.id(), foreign.id(), DeliveryRole.SUBSCRIBER, Set.of(10L));
        service.authorize(elsewhere.id(), foreign.id(), DeliveryRole.PUBLISHER, Set.of(10L));

        var delivery = publish(grant(publisher, tenant), 10, "payslip.pdf");

        assertThat(delivery.fileId()).hasSize(36);
        assertThat(delivery.tenantId()).isEqualTo(tenant.id());
        assertThat(delivery.businessType()).isEqualTo(10);
        assertThat(delivery.publisherClientId()).isEqualTo(publisher.id());
        assertThat(delivery.publisherId()).isEqualTo(publisher.publicId());
        assertThat(delivery.uploadDate()).isEqualTo(clock.instant());
        assertThat(delivery.file().name()).isEqualTo("payslip.pdf");
        assertThat(delivery.file().mediaType()).isEqualTo("application/pdf");
        assertThat(delivery.file().size()).isEqualTo(PDF.length);
        assertThat(delivery.file().state()).isEqualTo(StoredFile.State.BOUND);
        assertThat(deliveries.find(tenant.id(), delivery.fileId())).contains(delivery);

        var seen = service.list(grant(subscriber, tenant), null, List.of(), Page.number(0, 10, false));
        assertThat(seen.items()).containsExactly(new SubscribedDelivery(delivery, DeliveryState.AVAILABLE));
        assertThat(seen.count()).isEqualTo(1);
        assertThat(service.forSubscriber(grant(subscriber, tenant), delivery.fileId())).isEqualTo(delivery);

        // another business type, another tenant, no role at all
        assertThat(service.list(grant(otherType, tenant), all(), List.of(), Page.number(0, 10, false)).items()).isEmpty();
        assertFailure(() -> service.forSubscriber(grant(otherType, tenant), delivery.fileId()), Failure.Kind.FORBIDDEN);
        assertThat(service.list(grant(foreign, elsewhere), all(), List.of(), Page.number(0, 10, false)).count()).isZero();
        assertFailure(() -> service.forSubscriber(grant(foreign, elsewhere), delivery.fileId()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.list(grant(unauthorized, tenant), null, List.of(), Page.number(0, 10, false)), Failure.Kind.FORBIDDEN);
        assertFailure(() -> service.forSubscriber(grant(unauthorized, tenant), delivery.fileId()), Failure.Kind.FORBIDDEN);
        assertThat(deliveries.find(elsewhere.id(), delivery.fileId())).isEmpty();

        // publishing needs the publisher role for that business type
        assertFailure(() -> publish(grant(publisher, tenant), 30, "x.pdf"), Failure.Kind.FORBIDDEN);
        assertFailure(() -> publish(grant(subscriber, tenant), 10, "x.pdf"), Failure.Kind.FORBIDDEN);

        var second = publish(grant(publisher, tenant), 20, "second.pdf");
        publish(grant(foreign, elsewhere), 10, "foreign.pdf");
        assertThat(service.list(grant(otherType, tenant), null, List.of(), Page.number(0, 10, false)).items())
                .extracting(i -> i.delivery().fileId()).containsExactly(second.fileId());
        assertThat(service.published(grant(publisher, tenant), Page.number(0, 10, false))).containsExactly(second, delivery);
        assertThat(service.published(grant(publisher, tenant), Page.number(1, 1, false))).containsExactly(delivery);
        assertThat(service.countPublished(grant(publisher, tenant))).isEqualTo(2);
        assertThat(deliveries.published(elsewhere.id(), publisher.id(), 0, 10)).isEmpty();
        assertThat(deliveries.countPublished(elsewhere.id(), publisher.id())).isZero();
        assertFailure(() -> service.published(grant(subscriber, tenant), Page.number(0, 10, false)), Failure.Kind.FORBIDDEN);
    }

    @Test
    void eachSubscriberKeepsItsOwnState() throws IOException {
        var tenant = tenant();
        var publisher = publisher(tenant, 5L);
        var first = subscriber(tenant, 5L);
        var second = subscriber(tenant, 5L);
        var delivery = publish(grant(publisher, tenant), 5, "contract.pdf");

        service.markDownloaded(grant(first, tenant), service.forSubscriber(grant(first, tenant), delivery.fileId()));

        assertThat(deliveries.state(tenant.id(), delivery.fileId(), first.id())).isEqualTo(DeliveryState.DOWNLOADED);
        assertThat(deliveries.state(tenant.id(), delivery.fileId(), second.id())).isEqualTo(DeliveryState.AVAILABLE);
        assertThat(names(grant(first, tenant), null)).isEmpty();
        assertThat(names(grant(first, tenant), status(Op.EQ, "downloaded"))).containsExactly("contract.pdf");
        assertThat(service.list(grant(first, tenant), all(), List.of(), Page.number(0, 10, false)).items())
                .containsExactly(new SubscribedDelivery(delivery, DeliveryState.DOWNLOADED));
        assertThat(names(grant(second, tenant), null)).containsExactly("contract.pdf");
        assertThat(names(grant(second, tenant), status(Op.EQ, "downloaded"))).isEmpty();

        service.delete(grant(second, tenant), delivery.fileId());

        assertThat(deliveries.state(tenant.id(), delivery.fileId(), second.id())).isEqualTo(DeliveryState.DELETED);
        assertThat(names(grant(second, tenant), all())).isEmpty();
        assertThat(names(grant(second, tenant), status(Op.NE, "available"))).isEmpty();
        assertThat(service.list(grant(second, tenant), all(), List.of(), Page.number(0, 10, false)).count()).isZero();
        assertFailure(() -> service.forSubscriber(grant(second, tenant), delivery.fileId()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.delete(grant(second, tenant), delivery.fileId()), Failure.Kind.NOT_FOUND);
        assertThat(names(grant(first, tenant), all())).containsExactly("contract.pdf");
        assertThat(deliveries.state(tenant.id(), delivery.fileId(), first.id())).isEqualTo(DeliveryState.DOWNLOADED);

        // a download after a delete changes nothing; the first subscriber may still delete its own
        service.markDownloaded(grant(second, tenant), delivery);
        assertThat(deliveries.state(tenant.id(), delivery.fileId(), second.id())).isEqualTo(DeliveryState.DELETED);
        service.delete(grant(first, tenant), delivery.fileId());
        assertThat(names(grant(first, tenant), all())).isEmpty();
        assertThat(deliveries.find(tenant.id(), delivery.fileId())).isPresent();
    }

    @Test
    void aSubscribersNextRangeReadsNothingAndAChangeMadeElsewhereHoldsWithinTheCacheTime() throws Exception {
        var tenant = tenant();
        var elsewhere = tenant();
        var publisher = publisher(tenant, 6L);
        var subscriber = subscriber(tenant, 6L);
        var other = subscriber(tenant, 6L);
        var foreign = subscriber(elsewhere, 6L);
        var delivery = publish(grant(publisher, tenant), 6, "slip.pdf");
        // two nodes: one keeping authorizations and found deliveries for an hour, one for 300 ms; the
        // changes below go straight to the database, as another node's do
        var kept = new DeliveryService(deliveries, content, db, clock, Schemas.definition("definitions/fileapi/delivery.def"),
                TICKET_LIFETIME, feed, Duration.ofHours(1), Duration.ZERO);
        var node = new DeliveryService(deliveries, content, db, clock, Schemas.definition("definitions/fileapi/delivery.def"),
                TICKET_LIFETIME, feed, Duration.ofMillis(300), Duration.ZERO);

        var cold = testDatabase.statements(() -> kept.forSubscriber(grant(subscriber, tenant), delivery.fileId()));
        assertThat(cold.result()).isEqualTo(delivery);
        assertThat(cold.statements()).as("the delivery with this subscriber's state, and its authorizations").isEqualTo(2);
        var warm = testDatabase.statements(() -> kept.forSubscriber(grant(subscriber, tenant), delivery.fileId()));
        assertThat(warm.result()).isEqualTo(delivery);
        assertThat(warm.statements()).as("the next range: the delivery and the authorizations kept").isZero();

        // kept for this subscriber of this tenant only: another reads its own state, a foreign tenant finds nothing
        deliveries.setState(tenant.id(), delivery.fileId(), other.id(), DeliveryState.DELETED, clock.instant());
        assertFailure(() -> kept.forSubscriber(grant(other, tenant), delivery.fileId()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> kept.forSubscriber(grant(foreign, elsewhere), delivery.fileId()), Failure.Kind.NOT_FOUND);

        // deleted through another node: a node may still hand it out within its cache time, not after
        assertThat(node.forSubscriber(grant(subscriber, tenant), delivery.fileId())).isEqualTo(delivery);
        deliveries.setState(tenant.id(), delivery.fileId(), subscriber.id(), DeliveryState.DELETED, clock.instant());
        assertThat(kept.forSubscriber(grant(subscriber, tenant), delivery.fileId())).isEqualTo(delivery);
        Thread.sleep(350);
        assertFailure(() -> node.forSubscriber(grant(subscriber, tenant), delivery.fileId()), Failure.Kind.NOT_FOUND);
        deliveries.setState(tenant.id(), delivery.fileId(), subscriber.id(), DeliveryState.AVAILABLE, clock.instant());

        // an authorization revoked elsewhere holds within the cache time
        assertThat(node.forSubscriber(grant(subscriber, tenant), delivery.fileId())).isEqualTo(delivery);
        assertThat(deliveries.revoke(new DeliveryAuthorization(subscriber.id(), tenant.id(), DeliveryRole.SUBSCRIBER, 6))).isTrue();
        Thread.sleep(350);   // the cache time: until then this node may still allow it
        assertFailure(() -> node.forSubscriber(grant(subscriber, tenant), delivery.fileId()), Failure.Kind.FORBIDDEN);

        // an authorization made through this node holds at once
        node.authorize(tenant.id(), subscriber.id(), DeliveryRole.SUBSCRIBER, Set.of(6L));
        assertThat(node.forSubscriber(grant(subscriber, tenant), delivery.fileId())).isEqualTo(delivery);
        // a delivery kept is still checked against the authorizations: read again without its type, it is refused
        deliveries.revoke(new DeliveryAuthorization(subscriber.id(), tenant.id(), DeliveryRole.SUBSCRIBER, 6));
        kept.authorize(tenant.id(), subscriber.id(), DeliveryRole.SUBSCRIBER, Set.of(7L));   // that node reads them again
        assertFailure(() -> kept.forSubscriber(grant(subscriber, tenant), delivery.fileId()), Failure.Kind.FORBIDDEN);
        kept.authorize(tenant.id(), subscriber.id(), DeliveryRole.SUBSCRIBER, Set.of(6L));
        assertThat(kept.forSubscriber(grant(subscriber, tenant), delivery.fileId())).isEqualTo(delivery);
        // and a subscriber that deleted the delivery through a node no longer finds it there, at once
        kept.delete(grant(subscriber, tenant), delivery.fileId());
        var deleted = testDatabase.statements(() -> catchThrowable(() -> kept.forSubscriber(grant(subscriber, tenant), delivery.fileId())));
        assertThat(deleted.result()).isInstanceOf(Failure.class);
        assertThat(((Failure) deleted.result()).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(deleted.statements()).isEqualTo(1);
    }

    @Test
    void withTheWrongTenantStatesAndTicketsAreNeitherFoundNorChanged() throws IOException {
        var tenant = tenant();
        var other = tenant();
        var publisher = publisher(tenant, 1L);
        var subscriber = subscriber(tenant, 1L);
        var delivery = publish(grant(publisher, tenant), 1, "a.pdf");

        deliveries.setState(other.id(), delivery.fileId(), subscriber.id(), DeliveryState.DELETED, clock.instant());
        assertThat(deliveries.state(tenant.id(), delivery.fileId(), subscriber.id())).isEqualTo(DeliveryState.AVAILABLE);
        deliveries.setState(tenant.id(), delivery.fileId(), subscriber.id(), DeliveryState.DOWNLOADED, clock.instant());
        deliveries.setState(other.id(), delivery.fileId(), subscriber.id(), DeliveryState.DELETED, clock.instant());
        assertThat(deliveries.state(tenant.id(), delivery.fileId(), subscriber.id())).isEqualTo(DeliveryState.DOWNLOADED);
        assertThat(deliveries.state(other.id(), delivery.fileId(), subscriber.id())).isEqualTo(DeliveryState.AVAILABLE);
        assertThat(deliveries.search(other.id(), subscriber.id(), Set.of(1L), all(), List.of(), 0, 10, true).count()).isZero();

        var token = service.startResumable(grant(publisher, tenant), 1, "r.bin", bytes(10), MAX_BYTES);
        assertThat(deliveries.lockTicket(other.id(), Secrets.hash(token))).isEmpty();
        assertThat(deliveries.lockTicket(tenant.id(), Secrets.hash(token))).isPresent();
        assertFailure(() -> service.appendChunk(grant(publisher, other), token, 1, false, bytes(10), MAX_BYTES),
                Failure.Kind.NOT_FOUND);
    }

    // ---- filters

    /** Four deliveries, one second apart, the newest downloaded by the subscriber. */
    private record Fixture(Caller.AsClient subscriber, List<Delivery> published) {
        Instant time(int index) {
            return published.get(index).uploadDate();
        }
    }

    private Fixture fixture() throws IOException {
        var tenant = tenant();
        var publisher = publisher(tenant, 1L, 2L, 3L);
        var subscriber = grant(subscriber(tenant, 1L, 2L), tenant);
        var published = List.of(
                publish(grant(publisher, tenant), 1, "alpha.pdf"),
                publish(grant(publisher, tenant), 2, "beta_report.txt"),
                publish(grant(publisher, tenant), 1, "gamma%.pdf"),
                publish(grant(publisher, tenant), 2, "delta.txt"));
        publish(grant(publisher, tenant), 3, "epsilon.pdf");   // a type the subscriber does not take
        service.markDownloaded(subscriber, published.get(3));
        return new Fixture(subscriber, published);
    }

    @Test
    void filtersOnUploadDate() throws IOException {
        var f = fixture();
        var s = f.subscriber();
        assertThat(names(s, and(cmp("uploadDate", Op.EQ, f.time(1)), all()))).containsExactly("beta_report.txt");
        assertThat(names(s, and(cmp("uploadDate", Op.NE, f.time(1)), all()))).containsExactly("delta.txt", "gamma%.pdf", "alpha.pdf");
        assertThat(names(s, and(cmp("uploadDate", Op.GE, f.time(1)), all()))).containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt");
        assertThat(names(s, and(cmp("uploadDate", Op.GT, f.time(1)), all()))).containsExactly("delta.txt", "gamma%.pdf");
        assertThat(names(s, and(cmp("uploadDate", Op.LE, f.time(1)), all()))).containsExactly("beta_report.txt", "alpha.pdf");
        assertThat(names(s, and(cmp("uploadDate", Op.LT, f.time(1)), all()))).containsExactly("alpha.pdf");
        // as a File API client writes it: text, typed by the definition
        assertThat(names(s, and(cmp("uploadDate", Op.GE, f.time(2).toString()), all()))).containsExactly("delta.txt", "gamma%.pdf");
        // implicitly available: the downloaded newest one is left out
        assertThat(names(s, cmp("uploadDate", Op.GE, f.time(2)))).containsExactly("gamma%.pdf");
    }

    @Test
    void filtersOnBusinessType() throws IOException {
        var f = fixture();
        var s = f.subscriber();
        assertThat(names(s, and(cmp("businessType", Op.EQ, 1L), all()))).containsExactly("gamma%.pdf", "alpha.pdf");
        assertThat(names(s, and(cmp("businessType", Op.NE, "1"), all()))).containsExactly("delta.txt", "beta_report.txt");
        assertThat(names(s, and(cmp("businessType", Op.GE, 2), all()))).containsExactly("delta.txt", "beta_report.txt");
        assertThat(names(s, and(cmp("businessType", Op.GT, 1), all()))).containsExactly("delta.txt", "beta_report.txt");
        assertThat(names(s, and(cmp("businessType", Op.LE, 1), all()))).containsExactly("gamma%.pdf", "alpha.pdf");
        assertThat(names(s, and(cmp("businessType", Op.LT, 1), all()))).isEmpty();
        // a business type the subscriber does not take stays invisible even when asked for
        assertThat(names(s, and(cmp("businessType", Op.EQ, 3), all()))).isEmpty();
        assertThat(names(s, cmp("businessType", Op.EQ, 2))).containsExactly("beta_report.txt");
        assertFailure(() -> names(s, cmp("businessType", Op.EQ, "two")), Failure.Kind.INVALID);
    }

    @Test
    void filtersOnFileName() throws IOException {
        var f = fixture();
        var s = f.subscriber();
        assertThat(names(s, and(cmp("fileName", Op.EQ, "alpha.pdf"), all()))).containsExactly("alpha.pdf");
        assertThat(names(s, and(cmp("fileName", Op.NE, "alpha.pdf"), all()))).containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt");
        assertThat(names(s, and(cmp("fileName", Op.GE, "c"), all()))).containsExactly("delta.txt", "gamma%.pdf");
        assertThat(names(s, and(cmp("fileName", Op.GT, "delta.txt"), all()))).containsExactly("gamma%.pdf");
        assertThat(names(s, and(cmp("fileName", Op.LE, "beta_report.txt"), all()))).containsExactly("beta_report.txt", "alpha.pdf");
        assertThat(names(s, and(cmp("fileName", Op.LT, "b"), all()))).containsExactly("alpha.pdf");
        assertThat(names(s, and(cmp("fileName", Op.STARTS_WITH, "beta_"), all()))).containsExactly("beta_report.txt");
        assertThat(names(s, and(cmp("fileName", Op.ENDS_WITH, ".pdf"), all()))).containsExactly("gamma%.pdf", "alpha.pdf");
        assertThat(names(s, and(cmp("fileName", Op.CONTAINS, "a_r"), all()))).containsExactly("beta_report.txt");
        // % and _ are themselves, not wildcards
        assertThat(names(s, and(cmp("fileName", Op.CONTAINS, "%"), all()))).containsExactly("gamma%.pdf");
        assertThat(names(s, and(cmp("fileName", Op.STARTS_WITH, "b_t"), all()))).isEmpty();
        assertThat(names(s, and(cmp("fileName", Op.ENDS_WITH, "_"), all()))).isEmpty();
        // case-sensitive, like every text comparison of the condition compilers
        assertThat(names(s, and(cmp("fileName", Op.CONTAINS, "ALPHA"), all()))).isEmpty();
        // startsWith(fileName,'a') eq false
        assertThat(names(s, and(new Condition.Not(cmp("fileName", Op.STARTS_WITH, "a")), all())))
                .containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt");
        assertThat(names(s, new Condition.Not(cmp("fileName", Op.STARTS_WITH, "a")))).containsExactly("gamma%.pdf", "beta_report.txt");
    }

    @Test
    void filtersOnStatus() throws IOException {
        var f = fixture();
        var s = f.subscriber();
        var available = List.of("gamma%.pdf", "beta_report.txt", "alpha.pdf");
        assertThat(names(s, null)).isEqualTo(available);
        assertThat(names(s, status(Op.EQ, "available"))).isEqualTo(available);
        assertThat(names(s, status(Op.EQ, "downloaded"))).containsExactly("delta.txt");
        assertThat(names(s, status(Op.EQ, "all"))).containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt", "alpha.pdf");
        assertThat(names(s, status(Op.NE, "available"))).containsExactly("delta.txt");
        assertThat(names(s, status(Op.NE, "downloaded"))).isEqualTo(available);
        assertThat(names(s, status(Op.NE, "all"))).isEmpty();
        assertThat(names(s, new Condition.Not(status(Op.EQ, "downloaded")))).isEqualTo(available);
        assertThat(names(s, new Condition.Or(List.of(status(Op.EQ, "downloaded"), cmp("fileName", Op.EQ, "alpha.pdf")))))
                .containsExactly("delta.txt", "alpha.pdf");
        assertFailure(() -> names(s, status(Op.EQ, "deleted")), Failure.Kind.INVALID);
        assertFailure(() -> names(s, status(Op.GE, "available")), Failure.Kind.INVALID);
        assertFailure(() -> names(s, cmp("uid", Op.EQ, "x")), Failure.Kind.INVALID);
        assertFailure(() -> names(s, cmp("size", Op.EQ, 1)), Failure.Kind.INVALID);
    }

    @Test
    void filtersNestAndOrAndNot() throws IOException {
        var f = fixture();
        var s = f.subscriber();
        // (type 1 and a pdf not starting with 'g') or (type 2 and not containing 'report'), any status
        var condition = and(all(), new Condition.Or(List.of(
                and(cmp("businessType", Op.EQ, 1), cmp("fileName", Op.ENDS_WITH, ".pdf"),
                        new Condition.Not(cmp("fileName", Op.STARTS_WITH, "g"))),
                and(cmp("businessType", Op.EQ, 2), new Condition.Not(cmp("fileName", Op.CONTAINS, "report"))))));
        assertThat(names(s, condition)).containsExactly("delta.txt", "alpha.pdf");
        // the same without status: implicitly available
        var withoutStatus = new Condition.Or(List.of(cmp("uploadDate", Op.LT, f.time(1)), cmp("uploadDate", Op.GT, f.time(2))));
        assertThat(names(s, withoutStatus)).containsExactly("alpha.pdf");
        assertThat(names(s, new Condition.Not(withoutStatus))).containsExactly("gamma%.pdf", "beta_report.txt");
        assertThat(names(s, new Condition.Or(List.of()))).isEmpty();
        assertThat(names(s, new Condition.And(List.of()))).hasSize(3);
    }

    // ---- sorting and paging

    @Test
    void sortsOnEachFieldThenNewestFirst() throws IOException {
        var f = fixture();
        var s = f.subscriber();
        assertThat(names(s, all())).containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt", "alpha.pdf");
        assertThat(sorted(s, "uploadDate", false)).containsExactly("alpha.pdf", "beta_report.txt", "gamma%.pdf", "delta.txt");
        assertThat(sorted(s, "uploadDate", true)).containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt", "alpha.pdf");
        assertThat(sorted(s, "fileName", false)).containsExactly("alpha.pdf", "beta_report.txt", "delta.txt", "gamma%.pdf");
        assertThat(sorted(s, "fileName", true)).containsExactly("gamma%.pdf", "delta.txt", "beta_report.txt", "alpha.pdf");
        assertThat(sorted(s, "businessType", false)).containsExactly("gamma%.pdf", "alpha.pdf", "delta.txt", "beta_report.txt");
        assertThat(sorted(s, "businessType", true)).containsExactly("delta.txt", "beta_report.txt", "gamma%.pdf", "alpha.pdf");
        assertThat(sorted(s, "status", false)).containsExactly("gamma%.pdf", "beta_report.txt", "alpha.pdf", "delta.txt");
        assertThat(sorted(s, "status", true)).containsExactly("delta.txt", "gamma%.pdf", "beta_report.txt", "alpha.pdf");
        var twoKeys = service.list(s, all(), List.of(new SortKey("businessType", true), new SortKey("fileName", false)), Page.number(0, 10, false));
        assertThat(twoKeys.items()).extracting(i -> i.delivery().file().name())
                .containsExactly("beta_report.txt", "delta.txt", "alpha.pdf", "gamma%.pdf");
        assertFailure(() -> sorted(s, "size", false), Failure.Kind.INVALID);
    }

    @Test
    void pagesCarryTheCountOfAllMatches() throws IOException {
        var tenant = tenant();
        var publisher = publisher(tenant, 7L);
        var subscriber = grant(subscriber(tenant, 7L), tenant);
        var expected = new ArrayList<String>();
        for (int i = 0; i < 7; i++) {
            expected.addFirst(publish(grant(publisher, tenant), 7, "file" + i + ".pdf").fileId());
        }
        service.markDownloaded(subscriber, deliveries.find(tenant.id(), expected.getFirst()).orElseThrow());

        var pages = new ArrayList<String>();
        for (int page = 0; page < 3; page++) {
            var result = service.list(subscriber, all(), List.of(), Page.number(page, 3, false));
            assertThat(result.count()).isEqualTo(7);
            assertThat(result.items()).hasSize(page < 2 ? 3 : 1);
            result.items().forEach(i -> pages.add(i.delivery().fileId()));
        }
        assertThat(pages).isEqualTo(expected);
        var beyond = service.list(subscriber, all(), List.of(), Page.number(5, 3, false));
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.count()).isEqualTo(7);
        var available = service.list(subscriber, null, List.of(), Page.number(1, 4, false));
        assertThat(available.count()).isEqualTo(6);
        assertThat(available.items()).extracting(i -> i.delivery().fileId()).isEqualTo(expected.subList(5, 7));
        assertFailure(() -> service.list(subscriber, null, List.of(), Page.number(0, -1, false)), Failure.Kind.INVALID);   // page sizes are the dialect's; core refuses only negatives
        assertFailure(() -> service.list(subscriber, null, List.of(), Page.number(-1, 10, false)), Failure.Kind.INVALID);
    }

    /**
     * The count of available files comes from the tally of each business type and upload day for
     * the days inside the filter's range, and row by row for its first and last day: it must equal the
     * count row by row ({@code status eq 'available'} always counts so) for every filter, after
     * downloads, deletions and files made available again, by this subscriber and another, with another
     * tenant publishing the same business type, and after the tally rows are summed.
     */
    @Test
    void theCountOfAvailableFilesFromTheTallyIsTheCountRowByRow() throws IOException {
        var tenant = tenant();
        var publisher = grant(publisher(tenant, 7L, 8L, 9L), tenant);
        var subscriber = grant(subscriber(tenant, 7L, 8L), tenant);
        var other = grant(subscriber(tenant, 7L, 8L), tenant);
        var elsewhere = tenant();
        var outsider = grant(publisher(elsewhere, 7L, 8L), elsewhere);
        var random = new Random(15);
        var published = new ArrayList<Delivery>();
        for (int i = 0; i < 300; i++) {
            clock.advance(Duration.ofMinutes(random.nextInt(90)));
            published.add(publish(publisher, 7 + random.nextInt(3), "f" + i + ".pdf"));
            if (i % 10 == 0) {
                publish(outsider, 7, "elsewhere" + i + ".pdf");
            }
        }
        var candidates = published.stream().filter(d -> d.businessType() != 9).toList();
        for (int i = 0; i < 60; i++) {
            var d = candidates.get(random.nextInt(candidates.size()));
            var who = random.nextBoolean() ? subscriber : other;
            var state = List.of(DeliveryState.DOWNLOADED, DeliveryState.DELETED, DeliveryState.AVAILABLE).get(random.nextInt(3));
            deliveries.setState(tenant.id(), d.fileId(), who.clientId(), state, clock.instant());
        }
        // a count of every day reads more rows than twice its keys: they are summed, one row per key
        var read = "from delivery_tally where tenant_id = ? and business_type in (7, 8) and subscriber_client_id in (0, ?)";
        assertThat(db.sql().fetchOne("select count(*) " + read, tenant.id(), subscriber.clientId()).get(0, Long.class)).isGreaterThan(200);
        service.list(subscriber, null, List.of(), Page.number(0, 1, false));
        assertThat(db.sql().fetchOne("select count(*) " + read, tenant.id(), subscriber.clientId()).get(0, Long.class))
                .isEqualTo(db.sql().fetch("select distinct subscriber_client_id, business_type, upload_day " + read,
                        tenant.id(), subscriber.clientId()).size())
                .isLessThan(60);
        var first = published.getFirst().uploadDate();
        var last = published.getLast().uploadDate();
        for (int i = 0; i < 200; i++) {
            var items = new ArrayList<Condition>();
            for (int n = random.nextInt(4); n > 0; n--) {
                if (random.nextInt(4) == 0) {
                    items.add(cmp("businessType", random.nextBoolean() ? Op.EQ : Op.NE, 7L + random.nextInt(3)));
                } else {
                    var ops = List.of(Op.GT, Op.GE, Op.LT, Op.LE, Op.EQ);
                    var at = switch (random.nextInt(3)) {
                        case 0 -> published.get(random.nextInt(published.size())).uploadDate();   // a file's own time
                        case 1 -> first.plusSeconds(random.nextLong(Duration.between(first, last).getSeconds() + 1))
                                .truncatedTo(java.time.temporal.ChronoUnit.DAYS);   // midnight
                        default -> first.minus(Duration.ofDays(1)).plusSeconds(random.nextLong(Duration.between(first, last).plusDays(2).getSeconds()));
                    };
                    items.add(cmp("uploadDate", ops.get(random.nextInt(ops.size())), at));
                }
            }
            var condition = items.isEmpty() ? null : items.size() == 1 ? items.getFirst() : new Condition.And(items);
            var rowByRow = items.isEmpty() ? status(Op.EQ, "available") : new Condition.And(java.util.stream.Stream.concat(items.stream(),
                    java.util.stream.Stream.of(status(Op.EQ, "available"))).toList());
            for (var who : List.of(subscriber, other)) {
                var tallied = service.list(who, condition, List.of(), Page.number(0, 1, false)).count();
                var counted = service.list(who, rowByRow, List.of(), Page.number(0, 1, false)).count();
                assertThat(tallied).as("%s for %s", condition, who.clientId()).isEqualTo(counted);
            }
            if (i == 100) {
                for (int n = 0; n < 20; n++) {
                    var d = candidates.get(random.nextInt(candidates.size()));
                    deliveries.setState(tenant.id(), d.fileId(), (random.nextBoolean() ? subscriber : other).clientId(), DeliveryState.DOWNLOADED,
                            clock.instant());
                }
            }
        }
        // and the count does read the tally: a row added behind its back shows
        long before = service.list(subscriber, null, List.of(), Page.number(0, 1, false)).count();
        db.sql().execute("insert into delivery_tally (tenant_id, subscriber_client_id, business_type, upload_day, deliveries) values (?, 0, 7, ?, 1000)",
                tenant.id(), Math.floorDiv(first.getEpochSecond(), 86_400) + 2);
        assertThat(service.list(subscriber, null, List.of(), Page.number(0, 1, false)).count()).isEqualTo(before + 1000);
        assertThat(service.list(subscriber, status(Op.EQ, "available"), List.of(), Page.number(0, 1, false)).count()).isEqualTo(before);
        db.sql().execute("delete from delivery_tally where deliveries = 1000");
        // what the writes kept is what V30 computes from the rows for a database that had no tally
        var kept = tallyOf(tenant);
        var v30 = new java.util.concurrent.atomic.AtomicReference<Map<List<Long>, Long>>();
        var backfill = migration("V30__delivery_tally.sql").stream().filter(t -> t.startsWith("INSERT INTO delivery_tally")).toList();
        assertThatThrownBy(() -> db.inTransaction(() -> {
            db.sql().execute("delete from delivery_tally");
            assertThat(backfill).hasSize(2).allSatisfy(statement -> db.sql().execute(statement));
            v30.set(tallyOf(tenant));
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(kept).isNotEmpty().isEqualTo(v30.get());
    }

    /** The tenant's tally as (subscriber, business type, day) and their sum, keys that sum to 0 left out. */
    private Map<List<Long>, Long> tallyOf(Tenant tenant) {
        var sums = new java.util.TreeMap<List<Long>, Long>(java.util.Comparator.comparing(Object::toString));
        db.sql().fetch("select subscriber_client_id, business_type, upload_day, deliveries from delivery_tally where tenant_id = ?", tenant.id())
                .forEach(r -> sums.merge(List.of(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Long.class)), r.get(3, Long.class), Long::sum));
        sums.values().removeIf(v -> v == 0);
        return sums;
    }

    /** The statements of a migration, comments left out. */
    private static List<String> migration(String name) throws IOException {
        try (var in = SqlDeliveryRepository.class.getResourceAsStream("/db/migration/" + name)) {
            var text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return java.util.Arrays.stream(text.split(";")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        }
    }

    // ---- resumable publications

    @Test
    void aResumablePublicationBecomesOneDeliveryOfItsChunksInOrder() throws IOException {
        var tenant = tenant();
        var publisher = publisher(tenant, 4L);
        var stranger = publisher(tenant, 4L);
        var subscriber = grant(subscriber(tenant, 4L), tenant);
        var random = new Random(7);
        var one = randomBytes(random, 300_000);
        var two = randomBytes(random, 250_000);
        var three = randomBytes(random, 17);

        var token = service.startResumable(grant(publisher, tenant), 4, "big.bin", new ByteArrayInputStream(one), MAX_BYTES);
        var hash = Secrets.hash(token);
        assertThat(service.appendChunk(grant(publisher, tenant), token, 1, false, new ByteArrayInputStream(two), MAX_BYTES))
                .isEmpty();
        // chunk 1 again, as a client retrying after a lost response: accepted, stored once
        assertThat(service.appendChunk(grant(publisher, tenant), token, 1, false, new ByteArrayInputStream(two), MAX_BYTES))
                .isEmpty();
        var ticket = deliveries.lockTicket(tenant.id(), hash).orElseThrow();
        assertThat(ticket.nextPosition()).isEqualTo(2);
        assertThat(ticket.size()).isEqualTo(one.length + two.length);
        assertThat(ticket.fileName()).isEqualTo("big.bin");
        assertThat(ticket.businessType()).isEqualTo(4);
        assertThat(ticket.publisherClientId()).isEqualTo(publisher.id());
        assertThat(ticket.createdAt()).isEqualTo(clock.instant());
        assertThat(ticket.expiresAt()).isEqualTo(clock.instant().plus(TICKET_LIFETIME));
        var chunks = deliveries.chunks(hash);
        assertThat(chunks).extracting(c -> c.position()).containsExactly(0, 1);
        assertThat(chunks.get(1).sha256()).isEqualTo(sha256(two));

        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 3, false, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.INVALID);
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, -1, false, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.INVALID);
        // other bytes at a position already received: refused, never stored over or dropped silently
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 1, false, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.CONFLICT);
        var changed = two.clone();
        changed[changed.length - 1] ^= 1;
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 1, false, new ByteArrayInputStream(changed),
                MAX_BYTES), Failure.Kind.CONFLICT);
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 0, true, new ByteArrayInputStream(one),
                MAX_BYTES), Failure.Kind.CONFLICT);   // close with an earlier chunk would drop chunk 1
        assertFailure(() -> service.appendChunk(grant(stranger, tenant), token, 2, false, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.NOT_FOUND);
        assertThat(deliveries.chunks(hash)).hasSize(2);

        clock.advance(Duration.ofSeconds(5));
        var delivery = service.appendChunk(grant(publisher, tenant), token, 2, true, new ByteArrayInputStream(three), MAX_BYTES)
                .orElseThrow();

        var whole = concat(one, two, three);
        assertThat(delivery.file().name()).isEqualTo("big.bin");
        assertThat(delivery.file().size()).isEqualTo(whole.length);
        assertThat(delivery.file().sha256()).isEqualTo(sha256(whole));
        assertThat(delivery.uploadDate()).isEqualTo(clock.instant());
        try (var in = content.openWhole(delivery.file())) {
            assertThat(digestOf(in)).isEqualTo(sha256(whole));
        }
        assertThat(service.list(subscriber, null, List.of(), Page.number(0, 10, false)).items()).extracting(i -> i.delivery().fileId())
                .containsExactly(delivery.fileId());
        // the chunks' rows and blobs are gone; the ticket stays, closed, with what it was closed with
        assertThat(deliveries.lockTicket(tenant.id(), hash).orElseThrow().closed())
                .isEqualTo(new UploadTicket.Closed(delivery.fileId(), 2, three.length, sha256(three)));
        assertThat(deliveries.chunks(hash)).isEmpty();
        for (var chunk : chunks) {
            assertThat(blobs.size(chunk.blobId())).isEmpty();
        }

        // the closing chunk sent again, its answer lost: the same file, published once
        assertThat(service.appendChunk(grant(publisher, tenant), token, 2, true, new ByteArrayInputStream(three), MAX_BYTES)
                .orElseThrow().fileId()).isEqualTo(delivery.fileId());
        assertThat(service.list(subscriber, null, List.of(), Page.number(0, 10, false)).items()).extracting(i -> i.delivery().fileId())
                .containsExactly(delivery.fileId());
        // anything else after the close is a conflict: another chunk, the last one changed or without close, a stranger's
        var otherLast = three.clone();
        otherLast[0] ^= 1;
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 3, true, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.CONFLICT);
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 2, true, new ByteArrayInputStream(otherLast),
                MAX_BYTES), Failure.Kind.CONFLICT);
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 2, false, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.CONFLICT);
        assertFailure(() -> service.appendChunk(grant(stranger, tenant), token, 2, true, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.NOT_FOUND);

        // when it expires, the closed ticket is collected like any other
        drainTickets();
        clock.advance(TICKET_LIFETIME);
        service.collectExpiredTickets(100);
        assertThat(deliveries.lockTicket(tenant.id(), hash)).isEmpty();
        assertFailure(() -> service.appendChunk(grant(publisher, tenant), token, 2, true, new ByteArrayInputStream(three),
                MAX_BYTES), Failure.Kind.NOT_FOUND);
    }

    @Test
    void anExpiredTicketIsCollectedWithItsChunkBlobs() throws IOException {
        drainTickets();
        var tenant = tenant();
        var publisher = publisher(tenant, 4L);
        var grant = grant(publisher, tenant);
        var abandoned = service.startResumable(grant, 4, "a.bin", bytes(1000), MAX_BYTES);
        service.appendChunk(grant, abandoned, 1, false, bytes(1000), MAX_BYTES);
        var abandonedChunks = deliveries.chunks(Secrets.hash(abandoned));

        clock.advance(TICKET_LIFETIME.minusMinutes(1));
        // two started later; a chunk will extend the life of one of them
        var unextended = service.startResumable(grant, 4, "u.bin", bytes(1000), MAX_BYTES);
        var extended = service.startResumable(grant, 4, "e.bin", bytes(1000), MAX_BYTES);
        assertThat(service.collectExpiredTickets(100)).isZero();
        clock.advance(Duration.ofMinutes(1));

        assertThat(service.collectExpiredTickets(100)).isEqualTo(1);   // the abandoned ticket, with its 2 chunks

        for (var chunk : abandonedChunks) {
            assertThat(blobs.size(chunk.blobId())).isEmpty();
        }
        assertThat(db.sql().fetchCount(UPLOAD_TICKET.T, UPLOAD_TICKET.TOKEN_HASH.eq(Secrets.hash(abandoned)))).isZero();
        assertThat(db.sql().fetchCount(UPLOAD_CHUNK.T, UPLOAD_CHUNK.TOKEN_HASH.eq(Secrets.hash(abandoned)))).isZero();
        assertFailure(() -> service.appendChunk(grant, abandoned, 2, false, bytes(10), MAX_BYTES), Failure.Kind.NOT_FOUND);

        clock.advance(TICKET_LIFETIME.minusMinutes(2));
        service.appendChunk(grant, extended, 1, false, bytes(10), MAX_BYTES);
        clock.advance(Duration.ofMinutes(2));
        assertThat(service.collectExpiredTickets(100)).isEqualTo(1);   // the unextended one
        assertThat(deliveries.lockTicket(tenant.id(), Secrets.hash(unextended))).isEmpty();
        assertThat(service.appendChunk(grant, extended, 2, true, bytes(10), MAX_BYTES)).isPresent();
    }

    @Test
    void theOrphanSweepLeavesTheChunksOfAnUploadInProgress() throws IOException {
        var tenant = tenant();
        var grant = grant(publisher(tenant, 4L), tenant);
        var token = service.startResumable(grant, 4, "open.bin", bytes(1000), MAX_BYTES);
        service.appendChunk(grant, token, 1, false, bytes(10), MAX_BYTES);
        content.collectOrphans(Instant.now().plusSeconds(5));
        for (var chunk : deliveries.chunks(Secrets.hash(token))) {
            assertThat(blobs.size(chunk.blobId())).isPresent();
        }
        assertThat(service.appendChunk(grant, token, 2, true, bytes(10), MAX_BYTES).orElseThrow().file().size()).isEqualTo(1020);
    }

    @Test
    void twoCollectorsInParallelNeverClaimATicketTwice() throws Exception {
        drainTickets();
        var tenant = tenant();
        var grant = grant(publisher(tenant, 4L), tenant);
        int count = 40;
        var expected = new HashSet<String>();
        for (int i = 0; i < count; i++) {
            var token = service.startResumable(grant, 4, "t" + i, bytes(10), MAX_BYTES);
            deliveries.chunks(Secrets.hash(token)).forEach(c -> expected.add(c.blobId()));
        }
        clock.advance(TICKET_LIFETIME);

        var start = new CountDownLatch(1);
        var claimed = ConcurrentHashMap.<String>newKeySet();
        var total = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(2)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 2; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    io.dossier.core.delivery.DeliveryRepository.ExpiredTickets batch;
                    do {
                        batch = deliveries.claimExpiredTickets(clock.instant(), 3);
                        claimed.addAll(batch.chunkBlobIds());
                        total.addAndGet(batch.chunkBlobIds().size());
                    } while (batch.count() > 0);
                    return null;
                }));
            }
            start.countDown();
            for (var future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        }
        assertThat(total.get()).isEqualTo(count);
        assertThat(claimed).isEqualTo(expected);
    }

    // ---- tokens

    @Test
    void aTokenIssuedForATenantResolvesToThatTenant() {
        var tenant = tenant();
        var other = tenant();
        var issued = oauth(tenant);

        var token = tokens.issue(issued.client().publicId(), issued.secret(), tenant.slug());

        assertThat(token.tenantId()).isEqualTo(tenant.id());
        assertThat(token.expiresIn()).isEqualTo(TOKEN_LIFETIME);
        assertThat(tokens.resolve(token.token(), null)).isEqualTo(grant(issued.client(), tenant));
        assertThat(tokens.resolve(token.token(), tenant.slug())).isEqualTo(grant(issued.client(), tenant));
        assertFailure(() -> tokens.resolve(token.token(), other.slug()), Failure.Kind.FORBIDDEN);
        assertFailure(() -> tokens.resolve(token.token(), "no-such-tenant"), Failure.Kind.FORBIDDEN);
        assertFailure(() -> tokens.resolve(token.token() + "x", null), Failure.Kind.UNAUTHENTICATED);
        assertFailure(() -> tokens.resolve(null, tenant.slug()), Failure.Kind.UNAUTHENTICATED);
        assertFailure(() -> tokens.issue(issued.client().publicId(), issued.secret() + "x", tenant.slug()), Failure.Kind.UNAUTHENTICATED);

        // stored as its hash only
        var stored = tokenRepository.find(Secrets.hash(token.token())).orElseThrow();
        assertThat(stored.clientId()).isEqualTo(issued.client().id());
        assertThat(stored.tenantId()).isEqualTo(tenant.id());
        assertThat(stored.expiresAt()).isEqualTo(clock.instant().plus(TOKEN_LIFETIME));
        assertThat(db.sql().fetchCount(ACCESS_TOKEN.T, ACCESS_TOKEN.TOKEN_HASH.eq(token.token()))).isZero();
    }

    @Test
    void aLegacyTokenTakesItsTenantFromTheHeaderOfEachCall() {
        var home = tenant();
        var other = tenant();
        var issued = oauth(home);

        var legacy = tokens.issue(issued.client().publicId(), issued.secret(), null);

        assertThat(legacy.tenantId()).isNull();
        assertThat(tokenRepository.find(Secrets.hash(legacy.token())).orElseThrow().tenantId()).isNull();
        assertFailure(() -> tokens.resolve(legacy.token(), null), Failure.Kind.UNAUTHENTICATED);
        assertThat(tokens.resolve(legacy.token(), home.slug())).isEqualTo(grant(issued.client(), home));
        assertFailure(() -> tokens.resolve(legacy.token(), other.slug()), Failure.Kind.FORBIDDEN);
        assertFailure(() -> tokens.issue(issued.client().publicId(), issued.secret(), other.slug()), Failure.Kind.FORBIDDEN);

        tokens.grantTenant(issued.client(), other.id());
        tokens.grantTenant(issued.client(), other.id());   // again: no change
        tokens.grantTenant(issued.client(), home.id());    // its own: nothing to grant

        assertThat(tokenRepository.grantedTenants(issued.client().id())).containsExactly(other.id());
        assertThat(tokens.resolve(legacy.token(), other.slug())).isEqualTo(grant(issued.client(), other));
        var forOther = tokens.issue(issued.client().publicId(), issued.secret(), other.slug());
        assertThat(tokens.resolve(forOther.token(), null)).isEqualTo(grant(issued.client(), other));
        assertFailure(() -> tokens.resolve(forOther.token(), home.slug()), Failure.Kind.FORBIDDEN);
    }

    @Test
    void anExpiredTokenOrARevokedClientIsUnauthenticated() {
        var tenant = tenant();
        var issued = oauth(tenant);
        var revokedClient = oauth(tenant);
        var early = tokens.issue(issued.client().publicId(), issued.secret(), tenant.slug());
        var ofRevoked = tokens.issue(revokedClient.client().publicId(), revokedClient.secret(), tenant.slug());

        clock.advance(TOKEN_LIFETIME.minusSeconds(1));
        var late = tokens.issue(issued.client().publicId(), issued.secret(), tenant.slug());
        assertThat(tokens.resolve(early.token(), null).tenantId()).isEqualTo(tenant.id());
        identities.revokeClient(tenant.id(), revokedClient.client().id());
        assertFailure(() -> tokens.resolve(ofRevoked.token(), null), Failure.Kind.UNAUTHENTICATED);
        assertFailure(() -> tokens.issue(revokedClient.client().publicId(), revokedClient.secret(), tenant.slug()),
                Failure.Kind.UNAUTHENTICATED);

        clock.advance(Duration.ofSeconds(1));
        assertFailure(() -> tokens.resolve(early.token(), null), Failure.Kind.UNAUTHENTICATED);
        assertThat(tokens.resolve(late.token(), null).tenantId()).isEqualTo(tenant.id());

        assertThat(tokens.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(tokenRepository.find(Secrets.hash(early.token()))).isEmpty();
        assertThat(tokenRepository.find(Secrets.hash(late.token()))).isPresent();
    }

    // ---- helpers

    private Tenant tenant() {
        var slug = "t-" + UUID.randomUUID().toString().substring(0, 12);
        return tenants.create(slug, "Tenant " + slug);
    }

    private IssuedClient oauth(Tenant tenant) {
        return identities.createClient(tenant.id(), ClientKind.OAUTH, "app", null, Set.of());
    }

    private Client client(Tenant tenant) {
        return oauth(tenant).client();
    }

    private Client publisher(Tenant tenant, Long... businessTypes) {
        var client = client(tenant);
        service.authorize(tenant.id(), client.id(), DeliveryRole.PUBLISHER, Set.of(businessTypes));
        return client;
    }

    private Client subscriber(Tenant tenant, Long... businessTypes) {
        var client = client(tenant);
        service.authorize(tenant.id(), client.id(), DeliveryRole.SUBSCRIBER, Set.of(businessTypes));
        return client;
    }

    private static Caller.AsClient grant(Client client, Tenant tenant) {
        return new Caller.AsClient(tenant.id(), client.id(), client.publicId(), client.userId(), client.scopes(), RecordFilters.NONE);
    }

    /** Publishes a small PDF one second after the last thing that happened, so upload dates differ. */
    private Delivery publish(Caller.AsClient grant, long businessType, String name) {
        clock.advance(Duration.ofSeconds(1));
        try {
            return service.publish(grant, businessType, name, new ByteArrayInputStream(PDF), MAX_BYTES);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> names(Caller.AsClient grant, Condition condition) {
        return service.list(grant, condition, List.of(), Page.number(0, 100, false)).items().stream().map(i -> i.delivery().file().name()).toList();
    }

    private List<String> sorted(Caller.AsClient grant, String path, boolean descending) {
        return service.list(grant, all(), List.of(new SortKey(path, descending)), Page.number(0, 100, false)).items().stream()
                .map(i -> i.delivery().file().name()).toList();
    }

    private static Condition cmp(String path, Op op, Object value) {
        return new Condition.Compare(path, op, value);
    }

    private static Condition status(Op op, String value) {
        return cmp("status", op, value);
    }

    private static Condition all() {
        return status(Op.EQ, "all");
    }

    private static Condition and(Condition... items) {
        return new Condition.And(List.of(items));
    }

    private void drainTickets() {
        clock.advance(TICKET_LIFETIME.plusMinutes(1));
        while (service.collectExpiredTickets(50) > 0) {
            // again, until nothing is left
        }
    }

    private static void assertFailure(ThrowingRunnable call, Failure.Kind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(kind));
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static InputStream bytes(int size) {
        return new ByteArrayInputStream(new byte[size]);
    }

    private static byte[] randomBytes(Random random, int size) {
        var bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String digestOf(InputStream in) throws IOException {
        var digest = sha256Digest();
        try (var digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
