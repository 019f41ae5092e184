package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.fuzz.Fuzzer;
import io.dossier.it.support.LoggedFailures;
import io.dossier.it.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The short, bounded run of the grammar-based fuzzer (the long one is bench/fuzz.sh): 5,000
 * requests of a fixed seed over every dialect, the admin API and raw HTTP against a server with a
 * tenant shaped like the demo, on this run's storage. Fails on any 5xx (but a 505 for a bad HTTP
 * version and a LogicalDOC SOAP fault) or internal error, any request without an answer within
 * 10 s, or a server not ready afterwards; the message names each failure's cause (from the server's
 * log) and holds the first request of each cause.
 */
class FuzzIT {

    static final long SEED = 20261202;
    static final int REQUESTS = 5_000;

    TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theGrammarsGenerateEveryRequestWithoutFailing() {
        // Without a server: a grammar that throws would silently shrink every run.
        assertThat(Fuzzer.selfCheck(SEED + 1, 2_000)).isEmpty();
    }

    @Test
    void noRequestOfTheGrammarsGetsA5xxOrHangs() throws Exception {
        // No demo seed (it takes most of a minute on a busy machine): the fuzzer makes a tenant of the
        // same shape through the admin API. bench/fuzz.sh runs on the seeded demo. No rate limits, as
        // there: with them, 236 of 360 Opus 2 requests were answered 429 and reached nothing behind.
        server = TestServer.start(s -> s.withRateLimits(new io.dossier.server.config.Settings.RateLimitSettings(false,
                s.rateLimits().window(), s.rateLimits().refresh())));
        var fuzzer = Fuzzer.provisioning("127.0.0.1", server.server().port(), server.adminToken());

        // 4 at a time: enough to overlap the server's work with the next requests on 2 cores; 5 minutes
        // at most, so a server slowed to a crawl ends the run rather than the build.
        Fuzzer.Report report;
        try (var logged = new LoggedFailures()) {
            report = fuzzer.run(new Fuzzer.Options(SEED, REQUESTS, 4, 10_000, 300_000), null).withCauses(logged::cause);
        }

        var printed = new java.io.ByteArrayOutputStream();
        report.print(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        System.out.println(printed.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(report.failed()).as("%s%nfirst request of each cause:%s", printed, report.describe(3000)).isFalse();
        assertThat(report.sent()).isEqualTo(REQUESTS);
        // The provisioned tenant has what these grammars name (projects, folders, templates, persons): with
        // nothing there, 4 of 360 Opus 2 requests and none of 151 Youforce document requests were
        // answered 2xx, the rest stopped at 404 or 429.
        for (var grammar : java.util.List.of("opus2", "logicaldoc-soap", "youforce-documents")) {
            var statuses = report.byGrammarStatus().get(grammar);
            int all = statuses.values().stream().mapToInt(Integer::intValue).sum();
            int done = statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToInt(Map.Entry::getValue).sum();
            assertThat(done).as("%s requests answered 2xx, of %d: %s", grammar, all, statuses).isGreaterThanOrEqualTo(all / 20);
        }
    }
}
