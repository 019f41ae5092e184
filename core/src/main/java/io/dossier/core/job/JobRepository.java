package io.dossier.core.job;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Port: the durable job table, shared by every node. */
public interface JobRepository {

    /** What a new job is; {@code uniqueKey} (may be null) makes a second insert with the same key a no-op. */
    record NewJob(Long tenantId, String kind, String payload, Instant nextAttemptAt, Instant deadlineAt, String uniqueKey) {
    }

    /** Inserts the job, or returns empty when a job with its unique key exists. */
    Optional<Job> insert(NewJob job, Instant now);

    /**
     * Claims up to {@code limit} due jobs of {@code kinds}: queued or failed jobs whose next
     * attempt is at or before {@code now}, and running jobs whose lease ended before it (their node
     * died). Locked rows are skipped ({@code SELECT … FOR UPDATE SKIP LOCKED}), so nodes claiming
     * at once get different jobs. Each claimed job is RUNNING on {@code node} with a new claim token,
     * one more attempt, and its lease until {@code leaseUntil}; they are returned so.
     */
    List<Job> claim(Collection<String> kinds, String node, Instant now, Instant leaseUntil, int limit);

    /** Extends the lease of those jobs still held with these claim tokens; returns how many were. */
    int renew(Collection<String> claimTokens, Instant leaseUntil);

    /** Marks the job DONE if this claim still holds it; false when it was taken over or cancelled. */
    boolean complete(long id, String claimToken, Instant now);

    /**
     * Records a failed attempt if this claim still holds the job: FAILED with its next attempt at
     * {@code nextAttemptAt}, or DEAD (finished now) when that is null.
     */
    boolean fail(long id, String claimToken, String error, Instant nextAttemptAt, Instant now);

    /** The job, when it belongs to {@code tenantId} (null: any tenant, for the operator's own view). */
    Optional<Job> find(Long tenantId, long id);

    /** The job enqueued with {@code uniqueKey} in the tenant, if any. */
    default Optional<Job> findByUniqueKey(long tenantId, String uniqueKey) {
        throw new UnsupportedOperationException("this job store cannot find jobs by key");
    }

    /**
     * Jobs newest first, with an id below {@code beforeId} when given; {@code tenantId} null lists
     * every tenant's and Dossier's own, {@code state} and {@code kind} null do not filter.
     */
    List<Job> list(Long tenantId, JobState state, String kind, Long beforeId, int limit);

    /** Makes a finished or failed job QUEUED again, due at {@code now}, with a new deadline; false if it is queued or running. */
    boolean retry(long id, Instant now, Instant deadlineAt);

    /** Makes a job that is not DONE or DEAD dead with {@code reason}; false if it already was. */
    boolean cancel(long id, String reason, Instant now);

    /** Deletes up to {@code limit} jobs finished before {@code before}; returns how many. */
    int purgeFinished(Instant before, int limit);
}
