package io.dossier.core.ratelimit;

import io.dossier.core.Failure;

/**
 * A client's limits in one dialect: requests per minute and requests at once; 0 means no limit.
 */
public record RateLimit(int perMinute, int concurrent) {

    public static final RateLimit NONE = new RateLimit(0, 0);

    public RateLimit {
        if (perMinute < 0 || concurrent < 0) {
            throw Failure.invalid("a rate limit is 0 (no limit) or a positive number");
        }
    }

    public static RateLimit perMinute(int perMinute) {
        return new RateLimit(perMinute, 0);
    }

    /** This limit with what {@code override} sets (a null field keeps this one's value). */
    public RateLimit with(Integer perMinute, Integer concurrent) {
        return new RateLimit(perMinute == null ? this.perMinute : perMinute, concurrent == null ? this.concurrent : concurrent);
    }
}
