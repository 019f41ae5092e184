package io.dossier.store.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.mail.MailMessage;
import io.dossier.core.mail.MailTransport;
import io.dossier.core.mail.OutboxMail;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery over SMTP to a small fake server that records the conversation. */
class SmtpMailTransportTest {

    ServerSocket server;
    Thread thread;
    final List<String> lines = new CopyOnWriteArrayList<>();
    /** The reply to RCPT TO for this address: refused with 550. */
    volatile String refuse = "";

    @BeforeEach
    void start() throws Exception {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(this::serve);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        thread.join(5000);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (var socket = server.accept()) {
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                reply(out, "220 fake ESMTP");
                String line;
                boolean data = false;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (data) {
                        if (line.equals(".")) {
                            data = false;
                            reply(out, "250 queued");
                        }
                        continue;
                    }
                    var command = line.toUpperCase();
                    if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                        reply(out, "250 fake");
                    } else if (command.startsWith("RCPT TO") && !refuse.isEmpty() && line.contains(refuse)) {
                        reply(out, "550 no such user");
                    } else if (command.startsWith("DATA")) {
                        data = true;
                        reply(out, "354 go ahead");
                    } else if (command.startsWith("QUIT")) {
                        reply(out, "221 bye");
                        break;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (java.io.IOException closed) {
                return;
            }
        }
    }

    private static void reply(OutputStream out, String line) throws java.io.IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private SmtpMailTransport transport() {
        return new SmtpMailTransport(new SmtpMailTransport.Settings("127.0.0.1", server.getLocalPort(), "", "",
                SmtpMailTransport.Security.NONE, Duration.ofSeconds(5)));
    }

    private static OutboxMail mail(List<String> to) {
        return new OutboxMail(7, 1, null, null, new MailMessage("jobs@example.com", "Jobs Ünïcode", to, List.of("cc@example.com"),
                List.of("bcc@example.com"), "Your application ✓", "<p>Thank you</p>", null, null),
                OutboxMail.Status.QUEUED, Instant.parse("2026-01-01T10:00:00Z"), 0, null, null);
    }

    @Test
    void sendsTheMessageToEveryRecipientAsHtml() throws Exception {
        transport().send(mail(List.of("anna@example.com")));
        assertThat(lines).contains("MAIL FROM:<jobs@example.com>", "RCPT TO:<anna@example.com>", "RCPT TO:<cc@example.com>",
                "RCPT TO:<bcc@example.com>");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Subject: =?UTF-8?"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Content-Type: text/html; charset=UTF-8"));
        assertThat(lines).contains("X-Dossier-Outbox-Id: 7", "<p>Thank you</p>");
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("Bcc:"));
    }

    @Test
    void aRefusedRecipientIsAFinalFailure() {
        refuse = "nobody@example.com";
        var refused = catchThrowableOfType(MailTransport.Refused.class, () -> transport().send(mail(List.of("nobody@example.com"))));
        assertThat(refused.permanent()).isTrue();
    }

    @Test
    void anUnreachableServerIsWorthARetry() throws Exception {
        var port = server.getLocalPort();
        server.close();
        var transport = new SmtpMailTransport(new SmtpMailTransport.Settings("127.0.0.1", port, "", "", SmtpMailTransport.Security.NONE,
                Duration.ofSeconds(2)));
        var refused = catchThrowableOfType(MailTransport.Refused.class, () -> transport.send(mail(List.of("anna@example.com"))));
        assertThat(refused.permanent()).isFalse();
    }
}
