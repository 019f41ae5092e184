package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session attributes set from several requests on one session at once (OWS setLanguage from a
 * client's worker pool): every call succeeds, and the last value written is the one stored.
 */
abstract class SessionAttributesTest {

    static final int THREADS = 8;

    TestDatabase db;
    SqlSessionRepository sessions;
    long tenantId;
    ExecutorService pool;

    protected abstract TestDatabase newDatabase();

    @BeforeEach
    void open() {
        db = newDatabase();
        sessions = new SqlSessionRepository(db.database());
        tenantId = new SqlTenantRepository(db.database()).insert("t" + UUID.randomUUID().toString().substring(0, 8), "T", List.of("en", "nl"), "en").id();
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() {
        // Without DOSSIER_TEST_POSTGRES, newDatabase() skips the test before anything is opened.
        if (pool != null) pool.shutdownNow();
        if (db != null) db.close();
    }

    String newSession() {
        var hash = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        var now = Instant.now();
        sessions.insert(new Session(hash, tenantId, null, null, now, now, Duration.ofHours(1), Map.of()));
        return hash;
    }

    /** Runs {@code work(thread)} on every thread at once and waits for all of them; a failure fails the test. */
    void atOnce(java.util.function.IntConsumer work) throws Exception {
        var start = new CyclicBarrier(THREADS);
        var done = new ArrayList<Future<?>>();
        for (int t = 0; t < THREADS; t++) {
            var thread = t;
            done.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                work.accept(thread);
                return null;
            }));
        }
        for (var future : done) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void eightThreadsSettingOneAttributeOnAFreshSessionAllSucceed() throws Exception {
        for (int round = 0; round < 40; round++) {
            var hash = newSession();
            atOnce(thread -> sessions.setAttribute(hash, "language:VacancyService", thread % 2 == 0 ? "en" : "nl"));
            assertThat(sessions.find(hash).orElseThrow().attributes().get("language:VacancyService")).isIn("en", "nl");
        }
    }

    @Test
    void attributesSetAtOnceDoNotOverwriteEachOther() throws Exception {
        var hash = newSession();
        atOnce(thread -> sessions.setAttribute(hash, "language:Service" + thread, thread % 2 == 0 ? "en" : "nl"));
        var attributes = sessions.find(hash).orElseThrow().attributes();
        assertThat(attributes).hasSize(THREADS);
        sessions.setAttribute(hash, "language:Service0", "nl");
        assertThat(sessions.find(hash).orElseThrow().attributes()).containsEntry("language:Service0", "nl").hasSize(THREADS);
    }
}
