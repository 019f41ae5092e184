package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.PasswordHasher;
import io.dossier.core.ratelimit.RateLimit;
import io.dossier.core.ratelimit.RateLimitRepository;
import io.dossier.core.ratelimit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rate limits held in the database through {@link RateLimiter}, once per database (H2,
 * PostgreSQL): two limiters (two nodes) on one bucket hold a client to its rate on a clock the test
 * moves, a client over its limit costs no round trip and does not hold back another, requests at
 * once are counted, and an operator's change is confined to the client's tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RateLimitsTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlRateLimitRepository repository;
    private SqlTenantRepository tenants;
    private IdentityService identities;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        repository = new SqlRateLimitRepository(db);
        tenants = new SqlTenantRepository(db);
        identities = new IdentityService(new SqlIdentityRepository(db), tenants, new PasswordHasher(1_000));
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    private long tenant() {
        return tenants.insert("t" + UUID.randomUUID().toString().substring(0, 8), "T", List.of("en"), "en").id();
    }

    private long client(long tenantId) {
        return identities.createClient(tenantId, ClientKind.OAUTH, "app", null, Set.of()).client().id();
    }

    /** Counts the round trips to the buckets. */
    private final class Counting implements RateLimitRepository {
        final AtomicInteger takes = new AtomicInteger();

        @Override
        public boolean clientInTenant(long tenantId, long clientId) {
            return repository.clientInTenant(tenantId, clientId);
        }

        @Override
        public Map<String, OwnLimit> overrides(long clientId) {
            return repository.overrides(clientId);
        }

        @Override
        public void setOverride(long tenantId, long clientId, String dialect, OwnLimit override, Instant now) {
            repository.setOverride(tenantId, clientId, dialect, override, now);
        }

        @Override
        public void removeOverride(long clientId, String dialect) {
            repository.removeOverride(clientId, dialect);
        }

        @Override
        public Lease take(long clientId, String dialect, int limit, Duration window, int wanted, Instant now) {
            takes.incrementAndGet();
            return repository.take(clientId, dialect, limit, window, wanted, now);
        }
    }

    private RateLimiter limiter(RateLimitRepository repo, JobsTest.MovableClock clock, RateLimit limit) {
        var limiter = new RateLimiter(repo, clock, Duration.ofMinutes(1), Duration.ofSeconds(2), true);
        limiter.declare("test", limit);
        return limiter;
    }

    private static boolean admitted(RateLimiter limiter, long client) {
        try (var permit = limiter.admit(client, "test")) {
            return true;
        } catch (Failure f) {
            assertThat(f.kind()).isEqualTo(Failure.Kind.RATE_LIMITED);
            return false;
        }
    }

    @Test
    void twoNodesHoldAClientSendingAsFastAsItCanToItsRate() {
        var clock = new JobsTest.MovableClock();
        var client = client(tenant());
        var a = limiter(repository, clock, RateLimit.perMinute(600));
        var b = limiter(repository, clock, RateLimit.perMinute(600));
        int admitted = 0;
        // two minutes in steps of 5 ms, one request to each node per step: 24,000 tries, 20 per second the limit
        for (int step = 0; step < 24_000; step++) {
            admitted += admitted(a, client) ? 1 : 0;
            admitted += admitted(b, client) ? 1 : 0;
            clock.advance(Duration.ofMillis(5));
        }
        // 600 in any minute: 1,200 in two, less the leases left unused on the nodes
        assertThat(admitted).isBetween(1080, 1320);
    }

    @Test
    void aClientOverItsLimitCostsNoRoundTripAndDoesNotHoldBackAnother() {
        var clock = new JobsTest.MovableClock();
        var tenant = tenant();
        var greedy = client(tenant);
        var modest = client(tenant);
        var counting = new Counting();
        var limiter = limiter(counting, clock, RateLimit.perMinute(350));
        int admitted = 0;
        for (int i = 0; i < 2000; i++) {
            admitted += admitted(limiter, greedy) ? 1 : 0;
        }
        assertThat(admitted).as("the whole limit at once").isEqualTo(350);
        int takes = counting.takes.get();
        assertThat(takes).as("round trips for 350 requests: leases of 7").isLessThanOrEqualTo(51);
        var refusal = catchThrowableOfType(Failure.class, () -> limiter.admit(greedy, "test"));
        assertThat(refusal.getMessage()).startsWith("Rate limit exceeded: at most 350 requests per minute; try again in ");
        assertThat(refusal.retryAfter()).isPositive();
        assertThat(counting.takes.get()).as("no round trip for the 1,651 refused").isEqualTo(takes);
        assertThat(admitted(limiter, modest)).isTrue();
        // at the time it was told, the greedy client gets its share again
        clock.advance(refusal.retryAfter());
        assertThat(admitted(limiter, greedy)).isTrue();
    }

    @Test
    void requestsAtOnceAreCountedAndReleased() {
        var clock = new JobsTest.MovableClock();
        var client = client(tenant());
        var limiter = limiter(repository, clock, new RateLimit(0, 2));
        var first = limiter.admit(client, "test");
        var second = limiter.admit(client, "test");
        var refusal = catchThrowableOfType(Failure.class, () -> limiter.admit(client, "test"));
        assertThat(refusal.getMessage()).isEqualTo("Rate limit exceeded: at most 2 concurrent requests");
        first.close();
        first.close();
        limiter.admit(client, "test").close();
        second.close();
    }

    @Test
    void aClientsOwnLimitReplacesTheDefaultOnlyInItsTenant() {
        var clock = new JobsTest.MovableClock();
        var tenant = tenant();
        var other = tenant();
        var client = client(tenant);
        var limiter = limiter(repository, clock, new RateLimit(350, 0));
        limiter.set(tenant, client, "test", 1000, null);
        assertThat(limiter.limit(client, "test")).isEqualTo(new RateLimit(1000, 0));
        assertThat(limiter.limits(tenant, client)).singleElement().satisfies(e -> {
            assertThat(e.perMinuteOverridden()).isTrue();
            assertThat(e.concurrentOverridden()).isFalse();
        });
        assertThat(catchThrowableOfType(Failure.class, () -> limiter.set(other, client, "test", 1, null)).kind())
                .isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> limiter.limits(other, client)).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> limiter.reset(other, client, "test")).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> limiter.set(tenant, client, "nope", 1, null)).kind())
                .isEqualTo(Failure.Kind.INVALID);
        assertThat(catchThrowableOfType(Failure.class, () -> limiter.set(tenant, client, "test", -1, null)).kind())
                .isEqualTo(Failure.Kind.INVALID);
        limiter.reset(tenant, client, "test");
        assertThat(limiter.limit(client, "test")).isEqualTo(new RateLimit(350, 0));
    }
}
