package io.dossier.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void aRemovedEntryIsGoneAtOnce() {
        var cache = new BoundedCache<String, String>(10, Duration.ofMinutes(1));
        cache.put("a", "1");
        assertThat(cache.get("a")).contains("1");
        cache.remove("a");
        assertThat(cache.get("a")).isEmpty();
    }

    @Test
    void anEntryExpiresAfterItsTimeToLive() throws InterruptedException {
        var cache = new BoundedCache<String, String>(10, Duration.ofMillis(50));
        cache.put("a", "1");
        Thread.sleep(120);
        assertThat(cache.get("a")).isEmpty();
    }

    @Test
    void aTakenEntryIsHandedOutOnceAndAnExpiredOneNotAtAll() throws InterruptedException {
        var cache = new BoundedCache<String, String>(10, Duration.ofMillis(100));
        cache.put("a", "1");
        assertThat(cache.take("a")).contains("1");
        assertThat(cache.take("a")).isEmpty();
        cache.put("b", "2");
        Thread.sleep(200);
        assertThat(cache.take("b")).isEmpty();
    }

    @Test
    void theCacheStaysWithinItsCeiling() {
        var cache = new BoundedCache<Integer, Integer>(100, Duration.ofMinutes(1));
        for (int i = 0; i < 10_000; i++) {
            cache.put(i, i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void removeIfDropsMatchingEntries() {
        var cache = new BoundedCache<String, Integer>(10, Duration.ofMinutes(1));
        cache.put("even", 2);
        cache.put("odd", 3);
        cache.removeIf(v -> v % 2 == 0);
        assertThat(cache.get("even")).isEmpty();
        assertThat(cache.get("odd")).contains(3);
    }
}
