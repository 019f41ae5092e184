package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.FakeSmtpServer;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.server.config.Settings;
import io.dossier.store.mail.SmtpMailTransport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** With {@code smtp.host} set, a message sent with OWS EmailService.send reaches the mail server, and the outbox says so. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwsMailDeliveryIT {

    FakeSmtpServer smtp;
    TestServer server;

    @BeforeAll
    void start() {
        smtp = new FakeSmtpServer();
        server = TestServer.start(s -> s.withBackgroundPeriod(Duration.ofSeconds(1)).withSmtp(
                Optional.of(new SmtpMailTransport.Settings("127.0.0.1", smtp.port(), "", "", SmtpMailTransport.Security.NONE,
                        Duration.ofSeconds(5)))));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void aSentMessageReachesTheMailServer() throws Exception {
        var ows = Ows.newTenant(server, List.of("en"));
        var session = ows.login();
        var sent = OwsPluginMethodsIT.wrapped(ows, "en", "Otys.Services.EmailService.send", "[\"" + session
                + "\",{\"To\":[\"anna@example.com\"],\"subject\":\"Your application\",\"htmlMessage\":\"<p>Thank you</p>\"}]");
        assertThat(sent.has("error")).as(sent.toString()).isFalse();

        var admin = server.http().bearer(server.adminToken());
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var status = "";
        while (!status.equals("sent") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox").json().path("mails").get(0).path("status").asText();
        }
        assertThat(status).isEqualTo("sent");
        var mail = admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox").json().path("mails").get(0);
        assertThat(mail.path("attempts").asInt()).isEqualTo(1);
        assertThat(mail.path("sentAt").isNull()).isFalse();
        assertThat(smtp.lines()).contains("MAIL FROM:<" + ows.tenant() + "@example.com>", "RCPT TO:<anna@example.com>", "<p>Thank you</p>");
    }
}
