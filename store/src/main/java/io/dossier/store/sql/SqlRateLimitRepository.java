package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.dossier.core.ratelimit.RateLimitRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;

/** Clients' own rate limits and the token buckets the nodes share (V17). */
public final class SqlRateLimitRepository implements RateLimitRepository {

    private static final Table<Record> OVERRIDE = table(name("rate_limit_override"));
    private static final Field<Long> TENANT_ID = field(name("tenant_id"), Long.class);
    private static final Field<Long> CLIENT_ID = field(name("client_id"), Long.class);
    private static final Field<String> DIALECT = field(name("dialect"), String.class);
    private static final Field<Integer> PER_MINUTE = field(name("per_minute"), Integer.class);
    private static final Field<Integer> CONCURRENT = field(name("concurrent"), Integer.class);
    private static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);

    private static final Table<Record> BUCKET = table(name("rate_limit_bucket"));
    private static final Field<Double> TOKENS = field(name("tokens"), Double.class);
    private static final Field<OffsetDateTime> REFILLED_AT = field(name("refilled_at"), OffsetDateTime.class);

    private static final Table<Record> CLIENT = table(name("client"));
    private static final Field<Long> ID = field(name("id"), Long.class);

    private final Database db;

    public SqlRateLimitRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean clientInTenant(long tenantId, long clientId) {
        return db.sql().fetchExists(CLIENT, ID.eq(clientId), TENANT_ID.eq(tenantId));
    }

    @Override
    public Map<String, OwnLimit> overrides(long clientId) {
        var out = new HashMap<String, OwnLimit>();
        db.sql().select(DIALECT, PER_MINUTE, CONCURRENT).from(OVERRIDE).where(CLIENT_ID.eq(clientId))
                .forEach(r -> out.put(r.value1(), new OwnLimit(r.value2(), r.value3())));
        return out;
    }

    @Override
    public void setOverride(long tenantId, long clientId, String dialect, OwnLimit override, Instant now) {
        db.run(() -> {
            var updated = db.sql().update(OVERRIDE)
                    .set(PER_MINUTE, override.perMinute())
                    .set(CONCURRENT, override.concurrent())
                    .set(UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                    .where(CLIENT_ID.eq(clientId), DIALECT.eq(dialect))
                    .execute();
            if (updated == 0) {
                db.sql().insertInto(OVERRIDE)
                        .set(TENANT_ID, tenantId)
                        .set(CLIENT_ID, clientId)
                        .set(DIALECT, dialect)
                        .set(PER_MINUTE, override.perMinute())
                        .set(CONCURRENT, override.concurrent())
                        .set(UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                        .execute();
            }
        });
    }

    @Override
    public void removeOverride(long clientId, String dialect) {
        db.sql().deleteFrom(OVERRIDE).where(CLIENT_ID.eq(clientId), DIALECT.eq(dialect)).execute();
    }

    @Override
    public Lease take(long clientId, String dialect, double tokensPerMilli, double capacity, int wanted, Instant now) {
        for (int attempt = 0; ; attempt++) {
            var lease = db.inTransaction(() -> {
                var row = db.sql().select(TOKENS, REFILLED_AT).from(BUCKET)
                        .where(CLIENT_ID.eq(clientId), DIALECT.eq(dialect))
                        .forUpdate()
                        .fetchOne();
                if (row == null) {
                    return null;
                }
                var last = row.value2().toInstant();
                // a node whose clock is behind another's neither refills twice nor moves the bucket back
                long elapsed = Math.max(0, Duration.between(last, now).toMillis());
                double tokens = Math.min(capacity, row.value1() + elapsed * tokensPerMilli);
                int granted = tokens >= 1 ? (int) Math.min(wanted, Math.floor(tokens)) : 0;
                tokens -= granted;
                db.sql().update(BUCKET)
                        .set(TOKENS, tokens)
                        .set(REFILLED_AT, (now.isAfter(last) ? now : last).atOffset(ZoneOffset.UTC))
                        .where(CLIENT_ID.eq(clientId), DIALECT.eq(dialect))
                        .execute();
                long wait = granted > 0 ? 0 : (long) Math.ceil((Math.min(wanted, capacity) - tokens) / tokensPerMilli);
                return new Lease(granted, wait);
            });
            if (lease != null) {
                return lease;
            }
            if (attempt > 0) {
                throw new IllegalStateException("the rate limit bucket of client " + clientId + " in " + dialect + " cannot be created");
            }
            try {
                // a new bucket is full; on its own, as a concurrent creator's row makes this insert fail
                db.sql().insertInto(BUCKET)
                        .set(CLIENT_ID, clientId)
                        .set(DIALECT, dialect)
                        .set(TOKENS, capacity)
                        .set(REFILLED_AT, now.atOffset(ZoneOffset.UTC))
                        .execute();
            } catch (DataAccessException e) {
                if (!"23505".equals(e.sqlState())) {
                    throw e;
                }
            }
        }
    }
}
