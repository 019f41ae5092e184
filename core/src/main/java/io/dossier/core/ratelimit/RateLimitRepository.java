package io.dossier.core.ratelimit;

import java.time.Instant;
import java.util.Map;

/** Port: clients' own limits, and the token buckets that nodes share. */
public interface RateLimitRepository {

    /** A client's own values in one dialect; a null field keeps the dialect's default. */
    record OwnLimit(Integer perMinute, Integer concurrent) {
    }

    /** What a lease took: {@code granted} tokens (0 when empty), and when {@code wanted} would be there if none were. */
    record Lease(int granted, long waitMillis) {
    }

    /** Whether the client exists in the tenant. */
    boolean clientInTenant(long tenantId, long clientId);

    /** The client's overrides by dialect. */
    Map<String, OwnLimit> overrides(long clientId);

    void setOverride(long tenantId, long clientId, String dialect, OwnLimit override, Instant now);

    void removeOverride(long clientId, String dialect);

    /**
     * Takes up to {@code wanted} tokens from the client's bucket in the dialect, in one short
     * transaction that all nodes serialise on: the bucket is first refilled at
     * {@code tokensPerMilli} since it was last touched, up to {@code capacity} (a bucket seen for the
     * first time is full). When less than one token is there, none is taken and {@code waitMillis}
     * says how long until {@code wanted} are.
     */
    Lease take(long clientId, String dialect, double tokensPerMilli, double capacity, int wanted, Instant now);
}
