package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.DOCUMENT_VERSION;
import static io.dossier.store.sql.Tables.STORED_FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import io.dossier.core.access.Caller;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredFile;
import io.dossier.core.content.ChunkSums;
import io.dossier.core.content.DamagedBlobException;
import io.dossier.core.document.Document;
import io.dossier.core.document.DocumentService;
import io.dossier.core.document.DocumentTypeRule;
import io.dossier.core.document.ListedDocument;
import io.dossier.core.document.Placement;
import io.dossier.core.record.RecordRow;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.store.blob.FolderBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.ExecuteContext;
import org.jooq.impl.DefaultExecuteListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link SqlFileRepository} and {@link SqlDocumentRepository}, exercised through the
 * real {@link ContentService} and {@link DocumentService} over a {@link FolderBlobStore}, once per
 * database (H2, PostgreSQL) by the subclasses. One database per class; every test works in tenants
 * of its own, and time is a test clock that only moves forward.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilesAndDocumentsTest {

    static final Duration UNBOUND_TTL = Duration.ofHours(1);
    static final Duration DELETE_GRACE = Duration.ofMinutes(10);
    static final long MAX_BYTES = 10_000_000;
    static final String CANDIDATE = "Candidate";
    static final RecordType DOCUMENT_TYPE = Schemas.builtIn().type("documents.DocumentType").orElseThrow();
    static final Set<String> KNOWN_CONTAINERS = Set.of("c1", "c2", "c3");
    static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private Database db;
    private Path blobFolder;
    private FolderBlobStore blobs;
    private SqlFileRepository files;
    private SqlDocumentRepository documents;
    private SqlTenantRepository tenants;
    private ContentService content;
    private io.dossier.core.change.ChangeFeed feed;
    private DocumentService service;
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger statements = new AtomicInteger();

    /** A new, empty database; aborts the test (reported as skipped) when this kind of database is not available. */
    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;

    @BeforeEach
    void open() throws IOException {
        if (db == null) {
            testDatabase = newDatabase();
            db = testDatabase.database();
            db.sql().configuration().set(new DefaultExecuteListener() {
                @Override
                public void executeStart(ExecuteContext ctx) {
                    statements.incrementAndGet();
                }
            });
            blobFolder = Files.createTempDirectory("dossier-files-");
            blobs = new FolderBlobStore(blobFolder);
            files = new SqlFileRepository(db);
            new SqlRecordRepository(db).prepare(List.of(DOCUMENT_TYPE));
            documents = new SqlDocumentRepository(db, DOCUMENT_TYPE, "name");
            tenants = new SqlTenantRepository(db);
            feed = testDatabase.changeFeed(clock);
            content = new ContentService(blobs, files, clock, UNBOUND_TTL, DELETE_GRACE, feed);
            service = new DocumentService(documents, content, new DocumentService.Containers() {
                @Override
                public boolean exists(Caller caller, String type, String uid) {
                    return CANDIDATE.equals(type) && KNOWN_CONTAINERS.contains(uid);
                }

                @Override
                public boolean filtered(Caller caller, String type) {
                    return false;
                }
            }, FilesAndDocumentsTest::typeRule, clock, feed);
        }
    }

    /** Type rules for the tests: NOTE is for notes only, VAC for vacancies only, GONE does not exist, any other for candidates. */
    private static Optional<DocumentTypeRule> typeRule(Caller caller, String typeId) {
        return switch (typeId) {
            case "GONE" -> Optional.empty();
            case "NOTE" -> Optional.of(new DocumentTypeRule(typeId, false, Set.of(CANDIDATE)));
            case "VAC" -> Optional.of(new DocumentTypeRule(typeId, true, Set.of("Vacancy")));
            default -> Optional.of(new DocumentTypeRule(typeId, true, Set.of(CANDIDATE)));
        };
    }

    /** The documents of a page of the container's listing. */
    private List<Document> listed(Caller caller, String type, String uid, Page page) {
        return service.page(caller, type, uid, page).stream().map(ListedDocument::document).toList();
    }

    private static Caller as(long tenant) {
        return new Caller.Internal(tenant, "test");
    }

    private static Caller as(long tenant, Long user) {
        return user == null ? as(tenant) : new Caller.AsUser(tenant, user);
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

    // ---- upload

    @Test
    void uploadStoresTheFileAndDetectsItsTypeFromTheContent() throws IOException {
        var tenant = tenant();
        var file = content.upload(tenant, 7L, "x.bin", "application/octet-stream", new ByteArrayInputStream(PDF), MAX_BYTES);

        var found = content.file(tenant, file.ouid());
        assertThat(found).isEqualTo(file);
        assertThat(found.mediaType()).isEqualTo("application/pdf");
        assertThat(found.name()).isEqualTo("x.bin");
        assertThat(found.size()).isEqualTo(PDF.length);
        assertThat(found.sha256()).isEqualTo(sha256(PDF));
        assertThat(found.uploadedBy()).isEqualTo(7L);
        assertThat(found.uploadedAt()).isEqualTo(clock.instant());
        assertThat(found.expiresAt()).isEqualTo(clock.instant().plus(UNBOUND_TTL));
        assertThat(found.state()).isEqualTo(StoredFile.State.UPLOADED);
        assertThat(blobs.size(found.blobId())).contains((long) PDF.length);
        try (var in = content.openWhole(found)) {
            assertThat(in.readAllBytes()).isEqualTo(PDF);
        }
    }

    @Test
    void uploadKeepsOnlyTheLastSegmentOfTheNameAndItsNonAsciiCharacters() throws IOException {
        var tenant = tenant();
        var traversal = content.upload(tenant, null, "../../etc/pa\"ss wd.pdf", null, new ByteArrayInputStream(PDF), MAX_BYTES);
        var unicode = content.upload(tenant, null, "C:\\Users\\zoë\\Überweisung 文件 ✓.txt", "text/plain",
                new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), MAX_BYTES);

        assertThat(files.find(tenant, traversal.ouid()).orElseThrow().name()).isEqualTo("pa\"ss wd.pdf");
        assertThat(files.find(tenant, unicode.ouid()).orElseThrow().name()).isEqualTo("Überweisung 文件 ✓.txt");
        assertThat(files.find(tenant, unicode.ouid()).orElseThrow().mediaType()).isEqualTo("text/plain");
        assertThat(files.find(tenant, traversal.ouid()).orElseThrow().uploadedBy()).isNull();
    }

    @Test
    void anOverSizeUploadFailsAndStoresNothing() throws IOException {
        var tenant = tenant();
        var blobsBefore = blobCount();

        var failure = catchThrowable(() -> content.upload(tenant, 1L, "big.bin", null, new ByteArrayInputStream(new byte[1000]), 999));

        assertThat(failure).isInstanceOf(Failure.class);
        assertThat(((Failure) failure).kind()).isEqualTo(Failure.Kind.TOO_LARGE);
        assertThat(db.sql().fetchCount(STORED_FILE.T, STORED_FILE.TENANT_ID.eq(tenant))).isZero();
        assertThat(blobCount()).isEqualTo(blobsBefore);
        assertThat(leftoverTempFiles()).isZero();
    }

    @Test
    void anOverLongDeclaredTypeIsIgnoredRatherThanRefused() throws IOException {
        var tenant = tenant();
        var declared = "application/" + "x".repeat(300);
        var file = content.upload(tenant, null, "data", declared, new ByteArrayInputStream(new byte[] {0, 1, 2, (byte) 0xff}), MAX_BYTES);
        assertThat(files.find(tenant, file.ouid()).orElseThrow().mediaType()).isEqualTo("application/octet-stream");
    }

    // ---- attach

    @Test
    void aBlobStoredInTheRequestIsFiledBoundWithItsDocumentAndARefusedOneLeavesNoFile() throws IOException {
        var tenant = tenant();
        var blob = content.store(new ByteArrayInputStream(PDF), MAX_BYTES);

        var document = service.attachStored(as(tenant, 5L), CANDIDATE, "c1", blob, "cv.pdf", "application/octet-stream", "CV",
                "Curriculum vitae", Map.of("lang", "nl"));

        assertThat(document.file().blobId()).isEqualTo(blob.id());
        assertThat(document.file().name()).isEqualTo("cv.pdf");
        assertThat(document.file().mediaType()).isEqualTo("application/pdf");
        assertThat(document.file().size()).isEqualTo(PDF.length);
        assertThat(document.file().uploadedBy()).isEqualTo(5L);
        assertThat(document.file().state()).isEqualTo(StoredFile.State.BOUND);
        assertThat(content.file(tenant, document.file().ouid())).isEqualTo(document.file());
        assertThat(service.document(as(tenant), document.id())).isEqualTo(document);
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isEqualTo(1);
        assertThatThrownBy(() -> content.file(tenant(), document.file().ouid())).isInstanceOf(Failure.class);

        // refused in the write (a subject longer than its column): neither the file nor the document is written
        var refusedBlob = content.store(new ByteArrayInputStream(PDF), MAX_BYTES);
        assertThatThrownBy(() -> service.attachStored(as(tenant, 5L), CANDIDATE, "c2", refusedBlob, "cv.pdf", null, "CV",
                "x".repeat(1001), Map.of())).isInstanceOf(Failure.class);
        assertThat(db.sql().fetchCount(STORED_FILE.T, STORED_FILE.BLOB_ID.eq(refusedBlob.id()))).isZero();
        assertThat(service.count(as(tenant), CANDIDATE, "c2")).isZero();
    }

    @Test
    void attachMakesADocumentHoldingTheFile() throws IOException {
        var tenant = tenant();
        var file = upload(tenant, "cv.pdf");

        var document = service.attach(as(tenant, 5L), CANDIDATE, "c1", file.ouid(), "CV", "Curriculum vitae", Map.of("lang", "nl", "pages", "2"));

        assertThat(document.tenantId()).isEqualTo(tenant);
        assertThat(document.containerType()).isEqualTo(CANDIDATE);
        assertThat(document.containerUid()).isEqualTo("c1");
        assertThat(document.typeId()).isEqualTo("CV");
        assertThat(document.subject()).isEqualTo("Curriculum vitae");
        assertThat(document.attributes()).isEqualTo(Map.of("lang", "nl", "pages", "2"));
        assertThat(document.version()).isEqualTo(1);
        assertThat(document.createdBy()).isEqualTo(5L);
        assertThat(document.createdAt()).isEqualTo(clock.instant());
        assertThat(document.file().ouid()).isEqualTo(file.ouid());
        assertThat(document.file().name()).isEqualTo("cv.pdf");
        assertThat(document.file().mediaType()).isEqualTo("application/pdf");
        assertThat(document.file().state()).isEqualTo(StoredFile.State.BOUND);
        assertThat(service.document(as(tenant), document.id())).isEqualTo(document);
        assertThat(service.byFile(as(tenant), file.ouid())).isEqualTo(document);
        assertThat(content.file(tenant, file.ouid()).state()).isEqualTo(StoredFile.State.BOUND);
    }

    @Test
    void attachWithoutSubjectOrTypeOrAttributes() throws IOException {
        var tenant = tenant();
        var file = upload(tenant, "a.pdf");
        var document = service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), null, null, Map.of());
        assertThat(document.subject()).isEmpty();
        assertThat(document.typeId()).isNull();
        assertThat(document.createdBy()).isNull();
        assertThat(document.attributes()).isEmpty();
    }

    @Test
    void attachingTheSameFileTwiceConflicts() throws IOException {
        var tenant = tenant();
        var file = upload(tenant, "a.pdf");
        service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), null, "first", Map.of());

        assertFailure(() -> service.attach(as(tenant, null), CANDIDATE, "c2", file.ouid(), null, "second", Map.of()), Failure.Kind.CONFLICT);

        assertThat(service.count(as(tenant), CANDIDATE, "c2")).isZero();
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isEqualTo(1);
    }

    @Test
    void attachingAnotherTenantsFileIsNotFoundAndLeavesItUploaded() throws IOException {
        var owner = tenant();
        var intruder = tenant();
        var file = upload(owner, "secret.pdf");

        assertFailure(() -> service.attach(as(intruder, null), CANDIDATE, "c1", file.ouid(), null, "mine now", Map.of()), Failure.Kind.NOT_FOUND);

        assertThat(files.find(owner, file.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.UPLOADED);
        assertThat(service.count(as(intruder), CANDIDATE, "c1")).isZero();
    }

    @Test
    void attachingToAnUnknownContainerOrAMissingFileIsNotFound() throws IOException {
        var tenant = tenant();
        var file = upload(tenant, "a.pdf");

        assertFailure(() -> service.attach(as(tenant, null), CANDIDATE, "nobody", file.ouid(), null, "x", Map.of()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.attach(as(tenant, null), CANDIDATE, "c1", "0".repeat(32), null, "x", Map.of()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.attach(as(tenant, null), CANDIDATE, "c1", null, null, "x", Map.of()), Failure.Kind.NOT_FOUND);

        assertThat(files.find(tenant, file.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.UPLOADED);
    }

    @Test
    void aRefusedAttachLeavesTheFileUnbound() throws IOException {
        var tenant = tenant();
        var file = upload(tenant, "a.pdf");

        // the file is bound before the document row is written; the too-long subject rolls both back
        assertFailure(() -> service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), null, "s".repeat(1001), Map.of()),
                Failure.Kind.INVALID);
        assertFailure(() -> service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), null, "ok", Map.of("a".repeat(101), "v")),
                Failure.Kind.INVALID);

        assertThat(files.find(tenant, file.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.UPLOADED);
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isZero();
        var document = service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), null, "ü".repeat(1000), Map.of());
        assertThat(document.subject()).hasSize(1000);
    }

    @Test
    void ofFiftyConcurrentAttachesOfOneFileExactlyOneSucceeds() throws Exception {
        var tenant = tenant();
        var file = upload(tenant, "contended.pdf");
        int attempts = 50;
        var start = new CountDownLatch(1);
        var successes = new CopyOnWriteArrayList<Document>();
        var failures = new CopyOnWriteArrayList<Throwable>();
        try (var pool = Executors.newFixedThreadPool(attempts)) {
            var ready = new CountDownLatch(attempts);
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < attempts; i++) {
                var n = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    try {
                        start.await();
                        successes.add(service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), null, "try " + n, Map.of()));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    return null;
                }));
            }
            ready.await();
            start.countDown();
            for (var future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(successes).hasSize(1);
        assertThat(failures).hasSize(attempts - 1)
                .allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.CONFLICT)));
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isEqualTo(1);
        assertThat(service.byFile(as(tenant), file.ouid()).id()).isEqualTo(successes.getFirst().id());
    }

    // ---- list, count, update, versions, delete

    @Test
    void aPageOfFiftyDocumentsIsOneStatementWithTypeAndCreatorNames() throws IOException {
        var tenant = tenant();
        var other = tenant();
        var records = new SqlRecordRepository(db);
        records.insert(tenant, DOCUMENT_TYPE, new RecordRow("CV", Map.of("name", "Curriculum vitae"), Map.of(), Map.of()));
        records.insert(other, DOCUMENT_TYPE, new RecordRow("LETTER", Map.of("name", "Another tenant's letter"), Map.of(), Map.of()));
        var identities = new SqlIdentityRepository(db);
        var jane = identities.insertUser(tenant, "jane-" + UUID.randomUUID(), "jane@example.invalid", "Jane Doe", "x").id();
        var ids = new ArrayList<Long>();
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofSeconds(1));
            var type = i % 3 == 0 ? "CV" : i % 3 == 1 ? "LETTER" : null;   // LETTER is a type of the other tenant only
            ids.add(service.attach(as(tenant, i % 2 == 0 ? jane : null), CANDIDATE, "c3", upload(tenant, "p" + i + ".pdf").ouid(), type,
                    "page " + i, Map.of("n", "" + i, "private", i % 2 == 0 ? "true" : "false")).id());
        }
        service.attach(as(tenant), CANDIDATE, "c2", upload(tenant, "elsewhere.pdf").ouid(), "CV", "elsewhere", Map.of());

        statements.set(0);
        var page = service.page(as(tenant), CANDIDATE, "c3", new Page(0, 50, false));
        assertThat(statements.get()).as("one statement for a page of 50 documents, their attributes, type and creator names").isEqualTo(1);

        assertThat(page).extracting(l -> l.document().id()).containsExactlyElementsOf(ids.reversed());
        var newest = page.getFirst();   // document 49
        assertThat(newest.document().attributes()).isEqualTo(Map.of("n", "49", "private", "false"));
        assertThat(newest.creatorName()).isNull();
        var byNumber = new HashMap<String, ListedDocument>();
        page.forEach(l -> byNumber.put(l.document().attributes().get("n"), l));
        assertThat(byNumber.get("0").creatorName()).isEqualTo("Jane Doe");
        assertThat(byNumber.get("0").typeName()).isEqualTo("Curriculum vitae");
        assertThat(byNumber.get("48").typeName()).isEqualTo("Curriculum vitae");
        assertThat(byNumber.get("0").document().createdBy()).isEqualTo(jane);
        assertThat(byNumber.get("1").typeName()).as("a type id of another tenant names nothing here").isNull();
        assertThat(byNumber.get("2").typeName()).isNull();
        assertThat(byNumber.get("2").document().file().name()).isEqualTo("p2.pdf");

        assertThat(service.page(as(tenant), CANDIDATE, "c3", new Page(45, 10, false))).extracting(l -> l.document().id())
                .containsExactlyElementsOf(ids.reversed().subList(45, 50));
        assertThat(service.page(as(tenant), CANDIDATE, "c3", new Page(0, 0, false))).isEmpty();
        assertThat(service.page(as(other), CANDIDATE, "c3", new Page(0, 50, false))).isEmpty();
        assertThat(service.page(as(tenant), CANDIDATE, "c2", new Page(0, 50, false))).singleElement()
                .satisfies(l -> assertThat(l.document().attributes()).isEmpty());
    }

    @Test
    void aDocumentTypeMustBeForDocumentsAndForTheContainer() throws IOException {
        var tenant = tenant();
        assertThat(service.placement(as(tenant), "CV", CANDIDATE)).isEqualTo(Placement.ALLOWED);
        assertThat(service.placement(as(tenant), "GONE", CANDIDATE)).isEqualTo(Placement.UNKNOWN_TYPE);
        assertThat(service.placement(as(tenant), "NOTE", CANDIDATE)).isEqualTo(Placement.NOT_FOR_DOCUMENTS);
        assertThat(service.placement(as(tenant), "VAC", CANDIDATE)).isEqualTo(Placement.NOT_FOR_CONTAINER);
        var file = upload(tenant, "typed.pdf");
        for (var type : List.of("GONE", "NOTE", "VAC")) {
            assertFailure(() -> service.attach(as(tenant), CANDIDATE, "c1", file.ouid(), type, "x", Map.of()), Failure.Kind.INVALID);
        }
        assertThat(catchThrowable(() -> service.attach(as(tenant), CANDIDATE, "c1", file.ouid(), "VAC", "x", Map.of())))
                .hasMessage("document type VAC is not for Candidate containers");
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).as("a refused attach leaves nothing").isZero();
        var document = service.attach(as(tenant), CANDIDATE, "c1", file.ouid(), "CV", "x", Map.of());
        assertFailure(() -> service.update(as(tenant), document.id(), "NOTE", null, Map.of()), Failure.Kind.INVALID);
        assertThat(service.document(as(tenant), document.id()).typeId()).isEqualTo("CV");
        assertThat(service.update(as(tenant), document.id(), "CV2", null, Map.of()).typeId()).isEqualTo("CV2");
    }

    @Test
    void pagesAreNewestFirstWithTheirAttributesInOneStatement() throws IOException {
        var tenant = tenant();
        var ids = new ArrayList<Long>();
        for (int i = 0; i < 5; i++) {
            // the last two share a creation time: the later id comes first
            if (i < 4) {
                clock.advance(Duration.ofSeconds(1));
            }
            var file = upload(tenant, "doc" + i + ".pdf");
            ids.add(service.attach(as(tenant, null), CANDIDATE, "c1", file.ouid(), "T" + i, "subject " + i, Map.of("n", "" + i)).id());
        }
        service.attach(as(tenant, null), CANDIDATE, "c2", upload(tenant, "other.pdf").ouid(), null, "elsewhere", Map.of());
        var newestFirst = ids.reversed();

        statements.set(0);
        var first = listed(as(tenant), CANDIDATE, "c1", new Page(0, 2, false));
        assertThat(statements.get()).as("one statement for the page and its attributes").isEqualTo(1);
        var second = listed(as(tenant), CANDIDATE, "c1", new Page(2, 2, false));
        var third = listed(as(tenant), CANDIDATE, "c1", new Page(4, 2, false));

        assertThat(first).extracting(Document::id).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(second).extracting(Document::id).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(third).extracting(Document::id).containsExactlyElementsOf(newestFirst.subList(4, 5));
        assertThat(listed(as(tenant), CANDIDATE, "c1", new Page(5, 2, false))).isEmpty();
        assertThat(listed(as(tenant), CANDIDATE, "c1", new Page(0, 0, false))).isEmpty();
        assertThat(listed(as(tenant), CANDIDATE, "c1", new Page(0, 100, false))).extracting(Document::id).containsExactlyElementsOf(newestFirst);
        assertThat(first.getFirst().attributes()).isEqualTo(Map.of("n", "4"));
        assertThat(first.get(1).attributes()).isEqualTo(Map.of("n", "3"));
        assertThat(third.getFirst().file().name()).isEqualTo("doc0.pdf");
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isEqualTo(5);
        assertThat(service.count(as(tenant), CANDIDATE, "c2")).isEqualTo(1);
        assertThat(service.count(as(tenant), CANDIDATE, "c3")).isZero();
        assertThat(service.count(as(tenant), "Employee", "c1")).isZero();
    }

    @Test
    void updateChangesSubjectTypeAndAttributes() throws IOException {
        var tenant = tenant();
        var document = service.attach(as(tenant, null), CANDIDATE, "c1", upload(tenant, "a.pdf").ouid(), "CV", "old",
                Map.of("keep", "1", "change", "a"));

        var subjectOnly = service.update(as(tenant), document.id(), null, "new", Map.of());
        assertThat(subjectOnly.subject()).isEqualTo("new");
        assertThat(subjectOnly.typeId()).isEqualTo("CV");

        var typeAndAttributes = service.update(as(tenant), document.id(), "LETTER", null, Map.of("change", "b", "added", "c"));
        assertThat(typeAndAttributes.typeId()).isEqualTo("LETTER");
        assertThat(typeAndAttributes.subject()).isEqualTo("new");
        assertThat(typeAndAttributes.attributes()).isEqualTo(Map.of("keep", "1", "change", "b", "added", "c"));

        var removal = new HashMap<String, String>();
        removal.put("keep", null);
        assertThat(service.update(as(tenant), document.id(), null, null, removal).attributes()).isEqualTo(Map.of("change", "b", "added", "c"));
        assertThat(service.update(as(tenant), document.id(), null, null, Map.of())).isEqualTo(service.document(as(tenant), document.id()));

        assertFailure(() -> service.update(as(tenant), document.id() + 1000, null, "x", Map.of()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.update(as(tenant), document.id(), null, null, Map.of("k", "v".repeat(1001))), Failure.Kind.INVALID);
        assertThat(service.document(as(tenant), document.id()).attributes()).doesNotContainKey("k");
    }

    @Test
    void addVersionMakesTheNewFileCurrent() throws IOException {
        var tenant = tenant();
        var v1 = upload(tenant, "v1.pdf");
        var v2 = upload(tenant, "v2.pdf");
        var document = service.attach(as(tenant, 3L), CANDIDATE, "c1", v1.ouid(), null, "s", Map.of("a", "1"));
        clock.advance(Duration.ofMinutes(1));

        var second = service.addVersion(as(tenant, 4L), document.id(), v2.ouid());

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.file().ouid()).isEqualTo(v2.ouid());
        assertThat(second.attributes()).isEqualTo(Map.of("a", "1"));
        assertThat(second.createdAt()).isEqualTo(document.createdAt());
        assertThat(service.byFile(as(tenant), v2.ouid()).id()).isEqualTo(document.id());
        assertFailure(() -> service.byFile(as(tenant), v1.ouid()), Failure.Kind.NOT_FOUND);
        assertThat(content.file(tenant, v1.ouid()).state()).isEqualTo(StoredFile.State.BOUND);
        assertThat(db.sql().fetchCount(DOCUMENT_VERSION.T, DOCUMENT_VERSION.DOCUMENT_ID.eq(document.id()))).isEqualTo(2);

        assertFailure(() -> service.addVersion(as(tenant, null), document.id(), v1.ouid()), Failure.Kind.CONFLICT);
        var v3 = upload(tenant, "v3.pdf");
        assertFailure(() -> service.addVersion(as(tenant, null), document.id() + 1000, v3.ouid()), Failure.Kind.NOT_FOUND);
        assertThat(files.find(tenant, v3.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.UPLOADED);
        assertThat(service.document(as(tenant), document.id()).version()).isEqualTo(2);
        assertThat(service.addVersion(as(tenant, null), document.id(), v3.ouid()).version()).isEqualTo(3);
    }

    @Test
    void deleteRemovesTheDocumentAndMarksItsFilesDeleted() throws IOException {
        var tenant = tenant();
        var v1 = upload(tenant, "v1.pdf");
        var v2 = upload(tenant, "v2.pdf");
        var document = service.attach(as(tenant, null), CANDIDATE, "c1", v1.ouid(), null, "s", Map.of("a", "1"));
        service.addVersion(as(tenant, null), document.id(), v2.ouid());

        service.delete(as(tenant), document.id());

        assertFailure(() -> service.document(as(tenant), document.id()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.byFile(as(tenant), v2.ouid()), Failure.Kind.NOT_FOUND);
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isZero();
        for (var file : List.of(v1, v2)) {
            assertThat(files.find(tenant, file.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.DELETED);
            assertFailure(() -> content.file(tenant, file.ouid()), Failure.Kind.NOT_FOUND);
            assertThat(blobs.size(file.blobId())).as("the blob stays for the grace period").isPresent();
        }
        assertFailure(() -> service.delete(as(tenant), document.id()), Failure.Kind.NOT_FOUND);
        assertThat(documents.delete(tenant, document.id())).isEmpty();
    }

    // ---- collection

    @Test
    void collectRemovesExpiredUploadsAndDeletedFilesAfterTheGracePeriod() throws IOException {
        var tenant = tenant();
        var t0 = clock.instant();
        var expired = upload(tenant, "expired.pdf");
        var bound = upload(tenant, "bound.pdf");
        service.attach(as(tenant, null), CANDIDATE, "c1", bound.ouid(), null, "kept", Map.of());
        var deletedEarly = upload(tenant, "deleted-early.pdf");
        var early = service.attach(as(tenant, null), CANDIDATE, "c1", deletedEarly.ouid(), null, "gone", Map.of());
        var boundButDeleted = upload(tenant, "bound-but-deleted.pdf");
        service.attach(as(tenant, null), CANDIDATE, "c1", boundButDeleted.ouid(), null, "still referenced", Map.of());

        clock.set(t0.plus(Duration.ofMinutes(30)));
        var fresh = upload(tenant, "fresh.pdf");
        service.delete(as(tenant), early.id());
        // a file marked deleted while a document still points at it is never collected
        content.delete(tenant, boundButDeleted.ouid());

        clock.set(t0.plus(Duration.ofMinutes(59)));
        var deletedLate = upload(tenant, "deleted-late.pdf");
        var late = service.attach(as(tenant, null), CANDIDATE, "c1", deletedLate.ouid(), null, "gone later", Map.of());
        service.delete(as(tenant), late.id());

        clock.set(t0.plus(Duration.ofMinutes(61)));
        drainCollector();

        assertCollected(tenant, expired);
        assertCollected(tenant, deletedEarly);
        assertKept(tenant, fresh, StoredFile.State.UPLOADED);
        assertKept(tenant, bound, StoredFile.State.BOUND);
        assertKept(tenant, deletedLate, StoredFile.State.DELETED);
        assertKept(tenant, boundButDeleted, StoredFile.State.DELETED);

        clock.set(t0.plus(Duration.ofDays(1)));
        drainCollector();

        assertCollected(tenant, fresh);
        assertCollected(tenant, deletedLate);
        assertKept(tenant, bound, StoredFile.State.BOUND);
        assertKept(tenant, boundButDeleted, StoredFile.State.DELETED);
        assertThat(service.count(as(tenant), CANDIDATE, "c1")).isEqualTo(2);
    }

    @Test
    void twoCollectorsInParallelNeverCollectAFileTwice() throws Exception {
        // collect whatever earlier tests left, so that only this test's files are collectable
        clock.advance(Duration.ofDays(1));
        drainCollector();
        var tenant = tenant();
        int count = 120;
        var uploaded = new ArrayList<StoredFile>();
        for (int i = 0; i < count; i++) {
            var file = upload(tenant, "f" + i + ".pdf");
            if (i % 3 == 0) {
                content.delete(tenant, file.ouid());
            }
            uploaded.add(file);
        }
        clock.advance(UNBOUND_TTL.plusMinutes(1));

        var start = new CountDownLatch(1);
        var collected = new AtomicInteger();
        var rounds = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(2)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 2; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    int n;
                    do {
                        n = content.collect(7);
                        collected.addAndGet(n);
                        rounds.incrementAndGet();
                    } while (n > 0);
                    return null;
                }));
            }
            start.countDown();
            for (var future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        }

        assertThat(collected.get()).isEqualTo(count);
        assertThat(content.collect(100)).isZero();
        assertThat(db.sql().fetchCount(STORED_FILE.T, STORED_FILE.TENANT_ID.eq(tenant))).isZero();
        for (var file : uploaded) {
            assertThat(blobs.size(file.blobId())).isEmpty();
        }
    }

    // ---- reading

    @Test
    void everyReadChecksTheChunksItSendsAndADamagedChunkIsNeverHandedOver() throws IOException {
        var tenant = tenant();
        var bytes = new byte[200_000];
        new Random(42).nextBytes(bytes);
        var file = content.upload(tenant, null, "random.bin", null, new ByteArrayInputStream(bytes), MAX_BYTES);
        try (var in = content.openWhole(file)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }

        var path = blobs.localFile(file.blobId()).orElseThrow();
        try (var raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.seek(140_000);   // in the third 64 KiB chunk
            raf.write(bytes[140_000] ^ 0x01);
        }

        var returned = new AtomicInteger();
        try (var in = content.openWhole(file)) {
            assertThatThrownBy(() -> readAll(in, returned)).isInstanceOf(DamagedBlobException.class)
                    .hasMessageContaining(file.blobId());
        }
        assertThat(returned.get()).as("bytes handed over before the failure: the two intact chunks").isEqualTo(2 * ChunkSums.CHUNK_BYTES);
        // a range inside the damaged chunk fails as it is opened, before a byte is handed over
        assertThatThrownBy(() -> content.openRange(file, new ByteRange.Resolved(139_990, 20))).isInstanceOf(DamagedBlobException.class);
        // a range of intact chunks reads
        try (var in = content.openRange(file, new ByteRange.Resolved(1000, 100_000))) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 101_000));
        }
    }

    @Test
    void sumsACrashCutShortAreComputedAgainFromTheBlobAndItIsServedWhole() throws IOException {
        var tenant = tenant();
        var bytes = new byte[150_000];
        new Random(44).nextBytes(bytes);
        var file = content.upload(tenant, null, "torn.bin", null, new ByteArrayInputStream(bytes), MAX_BYTES);
        var sums = blobs.localFile(file.blobId()).orElseThrow().resolveSibling(file.blobId() + ".sums");
        var written = java.nio.file.Files.readAllBytes(sums);
        java.nio.file.Files.write(sums, java.util.Arrays.copyOf(written, 12));   // cut short, as a crash may leave sums not forced
        var fresh = new ContentService(blobs, files, clock, UNBOUND_TTL, DELETE_GRACE, feed);   // no sums cached yet

        try (var in = fresh.openWhole(file)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(java.nio.file.Files.readAllBytes(sums)).isEqualTo(written);   // stored again, whole
    }

    @Test
    void aBlobStoredBeforeChunkSumsGetsThemOnItsFirstReadIfItsSha256StillMatches() throws IOException {
        var tenant = tenant();
        var bytes = new byte[150_000];
        new Random(43).nextBytes(bytes);
        var file = content.upload(tenant, null, "old.bin", null, new ByteArrayInputStream(bytes), MAX_BYTES);
        var sums = blobs.localFile(file.blobId()).orElseThrow().resolveSibling(file.blobId() + ".sums");
        java.nio.file.Files.delete(sums);
        var fresh = new ContentService(blobs, files, clock, UNBOUND_TTL, DELETE_GRACE, feed);   // no sums cached yet

        try (var in = fresh.openRange(file, new ByteRange.Resolved(70_000, 10))) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 70_000, 70_010));
        }
        assertThat(sums).exists();

        // damaged while it had no sums: its SHA-256 no longer matches, so no sums are made for the damage
        var other = content.upload(tenant, null, "old2.bin", null, new ByteArrayInputStream(bytes), MAX_BYTES);
        var otherPath = blobs.localFile(other.blobId()).orElseThrow();
        java.nio.file.Files.delete(otherPath.resolveSibling(other.blobId() + ".sums"));
        try (var raf = new RandomAccessFile(otherPath.toFile(), "rw")) {
            raf.seek(10);
            raf.write(bytes[10] ^ 0x01);
        }
        assertThatThrownBy(() -> fresh.openRange(other, new ByteRange.Resolved(100_000, 10))).isInstanceOf(DamagedBlobException.class)
                .hasMessageContaining("SHA-256");
        assertThat(otherPath.resolveSibling(other.blobId() + ".sums")).doesNotExist();
    }

    @Test
    void openRangeReadsARange() throws IOException {
        var tenant = tenant();
        var bytes = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        var file = content.upload(tenant, null, "r.txt", null, new ByteArrayInputStream(bytes), MAX_BYTES);

        var range = ByteRange.resolve(new ByteRange.FromTo(5, 9), file.size()).orElseThrow();
        try (var in = content.openRange(file, range)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("56789");
        }
        var suffix = ByteRange.resolve(new ByteRange.Suffix(3), file.size()).orElseThrow();
        try (var in = content.openRange(file, suffix)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hij");
        }
    }

    // ---- tenants

    @Test
    void withTheWrongTenantEveryRepositoryMethodFindsAndChangesNothing() throws IOException {
        var owner = tenant();
        var other = tenant();
        var unbound = upload(owner, "unbound.pdf");
        var current = upload(owner, "current.pdf");
        var next = upload(owner, "next.pdf");
        var document = service.attach(as(owner, null), CANDIDATE, "c1", current.ouid(), "CV", "subject", Map.of("a", "1"));
        var when = clock.instant();

        // files
        assertThat(files.find(other, unbound.ouid())).isEmpty();
        assertThat(files.bind(other, unbound.ouid())).isEmpty();
        assertThat(files.markDeleted(other, unbound.ouid(), when)).isFalse();
        assertThat(files.markDeleted(other, current.ouid(), when)).isFalse();
        assertThat(files.find(owner, unbound.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.UPLOADED);
        assertThat(files.find(owner, current.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.BOUND);
        assertFailure(() -> content.file(other, unbound.ouid()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> content.bind(other, unbound.ouid()), Failure.Kind.NOT_FOUND);

        // documents
        assertThat(documents.find(other, document.id())).isEmpty();
        assertThat(documents.findByFile(other, current.ouid())).isEmpty();
        assertThat(documents.page(other, CANDIDATE, "c1", 0, 10)).isEmpty();
        assertThat(documents.count(other, CANDIDATE, "c1")).isZero();
        assertThat(documents.update(other, document.id(), "X", "hijacked", Map.of("a", "2", "b", "3"), when)).isFalse();
        assertThatThrownBy(() -> documents.addVersion(other, document.id(), next.ouid(), null, when)).isInstanceOf(Failure.class);
        assertThat(documents.delete(other, document.id())).isEmpty();
        assertFailure(() -> service.addVersion(as(other, null), document.id(), next.ouid()), Failure.Kind.NOT_FOUND);
        assertFailure(() -> service.delete(as(other), document.id()), Failure.Kind.NOT_FOUND);

        var unchanged = service.document(as(owner), document.id());
        assertThat(unchanged).isEqualTo(document);
        assertThat(unchanged.attributes()).isEqualTo(Map.of("a", "1"));
        assertThat(db.sql().fetchCount(DOCUMENT_VERSION.T, DOCUMENT_VERSION.DOCUMENT_ID.eq(document.id()))).isEqualTo(1);
        assertThat(files.find(owner, next.ouid()).orElseThrow().state()).isEqualTo(StoredFile.State.UPLOADED);

        // and the owner still can
        assertThat(service.addVersion(as(owner, null), document.id(), next.ouid()).version()).isEqualTo(2);
    }

    // ---- helpers

    @Test
    void blobsNoRowReferencesAreCollectedOnceOlderThanTheCutoff() throws IOException {
        var tenant = tenant();
        var kept = content.upload(tenant, null, "kept.pdf", null, new ByteArrayInputStream(PDF), MAX_BYTES);
        var deleted = content.upload(tenant, null, "deleted.pdf", null, new ByteArrayInputStream(PDF), MAX_BYTES);
        content.delete(tenant, deleted.ouid());
        // a crash between a blob write and its row's commit leaves a blob no row points at
        var orphan = blobs.write(new ByteArrayInputStream(PDF), MAX_BYTES);
        // and a write cut off mid-way leaves a temp file
        var cutOff = Files.writeString(blobFolder.resolve("tmp").resolve("cut-off.part"), "half");

        assertThat(content.collectOrphans(Instant.now().minus(Duration.ofHours(1)))).isZero();
        assertThat(blobs.size(orphan.id())).isPresent();
        assertThat(cutOff).exists();

        assertThat(content.collectOrphans(Instant.now().plusSeconds(5))).isPositive();
        assertThat(blobs.size(orphan.id())).isEmpty();
        assertThat(cutOff).doesNotExist();
        assertThat(blobs.size(kept.blobId())).isPresent();
        assertThat(blobs.size(deleted.blobId())).as("a deleted file keeps its blob until the collector takes both").isPresent();
    }

    /**
     * The count of documents changed after a time (Opus 2's X-Total-Count for afterDate) sums the
     * tally by 10-second slot that every write keeps: after adds, moves, updates, versions and
     * deletes spread over slots, and after the tally is summed up, it equals the documents listed,
     * for times anywhere in a slot.
     */
    @Test
    void theCountOfChangedDocumentsFollowsEveryKindOfWrite() throws IOException {
        var tenant = tenant();
        var caller = as(tenant);
        var ids = new ArrayList<Long>();
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofSeconds(25));
            ids.add(service.attach(caller, CANDIDATE, i % 2 == 0 ? "c1" : "c2", upload(tenant, "d" + i + ".pdf").ouid(), null, "D" + i, Map.of()).id());
        }
        clock.advance(Duration.ofSeconds(40));
        service.move(caller, ids.get(0), CANDIDATE, "c3");
        clock.advance(Duration.ofSeconds(10));
        service.update(caller, ids.get(1), null, "renamed", Map.of("lang", "nl"));
        clock.advance(Duration.ofSeconds(70));
        service.addVersion(caller, ids.get(2), upload(tenant, "v2.pdf").ouid());
        clock.advance(Duration.ofSeconds(5));
        service.deleteVersion(caller, ids.get(2), 2);
        service.delete(caller, ids.get(3));
        service.move(caller, ids.get(4), CANDIDATE, "c2");
        assertCountsMatchTheList(tenant);

        // many changes in one slot: the count that reads their tally rows sums them into one
        clock.advance(Duration.ofSeconds(61));
        for (int i = 0; i < 60; i++) {
            service.update(caller, ids.get(5), null, "again " + i, Map.of());
        }
        int before = tallyRows(tenant);
        assertCountsMatchTheList(tenant);
        assertThat(tallyRows(tenant)).as("tally rows summed up").isLessThan(before - 100);
        assertCountsMatchTheList(tenant);
    }

    private void assertCountsMatchTheList(long tenant) {
        var times = new java.util.TreeSet<Instant>();
        documents.changedIn(tenant, CANDIDATE, List.of("c1", "c2", "c3"), Instant.EPOCH, 0, 1000).forEach(c -> {
            times.add(c.changedAt());
            times.add(c.changedAt().minusNanos(1000));
            times.add(c.changedAt().plusNanos(1000));
            var slot = Instant.ofEpochSecond(Math.floorDiv(c.changedAt().getEpochSecond(), 10) * 10);
            times.add(slot);
            times.add(slot.minusNanos(1000));
            times.add(slot.plusSeconds(10).minusNanos(1000));
            // a count reads afterDate's slot from its start in its first half, from its end in the second
            times.add(slot.plusSeconds(5).minusNanos(1000));
            times.add(slot.plusSeconds(5));
        });
        times.add(Instant.EPOCH);
        for (var containers : List.of(List.of("c1", "c2", "c3"), List.of("c1"), List.of("c3"), List.of("c2", "c3"))) {
            for (var after : times) {
                assertThat(documents.countChangedIn(tenant, CANDIDATE, containers, after)).as(containers + " after " + after)
                        .isEqualTo(documents.changedIn(tenant, CANDIDATE, containers, after, 0, 1000).size());
            }
        }
    }

    private int tallyRows(long tenant) {
        return db.sql().fetchCount(Tables.DOCUMENT_TALLY.T, Tables.DOCUMENT_TALLY.TENANT_ID.eq(tenant));
    }

    private long tenant() {
        var slug = "t-" + UUID.randomUUID().toString().substring(0, 12);
        return tenants.insert(slug, "Tenant " + slug, List.of("en", "nl"), "en").id();
    }

    private StoredFile upload(long tenant, String name) throws IOException {
        return content.upload(tenant, null, name, null, new ByteArrayInputStream(PDF), MAX_BYTES);
    }

    private void drainCollector() {
        while (content.collect(50) > 0) {
            // again, until nothing is left
        }
    }

    private void assertCollected(long tenant, StoredFile file) throws IOException {
        assertThat(files.find(tenant, file.ouid())).as("row of " + file.name()).isEmpty();
        assertThat(blobs.size(file.blobId())).as("blob of " + file.name()).isEmpty();
    }

    private void assertKept(long tenant, StoredFile file, StoredFile.State state) throws IOException {
        assertThat(files.find(tenant, file.ouid())).as("row of " + file.name()).hasValueSatisfying(f -> assertThat(f.state()).isEqualTo(state));
        assertThat(blobs.size(file.blobId())).as("blob of " + file.name()).isPresent();
    }

    private static void assertFailure(Runnable call, Failure.Kind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(kind));
    }

    private static void readAll(InputStream in, AtomicInteger returned) throws IOException {
        var buffer = new byte[1000];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            returned.addAndGet(n);
        }
    }

    private long blobCount() {
        return countFiles(blobFolder.resolve("blobs"));
    }

    private long leftoverTempFiles() {
        return countFiles(blobFolder.resolve("tmp"));
    }

    private static long countFiles(Path folder) {
        try (var paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves; whole seconds, so what the database stores compares equal. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        void advance(Duration duration) {
            now.updateAndGet(i -> i.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
