package io.dossier.core.mail;

import java.time.Instant;

/** A message in a tenant's outbox, with who sent it (the user and/or client of the caller) and its state. */
public record OutboxMail(long id, long tenantId, Long userId, Long clientId, MailMessage message, Status status, Instant createdAt) {

    public enum Status {
        /** Accepted, kept in the outbox; no mail server is configured to deliver it. */
        QUEUED
    }
}
