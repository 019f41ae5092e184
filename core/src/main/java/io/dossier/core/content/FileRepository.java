package io.dossier.core.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: uploaded files. Every lookup takes the tenant, except the collector's claims. */
public interface FileRepository {

    void insert(StoredFile file);

    Optional<StoredFile> find(long tenantId, String ouid);

    /** UPLOADED → BOUND, atomically; the file as bound, empty when it is not UPLOADED (bound already, deleted, absent). */
    Optional<StoredFile> bind(long tenantId, String ouid);

    /** BOUND or UPLOADED → DELETED at {@code when}; false when absent. */
    boolean markDeleted(long tenantId, String ouid, Instant when);

    /**
     * Claims up to {@code limit} files to collect — UPLOADED ones past {@code expiredBefore}, DELETED
     * ones deleted before {@code deletedBefore} — locking them so that no other node claims them
     * (SELECT … FOR UPDATE SKIP LOCKED), deletes their rows and returns them, all in the caller's
     * transaction.
     */
    List<StoredFile> claimCollectable(Instant expiredBefore, Instant deletedBefore, int limit);

    /**
     * Which of {@code blobIds} some row still points at: a file (in any state) or a chunk of a
     * resumable upload in progress. The rest belong to nothing and may be removed.
     */
    java.util.Set<String> referencedBlobs(java.util.Collection<String> blobIds);
}
