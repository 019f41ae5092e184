package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.job.Job;
import io.dossier.core.job.JobKind;
import io.dossier.core.job.JobState;
import io.dossier.core.job.Jobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Durable jobs through {@link Jobs} on the job table, once per database (H2, PostgreSQL): claims
 * that never give one job to two nodes, leases taken over when they end, backoff and deadline on a
 * clock the test moves, and an operator's calls confined to a tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobsTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlJobRepository repository;
    private SqlTenantRepository tenants;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        repository = new SqlJobRepository(testDatabase.database());
        tenants = new SqlTenantRepository(testDatabase.database());
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private long tenant() {
        return tenants.insert("t" + UUID.randomUUID().toString().substring(0, 8), "T", List.of("en"), "en").id();
    }

    @Test
    void twoNodesClaimingAtOnceRunEachOfAThousandJobsExactlyOnce() throws Exception {
        var kind = unique("count");
        var runs = new ConcurrentHashMap<Long, AtomicInteger>();
        var ranOn = new ConcurrentHashMap<String, AtomicInteger>();
        var nodes = new ArrayList<Jobs>();
        for (var name : List.of("node-a", "node-b")) {
            var jobs = new Jobs(repository, Clock.systemUTC(), new Random(1), name);
            jobs.register(JobKind.of(kind, Duration.ofHours(1), job -> {
                runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
                ranOn.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            }));
            nodes.add(jobs);
        }
        var tenant = tenant();
        for (int i = 0; i < 1000; i++) {
            nodes.get(i % 2).enqueue(tenant, kind, Integer.toString(i));
        }
        // four claimers per node, small batches, so claims overlap all the time; all eight begin
        // together, or on a busy machine the first node's threads could claim every job before the
        // second node's had started (seen once in CI on H2)
        var start = new java.util.concurrent.CyclicBarrier(8);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 8; t++) {
                var jobs = nodes.get(t % 2);
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Job> claimed;
                    while (!(claimed = jobs.claim(7, Duration.ofMinutes(5))).isEmpty()) {
                        claimed.forEach(jobs::execute);
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        assertThat(runs).hasSize(1000);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(ranOn.keySet()).containsExactlyInAnyOrder("node-a", "node-b");
        var listed = nodes.getFirst().list(tenant, null, kind, null, 1000);
        assertThat(listed).hasSize(1000).allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.DONE);
            assertThat(job.attempts()).isEqualTo(1);
        });
    }

    @Test
    void aFailingJobBacksOffExponentiallyWithJitterAndDiesAtItsDeadline() {
        var clock = new MovableClock();
        var kind = unique("fail");
        var jobs = new Jobs(repository, clock, new Random(42), "node-a");
        jobs.register(new JobKind(kind, Duration.ofSeconds(100), Duration.ofSeconds(10), Duration.ofSeconds(40), false, job -> {
            throw new IllegalStateException("receiver said 500");
        }));
        var job = jobs.enqueue(tenant(), kind, "");
        var expectedCeilings = List.of(10L, 20L, 40L, 40L, 40L);
        var waits = new ArrayList<Long>();
        Job current = job;
        for (int attempt = 1; attempt <= 20; attempt++) {
            var claimed = jobs.claim(10, Duration.ofMinutes(1));
            assertThat(claimed).extracting(Job::id).as("attempt %d", attempt).contains(job.id());
            var mine = claimed.stream().filter(j -> j.id() == job.id()).findFirst().orElseThrow();
            assertThat(mine.attempts()).isEqualTo(attempt);
            jobs.execute(mine);
            current = jobs.find(null, job.id());
            if (current.state() == JobState.DEAD) {
                break;
            }
            assertThat(current.state()).isEqualTo(JobState.FAILED);
            assertThat(current.lastError()).isEqualTo("IllegalStateException: receiver said 500");
            long wait = Duration.between(clock.instant(), current.nextAttemptAt()).toMillis();
            long ceiling = expectedCeilings.get(Math.min(attempt - 1, expectedCeilings.size() - 1)) * 1000;
            assertThat(wait).as("wait after attempt %d", attempt).isBetween(ceiling / 2, ceiling);
            waits.add(wait);
            // not due a millisecond early
            clock.advance(Duration.ofMillis(wait - 1));
            assertThat(jobs.claim(10, Duration.ofMinutes(1))).extracting(Job::id).doesNotContain(job.id());
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(current.state()).isEqualTo(JobState.DEAD);
        assertThat(current.lastError()).isEqualTo("IllegalStateException: receiver said 500");
        assertThat(current.finishedAt()).isEqualTo(clock.instant());
        // every retry fell before the deadline, and the next one would not have
        assertThat(current.createdAt().plus(Duration.ofSeconds(100))).isAfterOrEqualTo(clock.instant());
        assertThat(waits).hasSizeGreaterThanOrEqualTo(3);
        clock.advance(Duration.ofHours(1));
        assertThat(jobs.claim(10, Duration.ofMinutes(1))).extracting(Job::id).doesNotContain(job.id());
    }

    @Test
    void aJobWhoseNodeStoppedRenewingIsTakenOverWhenItsLeaseEnds() {
        var clock = new MovableClock();
        var kind = unique("lease");
        var done = new AtomicInteger();
        var a = new Jobs(repository, clock, new Random(1), "node-a").register(JobKind.of(kind, Duration.ofHours(1), job -> done.incrementAndGet()));
        var b = new Jobs(repository, clock, new Random(1), "node-b").register(JobKind.of(kind, Duration.ofHours(1), job -> done.incrementAndGet()));
        var job = a.enqueue(null, kind, "");
        var onA = a.claim(1, Duration.ofSeconds(30)).getFirst();
        assertThat(onA.node()).isEqualTo("node-a");
        clock.advance(Duration.ofSeconds(20));
        assertThat(a.renew(List.of(onA.claimToken()), Duration.ofSeconds(30))).isEqualTo(1);
        clock.advance(Duration.ofSeconds(29));
        assertThat(b.claim(1, Duration.ofSeconds(30))).as("the lease was renewed").isEmpty();
        // node-a dies: no more renewals
        clock.advance(Duration.ofSeconds(2));
        var onB = b.claim(1, Duration.ofSeconds(30)).getFirst();
        assertThat(onB.id()).isEqualTo(job.id());
        assertThat(onB.attempts()).isEqualTo(2);
        assertThat(onB.node()).isEqualTo("node-b");
        assertThat(b.execute(onB)).isEqualTo("done");
        // node-a coming back late can neither renew nor finish the job
        assertThat(a.renew(List.of(onA.claimToken()), Duration.ofSeconds(30))).isZero();
        assertThat(a.execute(onA)).isEqualTo("lost");
        var finished = a.find(null, job.id());
        assertThat(finished.state()).isEqualTo(JobState.DONE);
        assertThat(finished.node()).isEqualTo("node-b");
    }

    @Test
    void periodicWorkEnqueuedByEveryNodeExistsOnce() {
        var kind = unique("periodic");
        var a = new Jobs(repository, Clock.systemUTC(), new Random(1), "node-a").register(JobKind.of(kind, Duration.ofHours(1), job -> { }));
        var b = new Jobs(repository, Clock.systemUTC(), new Random(1), "node-b").register(JobKind.of(kind, Duration.ofHours(1), job -> { }));
        var at = Instant.now();
        assertThat(a.enqueue(null, kind, "", kind + ":1", at)).isPresent();
        assertThat(b.enqueue(null, kind, "", kind + ":1", at)).isEmpty();
        assertThat(a.list(null, null, kind, null, 10)).hasSize(1);
    }

    @Test
    void anOperatorRetriesADeadJobAndCancelsAQueuedOneOnlyInItsTenant() {
        var clock = new MovableClock();
        var kind = unique("ops");
        var fail = new java.util.concurrent.atomic.AtomicBoolean(true);
        var jobs = new Jobs(repository, clock, new Random(1), "node-a")
                .register(new JobKind(kind, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), false, job -> {
                    if (fail.get()) {
                        throw new java.io.IOException("down");
                    }
                }));
        var tenant = tenant();
        var other = tenant();
        var job = jobs.enqueue(tenant, kind, "x");
        jobs.claim(1, Duration.ofMinutes(1)).forEach(jobs::execute);
        assertThat(jobs.find(tenant, job.id()).state()).as("no time left before its deadline").isEqualTo(JobState.DEAD);

        // another tenant sees no such job, and cannot retry or cancel it
        assertThat(catchThrowableOfType(Failure.class, () -> jobs.find(other, job.id())).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> jobs.retry(other, job.id())).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> jobs.cancel(other, job.id())).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(jobs.list(other, null, kind, null, 10)).isEmpty();

        fail.set(false);
        var retried = jobs.retry(tenant, job.id());
        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.deadlineAt()).isEqualTo(clock.instant());
        jobs.claim(1, Duration.ofMinutes(1)).forEach(jobs::execute);
        assertThat(jobs.find(tenant, job.id()).state()).isEqualTo(JobState.DONE);
        assertThat(catchThrowableOfType(Failure.class, () -> jobs.retry(tenant, job.id())).kind()).isEqualTo(Failure.Kind.CONFLICT);

        var queued = jobs.enqueue(tenant, kind, "y");
        var cancelled = jobs.cancel(tenant, queued.id());
        assertThat(cancelled.state()).isEqualTo(JobState.DEAD);
        assertThat(cancelled.lastError()).isEqualTo("cancelled by an operator");
        assertThat(jobs.claim(5, Duration.ofMinutes(1))).extracting(Job::id).doesNotContain(queued.id());
        assertThat(catchThrowableOfType(Failure.class, () -> jobs.cancel(tenant, queued.id())).kind()).isEqualTo(Failure.Kind.CONFLICT);
        assertThat(jobs.list(tenant, JobState.DEAD, kind, null, 10)).extracting(Job::id).containsExactly(queued.id());
    }

    @Test
    void finishedJobsArePurgedAfterTheirKeepTime() {
        var clock = new MovableClock();
        var kind = unique("purge");
        var jobs = new Jobs(repository, clock, new Random(1), "node-a").register(JobKind.of(kind, Duration.ofHours(1), job -> { }));
        var job = jobs.enqueue(null, kind, "");
        jobs.claim(1, Duration.ofMinutes(1)).forEach(jobs::execute);
        var pending = jobs.enqueue(null, kind, "");
        clock.advance(Duration.ofDays(2));
        assertThat(jobs.purgeFinished(Duration.ofDays(1))).isGreaterThanOrEqualTo(1);
        assertThat(catchThrowableOfType(Failure.class, () -> jobs.find(null, job.id())).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(jobs.find(null, pending.id()).state()).isEqualTo(JobState.QUEUED);
        Map.of();
    }
}
