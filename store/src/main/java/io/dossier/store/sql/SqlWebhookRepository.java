package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.Failure;
import io.dossier.core.query.Condition;
import io.dossier.core.query.ConditionValues;
import io.dossier.core.webhook.DeliveryState;
import io.dossier.core.webhook.Webhook;
import io.dossier.core.webhook.WebhookDelivery;
import io.dossier.core.webhook.WebhookEvent;
import io.dossier.core.webhook.WebhookRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Webhooks, their feed positions and deliveries (V18). Claims take {@code FOR UPDATE SKIP LOCKED}
 * on H2 and PostgreSQL alike, as jobs do; only the oldest unfinished delivery of a record to a
 * webhook is claimable: it is marked {@code ready} (V26) when it is queued with nothing of its record
 * unfinished, when the delivery before it finishes, or by {@link #markHeads}, so that a claim reads
 * ready rows by index whatever the backlog.
 */
public final class SqlWebhookRepository implements WebhookRepository {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int MAX_CONDITION_CHARS = 8000;

    static final Table<Record> WEBHOOK = table(name("webhook"));
    static final Field<Long> W_ID = field(name("webhook", "id"), Long.class);
    static final Field<Long> W_TENANT = field(name("webhook", "tenant_id"), Long.class);
    static final Field<String> W_URL = field(name("webhook", "url"), String.class);
    static final Field<String> W_SECRET = field(name("webhook", "secret_sealed"), String.class);
    static final Field<String> W_TYPES = field(name("webhook", "record_types"), String.class);
    static final Field<String> W_EVENTS = field(name("webhook", "events"), String.class);
    static final Field<String> W_CONDITION = field(name("webhook", "condition_json"), String.class);
    static final Field<OffsetDateTime> W_CREATED = field(name("webhook", "created_at"), OffsetDateTime.class);
    private static final List<Field<?>> W_COLUMNS = List.of(W_ID, W_TENANT, W_URL, W_TYPES, W_EVENTS, W_CONDITION, W_CREATED);

    static final Table<Record> CURSOR = table(name("webhook_cursor"));
    static final Field<Long> C_WEBHOOK = field(name("webhook_cursor", "webhook_id"), Long.class);
    static final Field<Long> C_TRANSACTION = field(name("webhook_cursor", "after_transaction"), Long.class);
    static final Field<Long> C_POSITION = field(name("webhook_cursor", "after_position"), Long.class);
    static final Field<OffsetDateTime> C_UPDATED = field(name("webhook_cursor", "updated_at"), OffsetDateTime.class);

    static final Table<Record> DELIVERY = table(name("webhook_delivery"));
    static final Field<Long> D_ID = field(name("id"), Long.class);
    static final Field<Long> D_WEBHOOK = field(name("webhook_id"), Long.class);
    static final Field<Long> D_TENANT = field(name("tenant_id"), Long.class);
    static final Field<String> D_RECORD = field(name("record_key"), String.class);
    static final Field<String> D_EVENT = field(name("event"), String.class);
    static final Field<String> D_BODY = field(name("body"), String.class);
    static final Field<OffsetDateTime> D_CHANGED = field(name("changed_at"), OffsetDateTime.class);
    static final Field<String> D_STATE = field(name("state"), String.class);
    static final Field<Integer> D_ATTEMPTS = field(name("attempts"), Integer.class);
    static final Field<OffsetDateTime> D_NEXT = field(name("next_attempt_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> D_DEADLINE = field(name("deadline_at"), OffsetDateTime.class);
    static final Field<Integer> D_STATUS = field(name("last_status"), Integer.class);
    static final Field<String> D_ERROR = field(name("last_error"), String.class);
    static final Field<OffsetDateTime> D_CREATED = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> D_FINISHED = field(name("finished_at"), OffsetDateTime.class);
    static final Field<String> D_NODE = field(name("node"), String.class);
    static final Field<String> D_TOKEN = field(name("claim_token"), String.class);
    static final Field<Boolean> D_READY = field(name("ready"), Boolean.class);
    private static final List<Field<?>> D_COLUMNS = List.of(D_ID, D_WEBHOOK, D_TENANT, D_RECORD, D_EVENT, D_BODY, D_CHANGED, D_STATE,
            D_ATTEMPTS, D_NEXT, D_DEADLINE, D_STATUS, D_ERROR, D_CREATED, D_FINISHED, D_NODE, D_TOKEN);
    private static final List<String> UNFINISHED = List.of(DeliveryState.QUEUED.name(), DeliveryState.FAILED.name(),
            DeliveryState.RUNNING.name());

    private final Database db;

    public SqlWebhookRepository(Database db) {
        this.db = db;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    // ---- webhooks

    @Override
    public Webhook insert(NewWebhook w) {
        var conditionJson = w.condition() == null ? null : write(w.condition());
        return db.inTransaction(() -> {
            long id = db.sql().insertInto(WEBHOOK)
                    .set(W_TENANT, w.tenantId())
                    .set(W_URL, w.url())
                    .set(W_SECRET, w.sealedSecret())
                    .set(W_TYPES, String.join(",", w.recordTypes()))
                    .set(W_EVENTS, w.events().stream().map(WebhookEvent::name).collect(Collectors.joining(",")))
                    .set(W_CONDITION, conditionJson)
                    .set(W_CREATED, utc(w.createdAt()))
                    .returningResult(W_ID).fetchOne().value1();
            db.sql().insertInto(CURSOR)
                    .set(C_WEBHOOK, id)
                    .set(C_TRANSACTION, w.afterTransaction())
                    .set(C_POSITION, w.afterPosition())
                    .set(C_UPDATED, utc(w.createdAt()))
                    .execute();
            return new Webhook(id, w.tenantId(), w.url(), w.recordTypes(), w.events(), w.condition(), w.createdAt());
        });
    }

    @Override
    public List<Webhook> list(long tenantId) {
        return db.sql().select(W_COLUMNS).from(WEBHOOK).where(W_TENANT.eq(tenantId)).orderBy(W_ID).fetch(SqlWebhookRepository::webhook);
    }

    @Override
    public List<Webhook> all() {
        return db.sql().select(W_COLUMNS).from(WEBHOOK).orderBy(W_ID).fetch(SqlWebhookRepository::webhook);
    }

    @Override
    public Optional<Webhook> find(long tenantId, long id) {
        return db.sql().select(W_COLUMNS).from(WEBHOOK).where(W_TENANT.eq(tenantId), W_ID.eq(id)).fetchOptional(SqlWebhookRepository::webhook);
    }

    @Override
    public Optional<String> sealedSecret(long webhookId) {
        return db.sql().select(W_SECRET).from(WEBHOOK).where(W_ID.eq(webhookId)).fetchOptional(r -> r.value1());
    }

    @Override
    public boolean delete(long tenantId, long id) {
        return db.inTransaction(() -> {
            if (!db.sql().fetchExists(WEBHOOK, W_TENANT.eq(tenantId).and(W_ID.eq(id)))) {
                return false;
            }
            db.sql().deleteFrom(DELIVERY).where(D_WEBHOOK.eq(id)).execute();
            db.sql().deleteFrom(CURSOR).where(C_WEBHOOK.eq(id)).execute();
            return db.sql().deleteFrom(WEBHOOK).where(W_ID.eq(id), W_TENANT.eq(tenantId)).execute() > 0;
        });
    }

    // ---- feed positions

    @Override
    public Optional<FeedPosition> lockPosition(long webhookId) {
        return db.sql().select(C_TRANSACTION, C_POSITION).from(CURSOR).where(C_WEBHOOK.eq(webhookId))
                .forUpdate().skipLocked()
                .fetchOptional(r -> new FeedPosition(r.value1(), r.value2()));
    }

    @Override
    public void movePosition(long webhookId, FeedPosition position) {
        db.sql().update(CURSOR)
                .set(C_TRANSACTION, position.transaction())
                .set(C_POSITION, position.position())
                .set(C_UPDATED, utc(Instant.now()))
                .where(C_WEBHOOK.eq(webhookId))
                .execute();
    }

    // ---- deliveries

    @Override
    public void insertDelivery(NewDelivery d) {
        db.sql().insertInto(DELIVERY)
                .set(D_WEBHOOK, d.webhookId())
                .set(D_TENANT, d.tenantId())
                .set(D_RECORD, d.recordKey())
                .set(D_EVENT, d.event())
                .set(D_BODY, d.body())
                .set(D_CHANGED, utc(d.changedAt()))
                .set(D_STATE, DeliveryState.QUEUED.name())
                .set(D_ATTEMPTS, 0)
                .set(D_NEXT, utc(d.createdAt()))
                .set(D_DEADLINE, utc(d.deadlineAt()))
                .set(D_CREATED, utc(d.createdAt()))
                .set(D_READY, DSL.field(DSL.notExists(DSL.selectOne().from(DELIVERY)
                        .where(D_WEBHOOK.eq(d.webhookId()), D_RECORD.eq(d.recordKey()), D_STATE.in(UNFINISHED)))))
                .execute();
    }

    @Override
    public List<WebhookDelivery> claim(String node, Instant now, Instant leaseUntil, int limit) {
        return db.inTransaction(() -> {
            var ids = db.sql().select(D_ID).from(DELIVERY)
                    .where(D_READY.isTrue(), D_STATE.in(UNFINISHED), D_NEXT.le(utc(now)))
                    .orderBy(D_NEXT, D_ID)
                    .limit(limit)
                    .forUpdate().skipLocked()
                    .fetch(D_ID);
            if (ids.isEmpty()) {
                return List.<WebhookDelivery>of();
            }
            var token = UUID.randomUUID().toString();
            db.sql().update(DELIVERY)
                    .set(D_STATE, DeliveryState.RUNNING.name())
                    .set(D_ATTEMPTS, D_ATTEMPTS.plus(1))
                    .set(D_NODE, node)
                    .set(D_TOKEN, token)
                    .set(D_NEXT, utc(leaseUntil))
                    .where(D_ID.in(ids), D_STATE.in(UNFINISHED), D_NEXT.le(utc(now)))
                    .execute();
            return db.sql().select(D_COLUMNS).from(DELIVERY).where(D_TOKEN.eq(token)).orderBy(D_ID).fetch(SqlWebhookRepository::delivery);
        });
    }

    private org.jooq.Condition held(long id, String claimToken) {
        return D_ID.eq(id).and(D_TOKEN.eq(claimToken)).and(D_STATE.eq(DeliveryState.RUNNING.name()));
    }

    @Override
    public boolean complete(long id, String claimToken, int status, Instant now) {
        return db.inTransaction(() -> {
            boolean held = db.sql().update(DELIVERY)
                    .set(D_STATE, DeliveryState.DONE.name())
                    .set(D_STATUS, status)
                    .setNull(D_ERROR)
                    .set(D_FINISHED, utc(now))
                    .set(D_NEXT, utc(now))
                    .setNull(D_TOKEN)
                    .set(D_READY, false)
                    .where(held(id, claimToken))
                    .execute() > 0;
            if (held) {
                readyNext(id);
            }
            return held;
        });
    }

    /** Marks the next unfinished delivery of the record of delivery {@code id}, which just finished, ready. */
    private void readyNext(long id) {
        var of = db.sql().select(D_WEBHOOK, D_RECORD).from(DELIVERY).where(D_ID.eq(id)).fetchOne();
        if (of == null) {
            return;
        }
        var next = db.sql().select(DSL.min(D_ID)).from(DELIVERY)
                .where(D_WEBHOOK.eq(of.value1()), D_RECORD.eq(of.value2()), D_STATE.in(UNFINISHED))
                .fetchOne(0, Long.class);
        if (next != null) {
            db.sql().update(DELIVERY).set(D_READY, true).where(D_ID.eq(next)).execute();
        }
    }

    @Override
    public int markHeads() {
        var heads = DSL.table(name("webhook_delivery")).as("heads");
        var headId = field(name("heads", "id"), Long.class);
        return db.sql().update(DELIVERY).set(D_READY, true)
                .where(D_READY.isFalse(), D_STATE.in(UNFINISHED))
                .and(D_ID.in(DSL.select(DSL.min(headId)).from(heads)
                        .where(field(name("heads", "state"), String.class).in(UNFINISHED))
                        .groupBy(field(name("heads", "webhook_id"), Long.class), field(name("heads", "record_key"), String.class))))
                .execute();
    }

    @Override
    public boolean fail(long id, String claimToken, Integer status, String error, Instant nextAttemptAt, Instant now) {
        if (nextAttemptAt != null) {
            return db.sql().update(DELIVERY).set(D_ERROR, error).set(D_STATUS, status).setNull(D_TOKEN)
                    .set(D_STATE, DeliveryState.FAILED.name()).set(D_NEXT, utc(nextAttemptAt)).where(held(id, claimToken)).execute() > 0;
        }
        return db.inTransaction(() -> {
            boolean held = db.sql().update(DELIVERY).set(D_ERROR, error).set(D_STATUS, status).setNull(D_TOKEN).set(D_STATE, DeliveryState.DEAD.name()).set(D_FINISHED, utc(now)).set(D_NEXT, utc(now))
                    .set(D_READY, false).where(held(id, claimToken)).execute() > 0;
            if (held) {
                readyNext(id);
            }
            return held;
        });
    }

    @Override
    public Optional<WebhookDelivery> delivery(long tenantId, long webhookId, long id) {
        return db.sql().select(D_COLUMNS).from(DELIVERY).where(D_ID.eq(id), D_WEBHOOK.eq(webhookId), D_TENANT.eq(tenantId))
                .fetchOptional(SqlWebhookRepository::delivery);
    }

    @Override
    public List<WebhookDelivery> deliveries(long tenantId, long webhookId, DeliveryState state, Long beforeId, int limit) {
        var where = new ArrayList<org.jooq.Condition>();
        where.add(D_TENANT.eq(tenantId));
        where.add(D_WEBHOOK.eq(webhookId));
        if (state != null) {
            where.add(D_STATE.eq(state.name()));
        }
        if (beforeId != null) {
            where.add(D_ID.lt(beforeId));
        }
        return db.sql().select(D_COLUMNS).from(DELIVERY).where(where).orderBy(D_ID.desc()).limit(limit).fetch(SqlWebhookRepository::delivery);
    }

    @Override
    public boolean redeliver(long id, Instant now, Instant deadlineAt) {
        return db.sql().update(DELIVERY)
                .set(D_STATE, DeliveryState.QUEUED.name())
                .set(D_NEXT, utc(now))
                .set(D_DEADLINE, utc(deadlineAt))
                .setNull(D_FINISHED)
                .setNull(D_TOKEN)
                .set(D_READY, true)   // an operator's redelivery goes now, beside the record's own head if it has one
                .where(D_ID.eq(id), D_STATE.in(DeliveryState.DONE.name(), DeliveryState.FAILED.name(), DeliveryState.DEAD.name()))
                .execute() > 0;
    }

    @Override
    public int purgeFinished(Instant before, int limit) {
        return db.inTransaction(() -> {
            var ids = db.sql().select(D_ID).from(DELIVERY)
                    .where(D_FINISHED.lt(utc(before)), D_STATE.in(DeliveryState.DONE.name(), DeliveryState.DEAD.name()))
                    .orderBy(D_FINISHED).limit(limit)
                    .forUpdate().skipLocked()
                    .fetch(D_ID);
            return ids.isEmpty() ? 0 : db.sql().deleteFrom(DELIVERY).where(D_ID.in(ids)).execute();
        });
    }

    // ---- rows

    private static Webhook webhook(Record r) {
        var types = new LinkedHashSet<>(Arrays.asList(r.get(W_TYPES).split(",")));
        var events = new LinkedHashSet<WebhookEvent>();
        for (var event : r.get(W_EVENTS).split(",")) {
            events.add(WebhookEvent.valueOf(event));
        }
        var condition = r.get(W_CONDITION) == null ? null : read(r.get(W_CONDITION));
        return new Webhook(r.get(W_ID), r.get(W_TENANT), r.get(W_URL), types, events, condition, instant(r.get(W_CREATED)));
    }

    private static WebhookDelivery delivery(Record r) {
        return new WebhookDelivery(r.get(D_ID), r.get(D_WEBHOOK), r.get(D_TENANT), r.get(D_RECORD), r.get(D_EVENT), r.get(D_BODY),
                instant(r.get(D_CHANGED)), DeliveryState.valueOf(r.get(D_STATE)), r.get(D_ATTEMPTS), instant(r.get(D_NEXT)),
                instant(r.get(D_DEADLINE)), r.get(D_STATUS), r.get(D_ERROR), instant(r.get(D_CREATED)), instant(r.get(D_FINISHED)),
                r.get(D_NODE), r.get(D_TOKEN));
    }

    private static String write(Condition condition) {
        try {
            var text = JSON.writeValueAsString(ConditionValues.toPlain(condition));
            if (text.length() > MAX_CONDITION_CHARS) {
                throw Failure.invalid("a condition may take at most " + MAX_CONDITION_CHARS + " characters as JSON");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a condition did not serialise", e);
        }
    }

    private static Condition read(String text) {
        try {
            return ConditionValues.fromPlain(JSON.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored webhook condition is not JSON", e);
        }
    }
}
