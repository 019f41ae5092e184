package io.dossier.core.webhook;

import io.dossier.core.query.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Port: webhooks, each one's place in its tenant's change feed, and their deliveries; shared by every node. */
public interface WebhookRepository {

    record NewWebhook(long tenantId, String url, String sealedSecret, Set<String> recordTypes, Set<WebhookEvent> events,
                      Condition condition, Instant createdAt, long afterTransaction, long afterPosition) {
    }

    /** A webhook's place in the feed: after the change {@code (transaction, position)}. */
    record FeedPosition(long transaction, long position) {
    }

    record NewDelivery(long webhookId, long tenantId, String recordKey, String event, String body, Instant changedAt, Instant createdAt,
                       Instant deadlineAt) {
    }

    /** Inserts the webhook and its feed position. */
    Webhook insert(NewWebhook webhook);

    List<Webhook> list(long tenantId);

    /** Every webhook of every tenant, for the dispatcher. */
    List<Webhook> all();

    Optional<Webhook> find(long tenantId, long id);

    /** The sealed secret of a webhook (any tenant: only the sender asks, for a delivery it holds). */
    Optional<String> sealedSecret(long webhookId);

    /** Deletes the webhook, its position and its deliveries; false when the tenant has no such webhook. */
    boolean delete(long tenantId, long id);

    /**
     * In the caller's transaction: locks the webhook's feed position until it ends and returns it,
     * or empty when another node holds it ({@code SKIP LOCKED}) or the webhook is gone.
     */
    Optional<FeedPosition> lockPosition(long webhookId);

    /** In the caller's transaction, after {@link #lockPosition}: moves the position on. */
    void movePosition(long webhookId, FeedPosition position);

    /** In the caller's transaction: queues a delivery due at its creation. */
    void insertDelivery(NewDelivery delivery);

    /**
     * Claims up to {@code limit} due deliveries: queued or failed ones whose next attempt is due,
     * and running ones whose lease ended before {@code now}; of each record of each webhook only
     * the oldest delivery not finished is claimable, so that one record's changes arrive in their
     * order. Locked rows are skipped. Each comes back RUNNING on {@code node} with a new claim token,
     * one more attempt and its lease until {@code leaseUntil}.
     */
    List<WebhookDelivery> claim(String node, Instant now, Instant leaseUntil, int limit);

    /**
     * Makes sure the oldest unfinished delivery of each record of each webhook is claimable, and
     * returns how many were not: a delivery queued while the one before it finished can be missed
     * by both (each in its own transaction). Reads every unfinished delivery: call it now and then.
     */
    int markHeads();

    /** Records a 2xx answer if this claim still holds the delivery. */
    boolean complete(long id, String claimToken, int status, Instant now);

    /** Records a failed attempt if this claim still holds it: FAILED until {@code nextAttemptAt}, or DEAD when that is null. */
    boolean fail(long id, String claimToken, Integer status, String error, Instant nextAttemptAt, Instant now);

    Optional<WebhookDelivery> delivery(long tenantId, long webhookId, long id);

    /** A webhook's deliveries newest first, below {@code beforeId} when given, of {@code state} when given. */
    List<WebhookDelivery> deliveries(long tenantId, long webhookId, DeliveryState state, Long beforeId, int limit);

    /** Queues a delivery that is not queued or running again, due now, with a new deadline; false if it was. */
    boolean redeliver(long id, Instant now, Instant deadlineAt);

    /** Deletes up to {@code limit} deliveries finished before {@code before}; returns how many. */
    int purgeFinished(Instant before, int limit);
}
