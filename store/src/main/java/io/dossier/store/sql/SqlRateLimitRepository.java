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

    private static final Table<Record> WINDOW = table(name("rate_limit_window"));
    private static final Field<OffsetDateTime> WINDOW_START = field(name("window_start"), OffsetDateTime.class);
    private static final Field<Integer> CURRENT = field(name("current_count"), Integer.class);
    private static final Field<Integer> PREVIOUS = field(name("previous_count"), Integer.class);

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
    public Lease take(long clientId, String dialect, int limit, Duration window, int wanted, Instant now) {
        long length = window.toMillis();
        long windowStart = Math.floorDiv(now.toEpochMilli(), length) * length;
        for (int attempt = 0; ; attempt++) {
            var lease = db.inTransaction(() -> {
                var row = db.sql().select(WINDOW_START, CURRENT, PREVIOUS).from(WINDOW)
                        .where(CLIENT_ID.eq(clientId), DIALECT.eq(dialect))
                        .forUpdate()
                        .fetchOne();
                if (row == null) {
                    return null;
                }
                long stored = row.value1().toInstant().toEpochMilli();
                int current;
                int previous;
                long start;
                if (stored >= windowStart) {
                    // this window (or, from a node whose clock is behind, a later one: count there)
                    start = stored;
                    current = row.value2();
                    previous = row.value3();
                } else {
                    start = windowStart;
                    current = 0;
                    previous = stored == windowStart - length ? row.value2() : 0;
                }
                double covered = 1 - Math.min(1, Math.max(0, now.toEpochMilli() - start) / (double) length);
                double allowed = limit - previous * covered - current;
                // a lease of {@code need} or none: a client at its limit costs a round trip per lease, not per request
                int need = Math.min(wanted, limit);
                int granted = allowed >= need ? (int) Math.min(wanted, Math.floor(allowed)) : 0;
                db.sql().update(WINDOW)
                        .set(WINDOW_START, Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC))
                        .set(CURRENT, current + granted)
                        .set(PREVIOUS, previous)
                        .where(CLIENT_ID.eq(clientId), DIALECT.eq(dialect))
                        .execute();
                return new Lease(granted, granted > 0 ? 0 : waitMillis(limit, need, length, start, current, previous, now.toEpochMilli()));
            });
            if (lease != null) {
                return lease;
            }
            if (attempt > 0) {
                throw new IllegalStateException("the rate limit count of client " + clientId + " in " + dialect + " cannot be created");
            }
            try {
                // on its own, as a concurrent creator's row makes this insert fail
                db.sql().insertInto(WINDOW)
                        .set(CLIENT_ID, clientId)
                        .set(DIALECT, dialect)
                        .set(WINDOW_START, Instant.ofEpochMilli(windowStart).atOffset(ZoneOffset.UTC))
                        .set(CURRENT, 0)
                        .set(PREVIOUS, 0)
                        .execute();
            } catch (DataAccessException e) {
                if (!"23505".equals(e.sqlState())) {
                    throw e;
                }
            }
        }
    }

    /**
     * How long until {@code need} requests are allowed: within this window, once the previous
     * window's weight has fallen far enough ({@code limit - previous × (1 - t/length) - current >= need});
     * else in the next window, whose previous count is this window's.
     */
    static long waitMillis(int limit, int need, long length, long start, int current, int previous, long now) {
        double free = limit - current - need;
        if (free >= 0 && previous > 0) {
            // previous × (1 - t/length) <= free  ⇔  t >= length × (1 - free/previous)
            long at = start + (long) Math.ceil(length * (1 - free / previous));
            if (at < start + length) {
                return Math.max(1, at - now);
            }
        }
        // in the next window this one's count is the previous: limit - current × (1 - t/length) >= need
        long next = start + length;
        double share = current == 0 ? 0 : Math.max(0, 1 - (limit - (double) need) / current);
        return Math.max(1, next + (long) Math.ceil(length * share) - now);
    }
}
