package io.dossier.core.job;

import io.dossier.core.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable jobs: kinds registered once (by core services and the composition root), jobs enqueued
 * in the job table, claimed by any node and run with a lease (see {@link JobWorker}), retried with
 * exponential backoff and jitter until their kind's deadline, then dead with their last error.
 * Operators list, retry and cancel them; every such call names the tenant it acts in, or none for
 * the operator's view over all tenants.
 */
public final class Jobs {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    /** The longest payload and error kept (the columns' sizes). */
    public static final int MAX_PAYLOAD = 65_536;
    private static final int MAX_ERROR = 2_000;

    /** Told of every attempt's outcome, for metrics: {@code done}, {@code failed}, {@code dead} or {@code lost} (its claim was taken). */
    @FunctionalInterface
    public interface Listener {
        void attempted(String kind, String outcome, Duration took);
    }

    private final JobRepository repository;
    private final Clock clock;
    private final RandomGenerator random;
    private final String node;
    private final Map<String, JobKind> kinds = new ConcurrentHashMap<>();
    private volatile Listener listener = (kind, outcome, took) -> { };
    private volatile Runnable wakeUp = () -> { };

    public Jobs(JobRepository repository, Clock clock, RandomGenerator random, String node) {
        this.repository = repository;
        this.clock = clock;
        this.random = random;
        this.node = node;
    }

    /** Adds a kind; its name must be new. */
    public Jobs register(JobKind kind) {
        if (kinds.putIfAbsent(kind.name(), kind) != null) {
            throw new IllegalStateException("job kind " + kind.name() + " is registered twice");
        }
        return this;
    }

    public void listener(Listener listener) {
        this.listener = listener;
    }

    /** Called after a job is enqueued on this node, so its worker looks for work at once. */
    void onEnqueue(Runnable wakeUp) {
        this.wakeUp = wakeUp;
    }

    public String node() {
        return node;
    }

    public java.util.Set<String> kinds() {
        return java.util.Set.copyOf(kinds.keySet());
    }

    Clock clock() {
        return clock;
    }

    /** Enqueues a job due now; {@code tenantId} null for Dossier's own work. */
    public Job enqueue(Long tenantId, String kind, String payload) {
        return enqueue(tenantId, kind, payload, null, clock.instant()).orElseThrow();
    }

    /**
     * Enqueues a job due at {@code at}, unless one with {@code uniqueKey} (not null) already exists:
     * every node may enqueue the same periodic work, and it exists once.
     */
    public Optional<Job> enqueue(Long tenantId, String kind, String payload, String uniqueKey, Instant at) {
        var type = kind(kind);
        if (payload == null) {
            payload = "";
        }
        if (payload.length() > MAX_PAYLOAD) {
            throw Failure.invalid("a job's payload is at most " + MAX_PAYLOAD + " characters");
        }
        var now = clock.instant();
        var job = repository.insert(new JobRepository.NewJob(tenantId, kind, payload, at, at.plus(type.deadline()), uniqueKey), now);
        job.ifPresent(j -> wakeUp.run());
        return job;
    }

    /** An operator's enqueue: only kinds that allow it (a no-op to see the queue work). */
    public Job enqueueByOperator(long tenantId, String kind, String payload) {
        var type = kinds.get(kind == null ? "" : kind);
        if (type == null || !type.operatorMayEnqueue()) {
            throw Failure.invalid("kind must be one of " + kinds.values().stream().filter(JobKind::operatorMayEnqueue).map(JobKind::name)
                    .sorted().toList());
        }
        return enqueue(tenantId, kind, payload);
    }

    private JobKind kind(String name) {
        var type = kinds.get(name);
        if (type == null) {
            throw new IllegalArgumentException("no job kind " + name + " is registered");
        }
        return type;
    }

    // ---- running

    /** Claims up to {@code limit} due jobs of the kinds registered here, each leased for {@code lease}. */
    public List<Job> claim(int limit, Duration lease) {
        if (limit <= 0 || kinds.isEmpty()) {
            return List.of();
        }
        var now = clock.instant();
        return repository.claim(kinds.keySet(), node, now, now.plus(lease), limit);
    }

    /** Extends the leases of jobs this node still runs. */
    public int renew(java.util.Collection<String> claimTokens, Duration lease) {
        return claimTokens.isEmpty() ? 0 : repository.renew(claimTokens, clock.instant().plus(lease));
    }

    /**
     * Runs one claimed job's attempt on this thread and records its outcome: done, or failed with
     * its next attempt after a backoff, or dead when that attempt would fall after its deadline.
     * Returns the outcome's name.
     */
    public String execute(Job job) {
        var type = kinds.get(job.kind());
        long started = System.nanoTime();
        String outcome;
        try {
            if (type == null) {
                throw new IllegalStateException("no job kind " + job.kind() + " is registered on node " + node);
            }
            type.handler().run(job);
            outcome = repository.complete(job.id(), job.claimToken(), clock.instant()) ? "done" : "lost";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = failed(job, type, e);
        } catch (Exception | LinkageError | AssertionError e) {
            outcome = failed(job, type, e);
        }
        if (outcome.equals("lost")) {
            LOG.warn("job {} ({}) finished on {} after its lease was taken over or it was cancelled; its outcome is not recorded",
                    job.id(), job.kind(), node);
        }
        listener.attempted(job.kind(), outcome, Duration.ofNanos(System.nanoTime() - started));
        return outcome;
    }

    private String failed(Job job, JobKind type, Throwable e) {
        var now = clock.instant();
        var error = describe(e);
        var next = type == null ? null : nextAttempt(type, job.attempts(), now, job.deadlineAt());
        if (!repository.fail(job.id(), job.claimToken(), error, next, now)) {
            return "lost";
        }
        if (next == null) {
            LOG.warn("job {} ({}) is dead after {} attempts: {}", job.id(), job.kind(), job.attempts(), error);
            return "dead";
        }
        LOG.info("job {} ({}) attempt {} failed, next at {}: {}", job.id(), job.kind(), job.attempts(), next, error);
        return "failed";
    }

    /**
     * When the attempt after {@code attempts} failed ones is due: a random time between half and all
     * of {@code firstBackoff × 2^(attempts-1)} (capped at {@code maxBackoff}) from {@code now}, or
     * null (dead) when that is after the deadline.
     */
    Instant nextAttempt(JobKind type, int attempts, Instant now, Instant deadline) {
        var delay = backoff(type, attempts);
        long half = delay.toMillis() / 2;
        var next = now.plusMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
        return next.isAfter(deadline) ? null : next;
    }

    /** The ceiling of the wait after {@code attempts} failed attempts, before jitter. */
    static Duration backoff(JobKind type, int attempts) {
        var shift = Math.min(Math.max(attempts - 1, 0), 40);
        var millis = type.firstBackoff().toMillis();
        var max = type.maxBackoff().toMillis();
        return Duration.ofMillis(millis > (max >> shift) ? max : Math.min(max, millis << shift));
    }

    private static String describe(Throwable e) {
        var text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }

    // ---- the operator's view: tenantId null means every tenant's jobs and Dossier's own

    public Job find(Long tenantId, long id) {
        return repository.find(tenantId, id).orElseThrow(() -> Failure.notFound("no job " + id));
    }

    /** The tenant's job enqueued with {@code uniqueKey} (a ticket a client was given). */
    public Optional<Job> findByKey(long tenantId, String uniqueKey) {
        return repository.findByUniqueKey(tenantId, uniqueKey);
    }

    /** Newest first, at most {@code limit} (1–1000), with ids below {@code beforeId} when given. */
    public List<Job> list(Long tenantId, JobState state, String kind, Long beforeId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw Failure.invalid("limit must be 1 to 1000");
        }
        return repository.list(tenantId, state, kind, beforeId, limit);
    }

    /** Queues a failed or dead job again, due now, with a new deadline of its kind. */
    public Job retry(Long tenantId, long id) {
        var job = find(tenantId, id);
        var type = kinds.get(job.kind());
        var deadline = clock.instant().plus(type == null ? Duration.ofDays(1) : type.deadline());
        if (job.state() == JobState.QUEUED || job.state() == JobState.RUNNING || job.state() == JobState.DONE
                || !repository.retry(id, clock.instant(), deadline)) {
            throw Failure.conflict("job " + id + " is " + job.state().name().toLowerCase(java.util.Locale.ROOT)
                    + "; only a failed or dead job can be retried");
        }
        wakeUp.run();
        return find(tenantId, id);
    }

    /**
     * Cancels a job that is not finished: it becomes dead with "cancelled by an operator". A running
     * attempt is not interrupted, but its outcome is no longer recorded.
     */
    public Job cancel(Long tenantId, long id) {
        var job = find(tenantId, id);
        if (job.state().finished() || !repository.cancel(id, "cancelled by an operator", clock.instant())) {
            throw Failure.conflict("job " + id + " is " + job.state().name().toLowerCase(java.util.Locale.ROOT) + " already");
        }
        return find(tenantId, id);
    }

    /** Deletes jobs finished more than {@code keep} ago; returns how many. */
    public int purgeFinished(Duration keep) {
        int total = 0;
        int purged;
        do {
            purged = repository.purgeFinished(clock.instant().minus(keep), 500);
            total += purged;
        } while (purged == 500);
        return total;
    }
}
