package io.dossier.core.job;

import java.time.Instant;

/**
 * One unit of durable work.
 *
 * @param tenantId      the tenant it works for, or null for Dossier's own work (blob collection)
 * @param payload       what its kind needs, as text its kind reads (JSON, an id)
 * @param attempts      attempts started so far (a claim starts one)
 * @param nextAttemptAt when a node may claim it: its next attempt, or for a running job the end of its lease
 * @param deadlineAt    after this no new attempt is scheduled: the job is dead with its last error
 * @param node          the node that ran (or runs) its latest attempt
 * @param claimToken    new at every claim: only the holder of the current one may finish or renew it
 */
public record Job(long id, Long tenantId, String kind, String payload, JobState state, int attempts, Instant nextAttemptAt,
                  Instant deadlineAt, String lastError, Instant createdAt, Instant finishedAt, String node, String claimToken) {
}
