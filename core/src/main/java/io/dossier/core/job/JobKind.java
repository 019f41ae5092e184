package io.dossier.core.job;

import java.time.Duration;
import java.util.Objects;

/**
 * A kind of job and how it is run: its handler, how long after it was enqueued it may still be
 * attempted ({@code deadline}), and its backoff between attempts: the n-th retry waits a random
 * time between half and all of {@code firstBackoff × 2^(n-1)}, capped at {@code maxBackoff}
 * (exponential backoff with jitter, so that retries of many jobs do not come in waves).
 *
 * @param operatorMayEnqueue whether an operator may enqueue it through the admin API (a no-op job
 *                           to see the queue work); kinds with effects are enqueued by Dossier only
 */
public record JobKind(String name, Duration deadline, Duration firstBackoff, Duration maxBackoff, boolean operatorMayEnqueue,
                      Handler handler) {

    public JobKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        if (deadline.isNegative() || firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("job kind " + name + ": a positive backoff no longer than its maximum");
        }
    }

    /** A kind with Dossier's usual policy: backoff from 5 s up to 10 minutes, deadline as given. */
    public static JobKind of(String name, Duration deadline, Handler handler) {
        return new JobKind(name, deadline, Duration.ofSeconds(5), Duration.ofMinutes(10), false, handler);
    }

    /**
     * The work of a job. It returns normally when done; any exception is a failed attempt, retried
     * with backoff until the kind's deadline. It may run more than once (a node that dies mid-run
     * has its job taken over), so it must be safe to repeat.
     */
    @FunctionalInterface
    public interface Handler {
        void run(Job job) throws Exception;
    }
}
