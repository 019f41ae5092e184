package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Http;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.it.support.WebhookReceiver;
import io.dossier.server.config.Settings;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.ExecuteContext;
import org.jooq.impl.DefaultExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The webhook dispatcher, woken by each of this node's commits, reads the webhooks again only when
 * this node registered or deleted one, or at its poll (for other nodes' ones): here the poll is an
 * hour away, so what it dispatches it knows from this node alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookDispatchIT {

    TestServer server;
    Http admin;
    WebhookReceiver receiver;

    @BeforeAll
    void start() {
        receiver = new WebhookReceiver();
        var hooks = new Settings.WebhookSettings(Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofHours(1), 8, Duration.ofDays(7), Optional.of(io.dossier.it.support.StorageSetup.TEST_SECRETS_KEY));
        server = TestServer.start(s -> s.withWebhooks(hooks));
        admin = server.http().bearer(server.adminToken());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void writesWithNoWebhookRegisteredReadNoWebhooks() throws Exception {
        var ows = Ows.newTenant(server, List.of("en")).withoutRateLimit();
        var session = ows.login();
        ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Before\"}}]");
        Thread.sleep(300);   // the dispatcher's reading at start is behind us

        var reads = new AtomicInteger();
        var configuration = server.server().dossier().database().sql().configuration();
        var saved = configuration.executeListenerProviders();
        var with = java.util.Arrays.copyOf(saved, saved.length + 1);
        with[saved.length] = new DefaultExecuteListenerProvider(new DefaultExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                var sql = ctx.sql() == null ? "" : ctx.sql().toLowerCase(Locale.ROOT);
                if (sql.matches("(?s).*from\\s+\"?webhook\"?(\\s.*|$)")) {
                    reads.incrementAndGet();
                }
            }
        });
        configuration.set(with);
        try {
            for (int i = 0; i < 20; i++) {
                ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Quiet " + i + "\"}}]");
            }
            Thread.sleep(300);
        } finally {
            configuration.set(saved);
        }
        assertThat(reads.get()).as("statements reading the webhook table during 20 writes").isZero();
    }

    @Test
    @Order(2)
    void aWebhookRegisteredOnThisNodeIsDispatchedAtItsNextCommitAndOneDeletedIsNotTold() {
        var ows = Ows.newTenant(server, List.of("en")).withoutRateLimit();
        var set = admin.send(admin.builder("/admin/api/tenants/" + ows.tenant() + "/settings/webhooks.allow-private-targets")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":true}")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        var session = ows.login();

        var first = "/hook/first";
        var registered = admin.post("/admin/api/tenants/" + ows.tenant() + "/webhooks",
                "{\"url\":\"" + receiver.url(first) + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"]}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        var uid = ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Told\"}}]").asText();
        var got = receiver.await(first, 1, Duration.ofSeconds(30));
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().body()).contains(uid);

        // deleted, then a second one registered: the next write is told to the second only
        var deleted = admin.delete("/admin/api/tenants/" + ows.tenant() + "/webhooks/" + registered.json().path("id").asLong());
        assertThat(deleted.status()).as(deleted.body()).isBetween(200, 204);
        var second = "/hook/second";
        var again = admin.post("/admin/api/tenants/" + ows.tenant() + "/webhooks",
                "{\"url\":\"" + receiver.url(second) + "\",\"recordTypes\":[\"Candidate\"],\"events\":[\"created\"]}");
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        var later = ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Later\"}}]").asText();
        var toSecond = receiver.await(second, 1, Duration.ofSeconds(30));
        assertThat(toSecond).hasSize(1);
        assertThat(toSecond.getFirst().body()).contains(later);
        assertThat(receiver.await(first, 2, Duration.ofSeconds(1))).as("told to the deleted webhook").hasSize(1);
    }
}
