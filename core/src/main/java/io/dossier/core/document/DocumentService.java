package io.dossier.core.document;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import io.dossier.core.Transactions;
import io.dossier.core.access.Caller;
import io.dossier.core.content.ContentService;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Documents in containers, each version pointing at an uploaded file. Binding checks that the file
 * belongs to the tenant and is bound nowhere else, and that the container exists; binding and
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

    private final DocumentRepository documents;
    private final ContentService content;
    private final Containers containers;
    private final Transactions transactions;
    private final Clock clock;

    public DocumentService(DocumentRepository documents, ContentService content, Containers containers, Transactions transactions,
                           Clock clock) {
        this.documents = documents;
        this.content = content;
        this.containers = containers;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Binds an uploaded file as a new document of a container; returns the document. */
    public Document attach(Caller caller, String containerType, String containerUid, String fileOuid, String typeId,
                           String subject, Map<String, String> attributes) {
        long tenantId = caller.tenantId();
        Long userId = caller.userId().orElse(null);
        if (!containers.exists(caller, containerType, containerUid)) {
            throw Failure.notFound("no " + containerType + " with uid " + containerUid);
        }
        return transactions.inTransaction(() -> {
            content.bind(tenantId, fileOuid);
            var id = documents.insert(tenantId, containerType, containerUid, typeId, subject == null ? "" : subject, attributes,
                    fileOuid, userId, clock.instant());
            return documents.find(tenantId, id).orElseThrow();
        });
    }

    /** Binds another uploaded file as the document's next version. */
    public Document addVersion(Caller caller, long documentId, String fileOuid) {
        long tenantId = caller.tenantId();
        Long userId = caller.userId().orElse(null);
        return transactions.inTransaction(() -> {
            document(caller, documentId);
            content.bind(tenantId, fileOuid);
            documents.addVersion(tenantId, documentId, fileOuid, userId, clock.instant());
            return documents.find(tenantId, documentId).orElseThrow();
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

    /** A page of a container's documents; the page's size is the caller's (its dialect's) to cap. */
    public List<Document> list(Caller caller, String containerType, String containerUid, Page page) {
        if (!containerVisible(caller, containerType, containerUid)) {
            return List.of();
        }
        return documents.list(caller.tenantId(), containerType, containerUid, page.offset(), page.limit());
    }

    public long count(Caller caller, String containerType, String containerUid) {
        if (!containerVisible(caller, containerType, containerUid)) {
            return 0;
        }
        return documents.count(caller.tenantId(), containerType, containerUid);
    }

    public Document update(Caller caller, long documentId, String typeId, String subject, Map<String, String> attributes) {
        document(caller, documentId);
        if (!documents.update(caller.tenantId(), documentId, typeId, subject, attributes)) {
            throw Failure.notFound("no document " + documentId);
        }
        return document(caller, documentId);
    }

    /** Removes the document; its files are collected after the grace period. */
    public void delete(Caller caller, long documentId) {
        long tenantId = caller.tenantId();
        transactions.run(() -> {
            document(caller, documentId);
            var files = documents.delete(tenantId, documentId);
            if (files.isEmpty()) {
                throw Failure.notFound("no document " + documentId);
            }
            files.forEach(ouid -> content.delete(tenantId, ouid));
        });
    }

    private boolean visible(Caller caller, Document document) {
        return containerVisible(caller, document.containerType(), document.containerUid());
    }

    /** Only a caller with a record filter on the container's type pays for the check. */
    private boolean containerVisible(Caller caller, String containerType, String containerUid) {
        return !containers.filtered(caller, containerType) || containers.exists(caller, containerType, containerUid);
    }
}
