package io.dossier.core.mail;

import java.time.Instant;
import java.util.List;

/** Port: a tenant's outbox. */
public interface OutboxRepository {

    /** Stores a message; returns its id. */
    long add(long tenantId, Long userId, Long clientId, MailMessage message, OutboxMail.Status status, Instant at);

    /** The tenant's messages with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<OutboxMail> list(long tenantId, long afterId, int limit);
}
