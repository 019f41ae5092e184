package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.access.Caller;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.PasswordHasher;
import io.dossier.core.mail.MailMessage;
import io.dossier.core.mail.MailService;
import io.dossier.core.mail.MailTransport;
import io.dossier.core.mail.OutboxMail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The outbox and its delivery through {@link MailService}, once per database (H2, PostgreSQL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MailOutboxTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlTenantRepository tenants;
    private SqlOutboxRepository outbox;
    private IdentityService identities;
    /** What the fake mail server does with the next messages: null sends, else the failure to throw. */
    private final List<MailTransport.Refused> script = new CopyOnWriteArrayList<>();
    private final List<OutboxMail> delivered = new CopyOnWriteArrayList<>();
    private final MailTransport transport = mail -> {
        if (!script.isEmpty()) {
            var next = script.removeFirst();
            if (next != null) {
                throw next;
            }
        }
        delivered.add(mail);
    };

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        tenants = new SqlTenantRepository(db);
        outbox = new SqlOutboxRepository(db);
        identities = new IdentityService(new SqlIdentityRepository(db), tenants, new PasswordHasher(1000));
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

    private MailService service(MailTransport transport, Instant now) {
        return new MailService(outbox, identities, testDatabase.database(), transport, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static MailMessage message(String to) {
        return new MailMessage("jobs@example.com", "Jobs", List.of(to), List.of(), List.of("archive@example.com"), "Hello",
                "<p>Hi</p>", null, null);
    }

    private List<OutboxMail> mails(long tenant) {
        return outbox.list(tenant, 0, 100);
    }

    @Test
    void withoutAMailServerMessagesWaitInTheOutboxUntilOneIsConfigured() {
        var tenant = tenant();
        var now = Instant.parse("2026-01-01T10:00:00Z");
        var keeping = service(null, now);
        var id = keeping.send(new Caller.Internal(tenant, "test"), message("anna@example.com"), null);
        assertThat(keeping.deliverDue(10)).isZero();
        assertThat(mails(tenant)).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.status()).isEqualTo(OutboxMail.Status.QUEUED);
            assertThat(m.message().to()).containsExactly("anna@example.com");
            assertThat(m.message().bcc()).containsExactly("archive@example.com");
        });

        delivered.clear();
        var sending = service(transport, now.plusSeconds(60));
        while (sending.deliverDue(50) == 50) {
            // other tests' messages may be due as well
        }
        assertThat(delivered).extracting(OutboxMail::id).contains(id);
        assertThat(mails(tenant)).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo(OutboxMail.Status.SENT);
            assertThat(m.attempts()).isEqualTo(1);
            assertThat(m.sentAt()).isEqualTo(now.plusSeconds(60));
        });
    }

    @Test
    void aFailedAttemptIsRetriedLaterAndARefusalIsFinal() {
        var tenant = tenant();
        var now = Instant.parse("2030-01-01T10:00:00Z");
        var caller = new Caller.Internal(tenant, "test");
        var first = service(transport, now);
        var retried = first.send(caller, message("anna@example.com"), null);
        drain(now);
        script.add(new MailTransport.Refused("connection refused", false, null));
        var later = now.plusSeconds(1);
        var id = service(transport, later).send(caller, message("bob@example.com"), null);
        assertThat(service(transport, later).deliverDue(1)).isZero();
        var afterFailure = mails(tenant).stream().filter(m -> m.id() == id).findFirst().orElseThrow();
        assertThat(afterFailure.status()).isEqualTo(OutboxMail.Status.QUEUED);
        assertThat(afterFailure.attempts()).isEqualTo(1);
        assertThat(afterFailure.lastError()).isEqualTo("connection refused");
        // not due again at once
        delivered.clear();
        drain(later.plusSeconds(30));
        assertThat(delivered).extracting(OutboxMail::id).doesNotContain(id);
        drain(later.plus(Duration.ofMinutes(2)));
        assertThat(delivered).extracting(OutboxMail::id).contains(id);
        assertThat(mails(tenant)).extracting(OutboxMail::status).containsOnly(OutboxMail.Status.SENT);
        assertThat(retried).isLessThan(id);

        script.add(new MailTransport.Refused("550 no such user", true, null));
        var refusedAt = later.plus(Duration.ofMinutes(3));
        var refused = service(transport, refusedAt).send(caller, message("nobody@example.com"), null);
        service(transport, refusedAt).deliverDue(1);
        var failed = mails(tenant).stream().filter(m -> m.id() == refused).findFirst().orElseThrow();
        assertThat(failed.status()).isEqualTo(OutboxMail.Status.FAILED);
        assertThat(failed.lastError()).isEqualTo("550 no such user");
    }

    @Test
    void aTenantListsOnlyItsOwnOutbox() {
        var a = tenant();
        var b = tenant();
        var mails = service(null, Instant.now());
        mails.send(new Caller.Internal(a, "test"), message("a@example.com"), null);
        mails.send(new Caller.Internal(b, "test"), message("b@example.com"), null);
        assertThat(mails.outbox(a, 0, 10)).extracting(m -> m.message().to().getFirst()).containsExactly("a@example.com");
        assertThat(mails.outbox(b, 0, 10)).extracting(m -> m.message().to().getFirst()).containsExactly("b@example.com");
    }

    @Test
    void twoNodesNeverSendTheSameMessage() throws Exception {
        var tenant = tenant();
        var now = Instant.parse("2031-01-01T10:00:00Z");
        var caller = new Caller.Internal(tenant, "test");
        var ids = new ArrayList<Long>();
        for (int i = 0; i < 40; i++) {
            ids.add(service(transport, now).send(caller, message("n" + i + "@example.com"), null));
        }
        delivered.clear();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var runs = new ArrayList<java.util.concurrent.Future<?>>();
            for (int n = 0; n < 4; n++) {
                runs.add(pool.submit(() -> drain(now.plusSeconds(1))));
            }
            for (var run : runs) {
                run.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(delivered).extracting(OutboxMail::id).filteredOn(ids::contains).doesNotHaveDuplicates().hasSize(40);
    }

    private void drain(Instant at) {
        var sending = service(transport, at);
        while (sending.deliverDue(5) > 0) {
            // until nothing more is due
        }
    }
}
