package io.dossier.core.document;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
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
    private final ChangeFeed feed;

    public DocumentService(DocumentRepository documents, ContentService content, Containers containers, Transactions transactions,
                           Clock clock, ChangeFeed feed) {
        this.documents = documents;
        this.content = content;
        this.containers = containers;
        this.transactions = transactions;
        this.clock = clock;
        this.feed = feed;
    }

    /** Binds an uploaded file as a new document of a container; returns the document. */
    public Document attach(long tenantId, Long userId, String containerType, String containerUid, String fileOuid, String typeId,
                           String subject, Map<String, String> attributes) {
        if (!containers.exists(tenantId, containerType, containerUid)) {
            throw Failure.notFound("no " + containerType + " with uid " + containerUid);
        }
        return feed.write(() -> {
            content.bind(tenantId, fileOuid);
            var id = documents.insert(tenantId, containerType, containerUid, typeId, subject == null ? "" : subject, attributes,
                    fileOuid, userId, clock.instant());
            var document = documents.find(tenantId, id).orElseThrow();
            feed.created(tenantId, EntityTypes.DOCUMENT, Long.toString(id), document.revision());
            return document;
        });
    }

    /** Binds another uploaded file as the document's next version. */
    public Document addVersion(long tenantId, Long userId, long documentId, String fileOuid) {
        return feed.write(() -> {
            document(tenantId, documentId);
            content.bind(tenantId, fileOuid);
            documents.addVersion(tenantId, documentId, fileOuid, userId, clock.instant());
            var document = documents.find(tenantId, documentId).orElseThrow();
            feed.updated(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), document.revision());
            return document;
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

    public List<Document> list(long tenantId, String containerType, String containerUid, int offset, int limit) {
        return documents.list(tenantId, containerType, containerUid, Math.max(0, offset), Math.max(0, limit));
    }

    public long count(long tenantId, String containerType, String containerUid) {
        return documents.count(tenantId, containerType, containerUid);
    }

    public Document update(long tenantId, long documentId, String typeId, String subject, Map<String, String> attributes) {
        return feed.write(() -> {
            if (!documents.update(tenantId, documentId, typeId, subject, attributes)) {
                throw Failure.notFound("no document " + documentId);
            }
            var document = document(tenantId, documentId);
            feed.updated(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), document.revision());
            return document;
        });
    }

    /** Removes the document; its files are collected after the grace period. */
    public void delete(long tenantId, long documentId) {
        feed.run(() -> {
            var revision = documents.find(tenantId, documentId).map(Document::revision).orElse(0L);
            var files = documents.delete(tenantId, documentId);
            if (files.isEmpty()) {
                throw Failure.notFound("no document " + documentId);
            }
            files.forEach(ouid -> content.delete(tenantId, ouid));
            feed.deleted(tenantId, EntityTypes.DOCUMENT, Long.toString(documentId), revision);
        });
    }
}
