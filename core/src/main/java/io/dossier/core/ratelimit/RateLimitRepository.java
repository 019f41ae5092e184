package io.dossier.core.ratelimit;

import java.time.Instant;
import java.util.Map;

/** Port: clients' own limits, and the request counts that nodes share. */
public interface RateLimitRepository {

    /** A client's own values in one dialect; a null field keeps the dialect's default. */
    record OwnLimit(Integer perMinute, Integer concurrent) {
    }

    /** What a lease took: {@code granted} requests (0 when none are allowed now), and how long until one is if none were. */
    record Lease(int granted, long waitMillis) {
    }

    /** Whether the client exists in the tenant. */
    boolean clientInTenant(long tenantId, long clientId);

    /** The client's overrides by dialect. */
    Map<String, OwnLimit> overrides(long clientId);

    void setOverride(long tenantId, long clientId, String dialect, OwnLimit override, Instant now);

    void removeOverride(long clientId, String dialect);

    /**
     * Takes up to {@code wanted} requests of the client's allowance in the dialect, in one short
     * transaction that all nodes serialise on. The allowance is {@code limit} less the requests
     * counted in the current window (of {@code window}, aligned to the epoch) and the previous
     * window's count weighted by the share of it that the sliding window ending {@code now} still
     * covers. When less than one request is allowed, none is taken and {@code waitMillis} says how
     * long until one is.
     */
    Lease take(long clientId, String dialect, int limit, java.time.Duration window, int wanted, Instant now);
}
