package io.dossier.api.ows;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dossier.api.http.Json;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.core.webhook.WebhookBodies;
import io.dossier.core.webhook.WebhookEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * OWS webhook notifications (the manual's §1.2, "OTYS Go! Partner OWS Webhooks": an "active
 * signal" that something happened to a record). A notification is shaped as the OWS request that
 * would make the change, so that a partner reads it as it reads OWS:
 * <pre>{"request":{"method":"Otys.Services.CandidateService.update","params":["12"],"args":[null,"12"]},
 *  "uid":"12","event":"Candidate.updated","time":"2026-12-03T02:50:00Z"}</pre>
 * The method is the data service's {@code add}, {@code update} or {@code delete}; a status change
 * and an attached document are updates of the record. {@code params} holds the record's uid, and
 * {@code args} the same as the call's arguments after its session (null here: a partner has its
 * own), which is where OTYS's WordPress plugin reads it: the partner reads what it needs with
 * {@code getDetail}, through its own rights.
 */
public final class OwsNotifications implements WebhookBodies {

    private final OwsBindings bindings;

    public OwsNotifications(Schemas schemas) {
        this.bindings = new OwsBindings(schemas);
    }

    @Override
    public boolean supports(RecordType type) {
        return bindings.all().stream().anyMatch(s -> s.type().qualifiedName().equals(type.qualifiedName()));
    }

    @Override
    public Optional<Notification> render(RecordType type, WebhookEvent event, String uid, Instant changedAt) {
        if (!supports(type)) {
            return Optional.empty();
        }
        var service = bindings.of(type);
        var method = switch (event) {
            case CREATED -> "add";
            case DELETED -> "delete";
            case UPDATED, STATUS_CHANGED, DOCUMENT_ATTACHED -> "update";
        };
        var eventName = type.name() + "." + event.wireName();
        var request = new LinkedHashMap<String, Object>();
        request.put("method", OwsService.SERVICE_PREFIX + service.name() + "." + method);
        request.put("params", List.of(uid));
        // the call's arguments as OWS passes them, the session first (none here): OTYS's WordPress plugin reads args[1] as the uid
        request.put("args", java.util.Arrays.asList(null, uid));
        var body = new LinkedHashMap<String, Object>();
        body.put("request", request);
        body.put("uid", uid);
        body.put("event", eventName);
        body.put("time", changedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        try {
            return Optional.of(new Notification(eventName, Json.MAPPER.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification did not serialise", e);
        }
    }
}
