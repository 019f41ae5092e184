package io.dossier.core.mail;

import java.time.Instant;

/**
 * A message in a tenant's outbox, with who sent it (the user and/or client of the caller) and how
 * its delivery went: {@code attempts} made, when it was sent, and the last error of a failed attempt.
 */
public record OutboxMail(long id, long tenantId, Long userId, Long clientId, MailMessage message, Status status, Instant createdAt,
                         int attempts, Instant sentAt, String lastError) {

    public enum Status {
        /** Accepted and waiting: for its next attempt, or for a mail server to be configured. */
        QUEUED,
        /** Handed to the mail server. */
        SENT,
        /** Refused by the mail server, or not delivered after {@link MailService#MAX_ATTEMPTS} attempts. */
        FAILED
    }
}
