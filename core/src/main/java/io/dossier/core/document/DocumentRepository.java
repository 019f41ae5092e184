package io.dossier.core.document;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Port: documents and their versions. Every call takes the tenant. */
public interface DocumentRepository {

    /** Inserts a document with version 1 pointing at file {@code fileOuid}, at revision 1, with the non-null attributes; returns its id. */
    long insert(long tenantId, String containerType, String containerUid, String typeId, String subject,
                Map<String, String> attributes, String fileOuid, Long createdBy, Instant createdAt);

    /**
     * {@link #insert} over a new file, whose row is inserted with the document's (in one statement
     * where the database allows it): an upload that becomes a document in one request.
     */
    long insertWithFile(long tenantId, String containerType, String containerUid, String typeId, String subject,
                        Map<String, String> attributes, io.dossier.core.content.StoredFile file, Long createdBy, Instant createdAt);

    /** Adds a version pointing at {@code fileOuid} (raising the revision); returns the new version number. */
    int addVersion(long tenantId, long documentId, String fileOuid, Long createdBy, Instant createdAt);

    /** The document with its current version's file. */
    Optional<Document> find(long tenantId, long documentId);

    /** The document whose current version is file {@code fileOuid}. */
    Optional<Document> findByFile(long tenantId, String fileOuid);

    /**
     * A page of a container's documents, newest first, each with its attributes, its type's name and
     * its creator's display name: one statement, however long the page.
     */
    List<ListedDocument> page(long tenantId, String containerType, String containerUid, int offset, int limit);

    long count(long tenantId, String containerType, String containerUid);

    /** Sets type and subject (null leaves a value as it is), raises the revision and marks it changed {@code at}; false when absent. */
    boolean update(long tenantId, long documentId, String typeId, String subject, Map<String, String> attributes, Instant at);

    /** Removes the document and its versions; returns the file ouids its versions pointed at (empty when absent). */
    List<String> delete(long tenantId, long documentId);

    // ---- versions, moves and containers of several uids (Opus 2 projects, whose folders hold documents)

    /** Every version of the document, oldest first, each with its file; empty when there is no such document. */
    List<DocumentVersion> versions(long tenantId, long documentId);

    /**
     * Removes one version (raising the revision); when it was the current one, the newest left becomes
     * current. Returns the file ouid it pointed at, empty when there is no such version. Refuses
     * (CONFLICT) to remove the only version.
     */
    Optional<String> deleteVersion(long tenantId, long documentId, int version, Instant at);

    /** Puts the document in another container (raising the revision, changed {@code at}); false when absent. */
    boolean move(long tenantId, long documentId, String containerType, String containerUid, Instant at);

    /** A page of the documents of any of the containers, newest first, as {@link #page}. */
    List<ListedDocument> pageIn(long tenantId, String containerType, java.util.Collection<String> containerUids, int offset, int limit);

    long countIn(long tenantId, String containerType, java.util.Collection<String> containerUids);

    /**
     * A page of the documents of any of the containers that changed (were created, updated, moved
     * or versioned) after {@code after}, oldest change first (ties by id), each with its attributes
     * and the time of its last change.
     */
    List<ChangedDocument> changedIn(long tenantId, String containerType, java.util.Collection<String> containerUids, Instant after,
                                    int offset, int limit);

    long countChangedIn(long tenantId, String containerType, java.util.Collection<String> containerUids, Instant after);

    /** Whether a version of a document in any of the containers has content with this SHA-256. */
    boolean containsContent(long tenantId, String containerType, java.util.Collection<String> containerUids, String sha256);

    /** The documents with these ids (those that exist in the tenant), in no particular order. */
    List<Document> findAll(long tenantId, java.util.Collection<Long> documentIds);
}
