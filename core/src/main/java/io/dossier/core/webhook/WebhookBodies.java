package io.dossier.core.webhook;

import io.dossier.core.schema.RecordType;
import java.time.Instant;
import java.util.Optional;

/**
 * Port: the wire shape of a notification, which a dialect owns (core knows no wire words).
 */
public interface WebhookBodies {

    /** The event name the receiver sees and the JSON body posted to it. */
    record Notification(String event, String body) {
    }

    /** The notification of {@code event} on the record {@code uid} of {@code type}; empty when the type has no notification shape. */
    Optional<Notification> render(RecordType type, WebhookEvent event, String uid, Instant changedAt);

    /** Whether records of {@code type} can be notified of at all (checked when a webhook is registered). */
    boolean supports(RecordType type);
}
