package io.dossier.core.webhook;

import io.dossier.core.Failure;
import java.util.Arrays;

/** What happened to a record that a webhook may ask to be told of. */
public enum WebhookEvent {
    CREATED("created"),
    UPDATED("updated"),
    DELETED("deleted"),
    /** Its status field ({@code statusId}) took another value. */
    STATUS_CHANGED("statusChanged"),
    /** A document was attached to it. */
    DOCUMENT_ATTACHED("documentAttached");

    private final String wireName;

    WebhookEvent(String wireName) {
        this.wireName = wireName;
    }

    /** The name operators register and receivers see: {@code created}, {@code statusChanged}, … */
    public String wireName() {
        return wireName;
    }

    public static WebhookEvent of(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equalsIgnoreCase(name == null ? "" : name.strip())).findFirst()
                .orElseThrow(() -> Failure.invalid("unknown event '" + name + "'; events are "
                        + String.join(", ", Arrays.stream(values()).map(WebhookEvent::wireName).toList())));
    }
}
