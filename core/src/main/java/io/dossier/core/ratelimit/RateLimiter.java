package io.dossier.core.ratelimit;

import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Requests per minute and requests at once, per client and dialect. Each dialect declares its
 * default ({@link #declare}); an operator may give a client its own values. The per-minute limit
 * holds over a sliding window (a minute; shorter in tests), counted in the database: a client may
 * send its whole limit at once, and then as much as the window sliding on frees (the sliding-window
 * counter: the previous fixed window's count, weighted by the share the sliding window still
 * covers, plus the current one's). However many nodes serve a client, they share one count. A node
 * takes a small lease of the allowance at a time (a fiftieth of the limit, 1 to 1000 requests), so a
 * request costs no database round trip; a refusal is remembered locally until the allowance
 * returns, so a client over its limit costs none either, and slows nobody else (each client has a
 * lock of its own). Leased requests not used within a sixth of the window are dropped (they were
 * counted). Requests at once are counted on each node. A client's limit is read from the database
 * at most every {@code refresh}, so a change reaches every node within that time.
 */
public final class RateLimiter {

    /** What a request holds while it runs (its concurrency slot); closing it twice is harmless. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final Permit FREE = () -> { };

    /** A client's limits in a dialect, and where each came from. */
    public record Effective(String dialect, RateLimit limit, boolean perMinuteOverridden, boolean concurrentOverridden) {
    }

    private final RateLimitRepository repository;
    private final Clock clock;
    private final Duration window;
    private volatile boolean enabled;
    private final Map<String, RateLimit> defaults = new ConcurrentHashMap<>();
    private final BoundedCache<Long, Map<String, RateLimitRepository.OwnLimit>> overrides;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();

    private record Key(long clientId, String dialect) {
    }

    public RateLimiter(RateLimitRepository repository, Clock clock, Duration window, Duration refresh, boolean enabled) {
        this.repository = repository;
        this.clock = clock;
        this.window = window;
        this.enabled = enabled;
        this.overrides = new BoundedCache<>(100_000, refresh);
    }

    /**
     * Turns limiting on or off on this node (the setting {@code ratelimit.enabled}; a benchmark
     * measures both ways in one run). Off, every request is admitted at once.
     */
    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** A dialect's default limits; a dialect without one is not limited. */
    public void declare(String dialect, RateLimit limit) {
        defaults.put(dialect, limit);
    }

    public Map<String, RateLimit> defaults() {
        return new TreeMap<>(defaults);
    }

    /**
     * Admits one request of the client in the dialect, or refuses it with RATE_LIMITED (its message
     * names the limit; {@link Failure#retryAfter()} says when to try again). The permit must be
     * closed when the request ends.
     */
    public Permit admit(long clientId, String dialect) {
        if (!enabled) {
            return FREE;
        }
        var limit = limit(clientId, dialect);
        if (limit.perMinute() == 0 && limit.concurrent() == 0) {
            return FREE;
        }
        var bucket = buckets.computeIfAbsent(new Key(clientId, dialect), key -> new Bucket());
        if (limit.perMinute() > 0) {
            bucket.take(clientId, dialect, limit);
        }
        if (limit.concurrent() == 0) {
            return FREE;
        }
        var slots = bucket.slots(limit.concurrent());
        if (!slots.tryAcquire()) {
            throw Failure.rateLimited("Rate limit exceeded: at most " + limit.concurrent() + " concurrent requests", Duration.ofSeconds(1));
        }
        var released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        };
    }

    /** The client's limits in the dialect: its own values over the dialect's default. */
    public RateLimit limit(long clientId, String dialect) {
        var base = defaults.getOrDefault(dialect, RateLimit.NONE);
        var own = overridesOf(clientId).get(dialect);
        return own == null ? base : base.with(own.perMinute(), own.concurrent());
    }

    private Map<String, RateLimitRepository.OwnLimit> overridesOf(long clientId) {
        return overrides.get(clientId).orElseGet(() -> {
            var loaded = Map.copyOf(repository.overrides(clientId));
            overrides.put(clientId, loaded);
            return loaded;
        });
    }

    // ---- the operator's view

    /** The client's limits in every dialect that has a default or an override of its own. */
    public java.util.List<Effective> limits(long tenantId, long clientId) {
        requireClient(tenantId, clientId);
        var own = repository.overrides(clientId);
        var dialects = new java.util.TreeSet<>(defaults.keySet());
        dialects.addAll(own.keySet());
        return dialects.stream().map(dialect -> {
            var o = own.get(dialect);
            var limit = defaults.getOrDefault(dialect, RateLimit.NONE);
            if (o != null) {
                limit = limit.with(o.perMinute(), o.concurrent());
            }
            return new Effective(dialect, limit, o != null && o.perMinute() != null, o != null && o.concurrent() != null);
        }).toList();
    }

    /** Gives the client its own values in the dialect (a null one keeps the default's); every node has them within the refresh time. */
    public void set(long tenantId, long clientId, String dialect, Integer perMinute, Integer concurrent) {
        requireClient(tenantId, clientId);
        requireDialect(dialect);
        if (perMinute == null && concurrent == null) {
            throw Failure.invalid("name perMinute, concurrent or both");
        }
        new RateLimit(perMinute == null ? 0 : perMinute, concurrent == null ? 0 : concurrent);   // checks the values
        repository.setOverride(tenantId, clientId, dialect, new RateLimitRepository.OwnLimit(perMinute, concurrent), clock.instant());
        overrides.remove(clientId);
    }

    /** Back to the dialect's default. */
    public void reset(long tenantId, long clientId, String dialect) {
        requireClient(tenantId, clientId);
        requireDialect(dialect);
        repository.removeOverride(clientId, dialect);
        overrides.remove(clientId);
    }

    private void requireClient(long tenantId, long clientId) {
        if (!repository.clientInTenant(tenantId, clientId)) {
            throw Failure.notFound("no client " + clientId);
        }
    }

    private void requireDialect(String dialect) {
        if (!defaults.containsKey(dialect)) {
            throw Failure.invalid("dialect must be one of " + String.join(", ", new TreeMap<>(defaults).keySet()));
        }
    }

    /** How a limit reads in a refusal: "350 requests per minute". */
    private String describe(int perMinute) {
        var unit = window.equals(Duration.ofMinutes(1)) ? "minute" : window.toSeconds() + " s";
        return perMinute + " requests per " + unit;
    }

    /** A node's share of one client's allowance in one dialect. */
    private final class Bucket {
        private int tokens;
        private Instant tokensExpire = Instant.MIN;
        private Instant emptyUntil = Instant.MIN;
        /** The limit the lease and the remembered refusal were taken under: a changed limit forgets both. */
        private int leasedUnder = -1;
        private volatile Semaphore slots;
        private volatile int slotCount;

        synchronized void take(long clientId, String dialect, RateLimit limit) {
            var now = clock.instant();
            if (limit.perMinute() != leasedUnder) {
                tokens = 0;
                emptyUntil = Instant.MIN;
                leasedUnder = limit.perMinute();
            }
            if (tokens > 0 && now.isBefore(tokensExpire)) {
                tokens--;
                return;
            }
            tokens = 0;
            if (now.isBefore(emptyUntil)) {
                throw refusal(limit, Duration.between(now, emptyUntil));
            }
            int perMinute = limit.perMinute();
            int wanted = Math.max(1, Math.min(1000, perMinute / 50));
            var lease = repository.take(clientId, dialect, perMinute, window, wanted, now);
            if (lease.granted() == 0) {
                emptyUntil = now.plusMillis(Math.max(1, lease.waitMillis()));
                throw refusal(limit, Duration.ofMillis(lease.waitMillis()));
            }
            tokens = lease.granted() - 1;
            tokensExpire = now.plus(window.dividedBy(6));
        }

        private Failure refusal(RateLimit limit, Duration wait) {
            var seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Failure.rateLimited("Rate limit exceeded: at most " + describe(limit.perMinute()) + "; try again in " + seconds + " s",
                    Duration.ofSeconds(seconds));
        }

        /** The node's slots for requests at once; renewed when the limit changes (requests holding old slots release those). */
        Semaphore slots(int count) {
            var current = slots;
            if (current == null || slotCount != count) {
                synchronized (this) {
                    if (slots == null || slotCount != count) {
                        slots = new Semaphore(count);
                        slotCount = count;
                    }
                    current = slots;
                }
            }
            return current;
        }
    }

    /** For tests: how many clients this node holds buckets for. */
    int bucketCount() {
        return buckets.size();
    }
}
