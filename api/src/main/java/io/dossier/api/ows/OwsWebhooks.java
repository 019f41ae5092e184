package io.dossier.api.ows;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dossier.api.http.Json;
import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.schema.Schemas;
import io.dossier.core.session.Session;
import io.dossier.core.webhook.DeliveryState;
import io.dossier.core.webhook.Webhook;
import io.dossier.core.webhook.WebhookDelivery;
import io.dossier.core.webhook.WebhookEvent;
import io.dossier.core.webhook.Webhooks;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code WebhooksService}: a site registers, lists and deletes its own webhooks and reads their
 * logs, over core's webhooks of the session's tenant ({@link Webhooks}).
 *
 * <p>OWS names what to be told of by a service call ({@code "serviceCall":"VacancyService.update"}):
 * a change an OWS call makes. Dossier tells of changes of records, whichever dialect made them, so
 * a service call becomes the record type of its data service and an event: {@code add} is
 * {@code created}, {@code delete} is {@code deleted}, any other writing method ({@code update},
 * {@code updateEx}, {@code setExtraFieldValue}, …) is {@code updated}. Listed again, a webhook's
 * service call is that event's method ({@code VacancyService.update}). Service calls that change no
 * record of a data service (settings, question sets) cannot be told of and are refused. An API key
 * with record filters sees only some records: it may not use webhooks, which tell of them all.
 */
final class OwsWebhooks {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Services whose changes are changes of another service's records. */
    private static final Map<String, String> SAME_RECORDS = Map.of("MatchCriteriaSettingsService", "MatchCriteriaService");
    private static final int DEFAULT_LOGS = 100;
    private static final int MAX_LOGS = 1000;

    private final Webhooks webhooks;
    private final OwsBindings bindings;
    private final Schemas schemas;

    OwsWebhooks(Webhooks webhooks, OwsBindings bindings, Schemas schemas) {
        this.webhooks = webhooks;
        this.bindings = bindings;
        this.schemas = schemas;
    }

    Object call(String name, Session session, Caller caller, Params params) {
        if (!caller.filters().isEmpty()) {
            // a webhook tells of every record of its types, and its logs hold their uids
            throw Failure.forbidden("this API key sees only some records (record filters), and webhooks tell of all of them;"
                    + " an operator registers webhooks for it");
        }
        var tenant = session.tenantId();
        return switch (name) {
            case "add" -> add(tenant, params.object(1, "webhook", false));
            case "getList" -> list(tenant);
            case "delete" -> {
                webhooks.delete(tenant, OwsPluginMethods.number(params.get(1), "uid"));
                yield true;
            }
            case "getLogs" -> List.of(logs(tenant, params.get(1) == null ? DEFAULT_LOGS : OwsPluginMethods.number(params.get(1), "limit")));
            default -> throw new OwsError(OwsError.METHOD_NOT_FOUND, "Method not found: " + OwsService.SERVICE_PREFIX + "WebhooksService." + name);
        };
    }

    /** add({serviceCall, webhookUrl, klantGlobal}): the new webhook's uid. */
    private long add(long tenant, Map<String, Object> input) {
        if (!(input.get("serviceCall") instanceof String call) || call.isBlank()) {
            throw OwsError.invalidParams("'serviceCall' must name an OWS method, such as VacancyService.update");
        }
        if (!(input.get("webhookUrl") instanceof String url) || url.isBlank()) {
            throw OwsError.invalidParams("'webhookUrl' must be the URL to post to");
        }
        var global = input.get("klantGlobal");
        if (global != null && !Boolean.TRUE.equals(global) && !(global instanceof Number n && n.intValue() == 1)) {
            throw OwsError.invalidParams("Dossier's webhooks tell of every change in the client, whoever made it: 'klantGlobal' must be true");
        }
        var method = call.startsWith(OwsService.SERVICE_PREFIX) ? call.substring(OwsService.SERVICE_PREFIX.length()) : call;
        var dot = method.indexOf('.');
        if (dot <= 0 || dot == method.length() - 1) {
            throw OwsError.invalidParams("'serviceCall' must be Service.method, such as VacancyService.update");
        }
        var service = method.substring(0, dot);
        var name = method.substring(dot + 1);
        var bound = bindings.byService(SAME_RECORDS.getOrDefault(service, service)).orElseThrow(() -> OwsError.invalidParams(
                "Dossier's webhooks tell of changes of records of its data services; " + service + " is not one"));
        if (name.matches("(get|is|has|check|fetch|search|count)([A-Z].*)?")) {
            throw OwsError.invalidParams(call + " reads and changes nothing to tell of");
        }
        if (name.startsWith("session")) {
            // an interaction's session writes answer sets, not the form: its commit is FreeInteractionAnswerSetService's
            throw OwsError.invalidParams(call + " changes no " + service + " record; Dossier tells of changes of records of its data services");
        }
        var event = switch (name) {
            case "add" -> WebhookEvent.CREATED;
            case "delete" -> WebhookEvent.DELETED;
            default -> WebhookEvent.UPDATED;
        };
        var registered = webhooks.register(tenant, url.strip(), null, Set.of(bound.type().qualifiedName()), Set.of(event.wireName()), null);
        return registered.webhook().id();
    }

    /** getList: the client's webhooks, each {uid, serviceCall, webhookUrl, klantGlobal}. */
    private List<Map<String, Object>> list(long tenant) {
        var out = new ArrayList<Map<String, Object>>();
        for (var webhook : webhooks.list(tenant)) {
            var item = new LinkedHashMap<String, Object>();
            item.put("uid", webhook.id());
            item.put("serviceCall", String.join(",", serviceCalls(webhook)));
            item.put("webhookUrl", webhook.url());
            item.put("klantGlobal", true);
            out.add(item);
        }
        return out;
    }

    /** The service calls a webhook tells of, as OWS names them ({@code VacancyService.update}). */
    private Set<String> serviceCalls(Webhook webhook) {
        var out = new TreeSet<String>();
        for (var storageName : webhook.recordTypes()) {
            var type = schemas.byStorageName(storageName).orElse(null);
            var service = type == null ? storageName : bindings.byType(type).map(OwsBindings.Service::name).orElse(storageName);
            for (var event : webhook.events()) {
                out.add(service + "." + switch (event) {
                    case CREATED -> "add";
                    case DELETED -> "delete";
                    case UPDATED, STATUS_CHANGED, DOCUMENT_ATTACHED -> "update";
                });
            }
        }
        return out;
    }

    /** getLogs(limit): the client's latest deliveries of every webhook, newest first. */
    private List<Map<String, Object>> logs(long tenant, long limit) {
        if (limit < 1 || limit > MAX_LOGS) {
            throw OwsError.invalidParams("'limit' must be 1 to " + MAX_LOGS);
        }
        var all = new ArrayList<Map<String, Object>>();
        var rows = new ArrayList<WebhookDelivery>();
        var urls = new LinkedHashMap<Long, String>();
        for (var webhook : webhooks.list(tenant)) {
            urls.put(webhook.id(), webhook.url());
            try {
                rows.addAll(webhooks.deliveries(tenant, webhook.id(), null, null, (int) limit));
            } catch (Failure gone) {
                // a webhook deleted meanwhile has no logs left
                if (gone.kind() != Failure.Kind.NOT_FOUND) {
                    throw gone;
                }
            }
        }
        rows.sort(Comparator.comparingLong(WebhookDelivery::id).reversed());
        for (var delivery : rows.subList(0, (int) Math.min(limit, rows.size()))) {
            var item = new LinkedHashMap<String, Object>();
            item.put("id", delivery.id());
            item.put("webhook_uid", delivery.webhookId());
            item.put("webhook_url", urls.get(delivery.webhookId()));
            item.put("request_data", delivery.body());
            item.put("response_data", response(delivery));
            item.put("response_code", delivery.lastStatus() == null ? 0 : delivery.lastStatus());
            item.put("is_processed", delivery.state() == DeliveryState.DONE);
            item.put("state", delivery.state().name().toLowerCase(Locale.ROOT));
            item.put("attempts", delivery.attempts());
            item.put("added", DATE_TIME.format(delivery.createdAt()));
            item.put("processed", delivery.finishedAt() == null ? null : DATE_TIME.format(delivery.finishedAt()));
            all.add(item);
        }
        return all;
    }

    /** What the receiver answered, as JSON text: its HTTP status and Dossier's note of a failure. */
    private static String response(WebhookDelivery delivery) {
        var out = new LinkedHashMap<String, Object>();
        out.put("status", delivery.lastStatus());
        out.put("error", delivery.lastError());
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a log line did not serialise", e);
        }
    }
}
