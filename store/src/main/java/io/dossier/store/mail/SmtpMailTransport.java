package io.dossier.store.mail;

import io.dossier.core.mail.MailTransport;
import io.dossier.core.mail.OutboxMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/** Delivers outbox messages to an SMTP server with Jakarta Mail (Eclipse Angus). */
public final class SmtpMailTransport implements MailTransport {

    /** How the connection to the server is secured: STARTTLS after connecting, TLS from the start, or not at all. */
    public enum Security {
        STARTTLS, TLS, NONE
    }

    public record Settings(String host, int port, String user, String password, Security security, Duration timeout) {
    }

    private final Settings settings;
    private final Session session;

    public SmtpMailTransport(Settings settings) {
        this.settings = settings;
        var props = new Properties();
        var protocol = settings.security() == Security.TLS ? "smtps" : "smtp";
        props.put("mail.transport.protocol", protocol);
        props.put("mail." + protocol + ".host", settings.host());
        props.put("mail." + protocol + ".port", Integer.toString(settings.port()));
        var millis = Long.toString(settings.timeout().toMillis());
        props.put("mail." + protocol + ".connectiontimeout", millis);
        props.put("mail." + protocol + ".timeout", millis);
        props.put("mail." + protocol + ".writetimeout", millis);
        props.put("mail." + protocol + ".auth", Boolean.toString(settings.user() != null && !settings.user().isEmpty()));
        if (settings.security() == Security.STARTTLS) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        if (settings.security() != Security.NONE) {
            props.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(props);
    }

    @Override
    public void send(OutboxMail mail) throws Refused {
        MimeMessage message;
        try {
            message = message(mail);
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new Refused("bad address: " + e.getMessage(), true, e);
        } catch (MessagingException e) {
            throw new Refused(e.getMessage(), true, e);
        }
        try (var transport = session.getTransport()) {
            transport.connect(settings.host(), settings.port(), emptyToNull(settings.user()), emptyToNull(settings.password()));
            transport.sendMessage(message, message.getAllRecipients());
        } catch (SendFailedException refused) {
            // the server refused recipients (or the message): sending it again would not help, and would
            // send it twice to the recipients it accepted
            throw new Refused(refused.getMessage(), true, refused);
        } catch (MessagingException e) {
            throw new Refused(e.getMessage(), false, e);
        }
    }

    private MimeMessage message(OutboxMail mail) throws MessagingException, UnsupportedEncodingException {
        var m = mail.message();
        var message = new MimeMessage(session);
        message.setFrom(new InternetAddress(m.fromAddress(), m.fromName(), StandardCharsets.UTF_8.name()));
        message.setRecipients(Message.RecipientType.TO, addresses(m.to()));
        message.setRecipients(Message.RecipientType.CC, addresses(m.cc()));
        message.setRecipients(Message.RecipientType.BCC, addresses(m.bcc()));
        message.setSubject(m.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(Date.from(mail.createdAt()));
        message.setText(m.htmlBody(), StandardCharsets.UTF_8.name(), "html");
        message.setHeader("X-Dossier-Outbox-Id", Long.toString(mail.id()));
        message.saveChanges();
        return message;
    }

    private static InternetAddress[] addresses(List<String> list) throws AddressException {
        var out = new InternetAddress[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new InternetAddress(list.get(i), true);
        }
        return out;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
