package io.dossier.core.document;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import io.dossier.core.access.Caller;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredBlob;
import io.dossier.core.content.StoredFile;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Documents in containers, each version pointing at an uploaded file. Binding checks that the file
 * belongs to the tenant and is bound nowhere else, that the container exists, and that the
 * document's type may go into that kind of container ({@link #placement}); binding and
 * unbinding happen in one transaction with the document rows. A document whose container does
 * not exist for the caller (outside its record filter) does not exist for the caller either.
 */
public final class DocumentService {

    /** The containers documents live in, as a caller sees them. */
    public interface Containers {
        /** Whether the container exists for the caller: in its tenant and within its record filters. */
        boolean exists(Caller caller, String containerType, String containerUid);

        /** Whether the caller's record filters limit containers of this type. */
        boolean filtered(Caller caller, String containerType);
    }

    /** The document types of a tenant, as the placement rule needs them. */
    @FunctionalInterface
    public interface Types {
        /** The rule of the type {@code typeId} as the caller sees it; empty when there is no such type. */
        Optional<DocumentTypeRule> find(Caller caller, String typeId);
    }

    private final DocumentRepository documents;
    private final ContentService content;
    private final Containers containers;
    private final Types types;
    private final Clock clock;
    private final ChangeFeed feed;

    public DocumentService(DocumentRepository documents, ContentService content, Containers containers, Types types,
                           Clock clock, ChangeFeed feed) {
        this.documents = documents;
        this.content = content;
        this.containers = containers;
        this.types = types;
        this.clock = clock;
        this.feed = feed;
    }

    /** Binds an uploaded file as a new document of a container; returns the document. */
    public Document attach(Caller caller, String containerType, String containerUid, String fileOuid, String typeId,
                           String subject, Map<String, String> attributes) {
        return attach(caller, containerType, containerUid, fileOuid, typeId, subject, attributes,
                placement -> refusal(placement, typeId, containerType));
    }

    /**
     * {@link #attach}, a placement the rule refuses answered with what {@code refusal} gives for it: a dialect's own words for
     * core's rule, without reading the type a second time to find them.
     */
    public Document attach(Caller caller, String containerType, String containerUid, String fileOuid, String typeId,
                           String subject, Map<String, String> attributes, Function<Placement, RuntimeException> refusal) {
        if (typeId != null) {
            var placement = placement(caller, typeId, containerType);
            if (placement != Placement.ALLOWED) {
                throw refusal.apply(placement);
            }
        }
        if (!containers.exists(caller, containerType, containerUid)) {
            throw Failure.notFound("no " + containerType + " with uid " + containerUid);
        }
        return insert(caller, containerType, containerUid, bind(caller, fileOuid), false, typeId, subject, attributes);
    }

    /**
     * {@link #attach} into a container the caller has just found to exist for it (a service that
     * read the container for its own rule, such as a project's folder), without reading it again.
     */
    public Document attachChecked(Caller caller, String containerType, String containerUid, String fileOuid, String typeId,
                                  String subject, Map<String, String> attributes) {
        if (typeId != null) {
            requirePlacement(caller, typeId, containerType);
        }
        return insert(caller, containerType, containerUid, bind(caller, fileOuid), false, typeId, subject, attributes);
    }

    /** The binding of an uploaded file of the caller's tenant, for {@link #insert}. */
    private Supplier<StoredFile> bind(Caller caller, String fileOuid) {
        return () -> content.bind(caller.tenantId(), fileOuid);
    }

    /**
     * {@link #attachChecked} of a blob stored in this request ({@link ContentService#store}): its
     * file is written bound, with the document, in one transaction (see
     * {@link ContentService#newBound}). When this, or the write it is part of, is refused, the
     * caller {@linkplain ContentService#discard discards} the blob; after another failure (the
     * commit's outcome unknown) it leaves it to the sweep of blobs no row references.
     */
    public Document attachStored(Caller caller, String containerType, String containerUid, StoredBlob blob, String fileName,
                                 String declaredType, String typeId, String subject, Map<String, String> attributes) {
        if (typeId != null) {
            requirePlacement(caller, typeId, containerType);
        }
        return insert(caller, containerType, containerUid,
                () -> content.newBound(caller.tenantId(), caller.userId().orElse(null), fileName, declaredType, blob), true,
                typeId, subject, attributes);
    }

    /** @param newFile whether the file {@code bound} gives is new, its row to be inserted with the document's */
    private Document insert(Caller caller, String containerType, String containerUid, Supplier<StoredFile> bound, boolean newFile,
                            String typeId, String subject, Map<String, String> attributes) {
        long tenantId = caller.tenantId();
        Long userId = caller.userId().orElse(null);
        return feed.write(() -> {
            var file = bound.get();
            var at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);   // as the database keeps it
            var title = subject == null ? "" : subject;
            var id = newFile ? documents.insertWithFile(tenantId, containerType, containerUid, typeId, title, attributes, file, userId, at)
                    : documents.insert(tenantId, containerType, containerUid, typeId, title, attributes, file.ouid(), userId, at);
            // what was written, not read back: version 1 and revision 1 of a new document, its file as bound
            var kept = new java.util.HashMap<String, String>();
            if (attributes != null) {
                attributes.forEach((name, value) -> {
                    if (value != null) {
                        kept.put(name, value);
                    }
                });
            }
            var document = new Document(id, tenantId, containerType, containerUid, typeId, title, kept, 1, file, userId, at, 1);
            feed.created(tenantId, EntityTypes.DOCUMENT, Long.toString(id), document.revision());
            // the container's own entry: a document was attached to this record (webhooks tell of it)
            feed.updated(tenantId, EntityTypes.recordDocument(containerType), containerUid, id);
            return document;
        });
    }

    /** Binds another uploaded file as the document's next version. */
    public Document addVersion(Caller caller, long documentId, String fileOuid) {
        long tenantId = caller.tenantId();
        Long userId = caller.userId().orElse(null);
        return feed.write(() -> {
            document(caller, documentId);
            content.bind(tenantId, fileOuid);
            documents.addVersion(tenantId, documentId, fileOuid, userId, clock.instant());
            var document = documents.find(tenantId, documentId).orElseThrow();
            feed.updated(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), document.revision());
            return document;
        });
    }

    public Document document(Caller caller, long documentId) {
        return documents.find(caller.tenantId(), documentId).filter(d -> visible(caller, d))
                .orElseThrow(() -> Failure.notFound("no document " + documentId));
    }

    /** The live document whose current file is {@code fileOuid}. */
    public Document byFile(Caller caller, String fileOuid) {
        return documents.findByFile(caller.tenantId(), fileOuid == null ? "" : fileOuid).filter(d -> visible(caller, d))
                .orElseThrow(() -> Failure.notFound("no document with file " + fileOuid));
    }

    /**
     * A page of the container's documents, newest first (its size is the dialect's to cap), with their type and creator names, read in
     * one statement (the caller's record filter on the container type may add one check).
     */
    public List<ListedDocument> page(Caller caller, String containerType, String containerUid, Page page) {
        if (page.limit() == 0 || !containerVisible(caller, containerType, containerUid)) {
            return List.of();
        }
        return documents.page(caller.tenantId(), containerType, containerUid, page.offset(), page.limit());
    }

    /**
     * The rule of which documents go where: a document type must exist in the tenant, be for
     * documents, and be for containers of {@code containerType}.
     */
    public Placement placement(Caller caller, String typeId, String containerType) {
        return types.find(caller, typeId == null ? "" : typeId).map(rule -> rule.placement(containerType)).orElse(Placement.UNKNOWN_TYPE);
    }

    /** {@link #placement}, refused as INVALID unless allowed. */
    public void requirePlacement(Caller caller, String typeId, String containerType) {
        var placement = placement(caller, typeId, containerType);
        if (placement != Placement.ALLOWED) {
            throw refusal(placement, typeId, containerType);
        }
    }

    /** Core's words for a placement the rule refuses. */
    private static Failure refusal(Placement placement, String typeId, String containerType) {
        return switch (placement) {
            case ALLOWED -> throw new IllegalArgumentException("an allowed placement is not refused");
            case UNKNOWN_TYPE -> Failure.invalid("unknown document type " + typeId);
            case NOT_FOR_DOCUMENTS -> Failure.invalid("document type " + typeId + " is not for documents");
            case NOT_FOR_CONTAINER -> Failure.invalid("document type " + typeId + " is not for " + containerType + " containers");
        };
    }

    public long count(Caller caller, String containerType, String containerUid) {
        if (!containerVisible(caller, containerType, containerUid)) {
            return 0;
        }
        return documents.count(caller.tenantId(), containerType, containerUid);
    }

    /** Changes type, subject and attributes (null leaves a value as it is); a new type must fit the container. */
    public Document update(Caller caller, long documentId, String typeId, String subject, Map<String, String> attributes) {
        long tenantId = caller.tenantId();
        return feed.write(() -> {
            var existing = document(caller, documentId);
            if (typeId != null) {
                requirePlacement(caller, typeId, existing.containerType());
            }
            if (!documents.update(tenantId, documentId, typeId, subject, attributes, clock.instant())) {
                throw Failure.notFound("no document " + documentId);
            }
            var document = document(caller, documentId);
            feed.updated(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), document.revision());
            return document;
        });
    }

    /** Removes the document; its files are collected after the grace period. */
    public void delete(Caller caller, long documentId) {
        long tenantId = caller.tenantId();
        feed.run(() -> {
            var revision = document(caller, documentId).revision();
            var files = documents.delete(tenantId, documentId);
            if (files.isEmpty()) {
                throw Failure.notFound("no document " + documentId);
            }
            files.forEach(ouid -> content.delete(tenantId, ouid));
            feed.deleted(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), revision);
        });
    }

    private boolean visible(Caller caller, Document document) {
        return containerVisible(caller, document.containerType(), document.containerUid());
    }

    /** Only a caller with a record filter on the container's type pays for the check. */
    private boolean containerVisible(Caller caller, String containerType, String containerUid) {
        return !containers.filtered(caller, containerType) || containers.exists(caller, containerType, containerUid);
    }

    // ---- versions, moves and containers of several uids

    /** Every version of the document, oldest first. */
    public List<DocumentVersion> versions(Caller caller, long documentId) {
        document(caller, documentId);
        return documents.versions(caller.tenantId(), documentId);
    }

    /**
     * Removes one version; its file is collected after the grace period. The only version cannot go
     * (CONFLICT); an unknown one is NOT_FOUND.
     */
    public Document deleteVersion(Caller caller, long documentId, int version) {
        long tenantId = caller.tenantId();
        return feed.write(() -> {
            document(caller, documentId);
            var file = documents.deleteVersion(tenantId, documentId, version, clock.instant())
                    .orElseThrow(() -> Failure.notFound("Document version not found"));
            content.delete(tenantId, file);
            var document = documents.find(tenantId, documentId).orElseThrow();
            feed.updated(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), document.revision());
            return document;
        });
    }

    /** Puts the document in another container, which must exist for the caller. */
    public Document move(Caller caller, long documentId, String containerType, String containerUid) {
        long tenantId = caller.tenantId();
        return feed.write(() -> {
            document(caller, documentId);
            if (!containers.exists(caller, containerType, containerUid)) {
                throw Failure.notFound("no " + containerType + " with uid " + containerUid);
            }
            if (!documents.move(tenantId, documentId, containerType, containerUid, clock.instant())) {
                throw Failure.notFound("no document " + documentId);
            }
            var document = documents.find(tenantId, documentId).orElseThrow();
            feed.updated(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), document.revision());
            return document;
        });
    }

    /** A page of the documents of several containers of one type (a project's folders), newest first. */
    public List<ListedDocument> pageIn(Caller caller, String containerType, java.util.Collection<String> containerUids, Page page) {
        if (page.limit() == 0 || containers.filtered(caller, containerType)) {
            return List.of();
        }
        return documents.pageIn(caller.tenantId(), containerType, containerUids, page.offset(), page.limit());
    }

    public long countIn(Caller caller, String containerType, java.util.Collection<String> containerUids) {
        return containers.filtered(caller, containerType) ? 0 : documents.countIn(caller.tenantId(), containerType, containerUids);
    }

    /**
     * A page of the documents of several containers of one type changed after {@code after}, oldest
     * change first: what a client polling for changes reads, by index. A client that polls with the
     * newest change time it saw should step back a little (a write in flight commits with the
     * time it began).
     */
    public List<ChangedDocument> changedIn(Caller caller, String containerType, java.util.Collection<String> containerUids,
                                           java.time.Instant after, Page page) {
        if (page.limit() == 0 || containers.filtered(caller, containerType)) {
            return List.of();
        }
        return documents.changedIn(caller.tenantId(), containerType, containerUids, after, page.offset(), page.limit());
    }

    public long countChangedIn(Caller caller, String containerType, java.util.Collection<String> containerUids, java.time.Instant after) {
        return containers.filtered(caller, containerType) ? 0 : documents.countChangedIn(caller.tenantId(), containerType, containerUids, after);
    }

    /** Whether a version of a document in any of the containers already has this content (its SHA-256). */
    public boolean containsContent(Caller caller, String containerType, java.util.Collection<String> containerUids, String sha256) {
        return documents.containsContent(caller.tenantId(), containerType, containerUids, sha256);
    }

    /** The documents with these ids that exist for the caller, by id; read a thousand at a time. */
    public Map<Long, Document> documents(Caller caller, java.util.Collection<Long> documentIds) {
        var out = new java.util.HashMap<Long, Document>();
        var ids = List.copyOf(documentIds);
        for (int from = 0; from < ids.size(); from += 1000) {
            for (var document : documents.findAll(caller.tenantId(), ids.subList(from, Math.min(ids.size(), from + 1000)))) {
                if (visible(caller, document)) {
                    out.put(document.id(), document);
                }
            }
        }
        return out;
    }
}
