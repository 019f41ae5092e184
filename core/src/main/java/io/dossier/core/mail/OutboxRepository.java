package io.dossier.core.mail;

import java.time.Instant;
import java.util.List;

/** Port: the tenants' outboxes. */
public interface OutboxRepository {

    /** Stores a queued message, due at {@code dueAt} (null: not until a mail server is configured); returns its id. */
    long add(long tenantId, Long userId, Long clientId, MailMessage message, Instant at, Instant dueAt);

    /** The tenant's messages with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<OutboxMail> list(long tenantId, long afterId, int limit);

    /**
     * Locks up to {@code limit} queued messages of any tenant that are due at {@code now}, oldest
     * first, skipping those another node holds; call inside a transaction, which holds the locks.
     */
    List<OutboxMail> claimDue(Instant now, int limit);

    /** Makes queued messages without a due time (accepted while no mail server was configured) due at {@code now}. */
    int scheduleWaiting(Instant now);

    void markSent(long id, int attempts, Instant at);

    void markRetry(long id, int attempts, Instant nextAttemptAt, String error);

    void markFailed(long id, int attempts, String error);
}
