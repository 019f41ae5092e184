package io.dossier.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A node-local cache with a ceiling on entries and a time to live from the last write, on
 * Caffeine. What a node caches is a copy of what the database holds, kept briefly so a hot key
 * costs no query per request; the ceiling keeps a flood of distinct keys (tokens, logins) from
 * growing the heap.
 */
public final class BoundedCache<K, V> {

    private final Cache<K, V> cache;

    public BoundedCache(long maxEntries, Duration timeToLive) {
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(timeToLive).build();
    }

    public Optional<V> get(K key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    /** Stores {@code value}; its time to live starts now. */
    public void put(K key, V value) {
        cache.put(key, value);
    }

    /** The value of {@code key}, forgotten as it is handed out: one caller gets it. */
    public Optional<V> take(K key) {
        return Optional.ofNullable(cache.asMap().remove(key));
    }

    /** Forgets {@code key} at once: the next {@link #get} on this node misses. */
    public void remove(K key) {
        cache.invalidate(key);
    }

    public void removeIf(Predicate<V> test) {
        cache.asMap().values().removeIf(test);
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
