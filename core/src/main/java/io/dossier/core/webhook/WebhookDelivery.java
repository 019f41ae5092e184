package io.dossier.core.webhook;

import java.time.Instant;

/**
 * One notification of one change to one webhook, and its attempts.
 *
 * @param recordKey     the record it is about ({@code Candidate:12}): deliveries of one record to
 *                      one webhook go out in the order of its changes
 * @param event         the event as the receiver sees it ({@code Candidate.updated})
 * @param body          the exact bytes posted (as text), the same on every attempt
 * @param changedAt     when the change was made, for the delay from change to delivery
 * @param nextAttemptAt its next attempt, or while running the end of its node's lease
 * @param lastStatus    the HTTP status of the latest answer, null when none came (timeout, refused)
 * @param claimToken    new at every claim: only its holder may record the attempt's outcome
 */
public record WebhookDelivery(long id, long webhookId, long tenantId, String recordKey, String event, String body, Instant changedAt,
                              DeliveryState state, int attempts, Instant nextAttemptAt, Instant deadlineAt, Integer lastStatus,
                              String lastError, Instant createdAt, Instant finishedAt, String node, String claimToken) {
}
