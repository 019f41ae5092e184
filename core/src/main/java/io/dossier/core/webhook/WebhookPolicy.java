package io.dossier.core.webhook;

import java.time.Duration;

/**
 * How deliveries are attempted: an answer must come within {@code timeout}; a failed attempt is
 * retried after a backoff (the n-th retry waits a random time between half and all of
 * {@code firstBackoff × 2^(n-1)}, capped at {@code maxBackoff}) until {@code retryDeadline} after
 * the change, then the delivery is dead. A node holds a delivery it attempts for the timeout and
 * {@code leaseMargin}; a node that dies mid-attempt loses it to another node after that.
 */
public record WebhookPolicy(Duration timeout, Duration retryDeadline, Duration firstBackoff, Duration maxBackoff, Duration leaseMargin) {

    public WebhookPolicy {
        if (timeout.isNegative() || timeout.isZero() || firstBackoff.isNegative() || firstBackoff.isZero()
                || maxBackoff.compareTo(firstBackoff) < 0 || retryDeadline.isNegative() || leaseMargin.isNegative()) {
            throw new IllegalArgumentException("webhook policy: positive timeout and backoff, a backoff no longer than its maximum");
        }
    }

    public static WebhookPolicy defaults() {
        return new WebhookPolicy(Duration.ofSeconds(10), Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofMinutes(15),
                Duration.ofSeconds(5));
    }

    /** How long a node holds a delivery it attempts. */
    public Duration lease() {
        return timeout.plus(leaseMargin);
    }
}
