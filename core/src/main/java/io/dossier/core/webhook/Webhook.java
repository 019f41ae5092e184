package io.dossier.core.webhook;

import io.dossier.core.query.Condition;
import java.time.Instant;
import java.util.Set;

/**
 * A tenant's registration to be told of changes of its records: a POST to {@code url} for each
 * change of a record of {@code recordTypes} (storage names, {@code Candidate}) that is one of
 * {@code events} and, when {@code condition} is given, whose record matches it when the change is
 * dispatched. Its secret is not here: it is sealed in storage and only opened to sign.
 */
public record Webhook(long id, long tenantId, String url, Set<String> recordTypes, Set<WebhookEvent> events, Condition condition,
                      Instant createdAt) {

    public Webhook {
        recordTypes = Set.copyOf(recordTypes);
        events = Set.copyOf(events);
    }
}
