package io.dossier.core.document;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import io.dossier.core.Transactions;
import io.dossier.core.content.ContentService;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Documents in containers, each version pointing at an uploaded file. Binding checks that the file
 * belongs to the tenant and is bound nowhere else, and that the container exists; binding and
 * unbinding happen in one transaction with the document rows.
 */
public final class DocumentService {

    /** Whether a container exists in a tenant: (tenantId, containerType, containerUid). */
    @FunctionalInterface
    public interface Containers {
        boolean exists(long tenantId, String containerType, String containerUid);
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
    public Document attach(long tenantId, Long userId, String containerType, String containerUid, String fileOuid, String typeId,
                           String subject, Map<String, String> attributes) {
        if (!containers.exists(tenantId, containerType, containerUid)) {
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
    public Document addVersion(long tenantId, Long userId, long documentId, String fileOuid) {
        return transactions.inTransaction(() -> {
            document(tenantId, documentId);
            content.bind(tenantId, fileOuid);
            documents.addVersion(tenantId, documentId, fileOuid, userId, clock.instant());
            return documents.find(tenantId, documentId).orElseThrow();
        });
    }

    public Document document(long tenantId, long documentId) {
        return documents.find(tenantId, documentId).orElseThrow(() -> Failure.notFound("no document " + documentId));
    }

    /** The live document whose current file is {@code fileOuid}. */
    public Document byFile(long tenantId, String fileOuid) {
        return documents.findByFile(tenantId, fileOuid == null ? "" : fileOuid)
                .orElseThrow(() -> Failure.notFound("no document with file " + fileOuid));
    }

    /** A page of a container's documents; the page's size is the caller's (its dialect's) to cap. */
    public List<Document> list(long tenantId, String containerType, String containerUid, Page page) {
        return documents.list(tenantId, containerType, containerUid, page.offset(), page.limit());
    }

    public long count(long tenantId, String containerType, String containerUid) {
        return documents.count(tenantId, containerType, containerUid);
    }

    public Document update(long tenantId, long documentId, String typeId, String subject, Map<String, String> attributes) {
        if (!documents.update(tenantId, documentId, typeId, subject, attributes)) {
            throw Failure.notFound("no document " + documentId);
        }
        return document(tenantId, documentId);
    }

    /** Removes the document; its files are collected after the grace period. */
    public void delete(long tenantId, long documentId) {
        transactions.run(() -> {
            var files = documents.delete(tenantId, documentId);
            if (files.isEmpty()) {
                throw Failure.notFound("no document " + documentId);
            }
            files.forEach(ouid -> content.delete(tenantId, ouid));
        });
    }
}
