package io.dossier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.job.Job;
import io.dossier.core.job.JobKind;
import java.time.Duration;

/**
 * The {@code noop} job kind, which an operator may enqueue to see the job queue work (and which
 * tests and benchmarks use): it does nothing, or with a payload {@code {"sleepMillis": n}} waits
 * n ms (at most 10 minutes) first, and with {@code {"fail": "message"}} fails with that message.
 */
final class NoopJob {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_SLEEP = Duration.ofMinutes(10).toMillis();

    static final JobKind KIND = new JobKind("noop", Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofMinutes(5), true, NoopJob::run);

    private NoopJob() {
    }

    private static void run(Job job) throws Exception {
        if (job.payload().isBlank()) {
            return;
        }
        var payload = JSON.readTree(job.payload());
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("a noop payload is a JSON object");
        }
        long sleep = Math.min(MAX_SLEEP, Math.max(0, payload.path("sleepMillis").asLong(0)));
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        if (payload.hasNonNull("fail")) {
            throw new IllegalStateException(payload.get("fail").asText());
        }
    }
}
