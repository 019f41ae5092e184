package io.dossier.core.mail;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.Caller;
import io.dossier.core.identity.IdentityService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mail a tenant's clients send (a confirmation to an applicant, a notice to a consultant). Dossier
 * keeps each accepted message in the tenant's outbox, which operators list, and delivers it through
 * a {@link MailTransport} when one is configured: background work on any node claims due messages
 * (each once, across nodes), retries a failed attempt with growing pauses, and gives up after
 * {@link #MAX_ATTEMPTS} or when the server refuses the message itself.
 */
public final class MailService {

    public static final int MAX_RECIPIENTS = 100;
    public static final int MAX_SUBJECT = 1000;
    public static final int MAX_BODY = 1_000_000;
    public static final int MAX_PAGE = 500;
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"]{1,64}@[^@\\s<>,;\"]{1,255}");

    public static final int MAX_ATTEMPTS = 8;
    private static final Duration FIRST_PAUSE = Duration.ofMinutes(1);

    private final OutboxRepository outbox;
    private final IdentityService identities;
    private final Transactions transactions;
    private final MailTransport transport;
    private final Clock clock;

    /** @param transport the mail server, or null: messages stay queued in the outbox */
    public MailService(OutboxRepository outbox, IdentityService identities, Transactions transactions, MailTransport transport, Clock clock) {
        this.outbox = outbox;
        this.identities = identities;
        this.transactions = transactions;
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * Accepts a message for sending and returns its id in the outbox. Without a sender address it
     * is sent as {@code senderUserId} (a user of the caller's tenant), else as the caller's user.
     */
    public long send(Caller caller, MailMessage message, Long senderUserId) {
        var recipients = Stream.of(message.to(), message.cc(), message.bcc()).mapToInt(List::size).sum();
        if (recipients == 0) {
            throw Failure.invalid("a message needs at least one recipient");
        }
        if (recipients > MAX_RECIPIENTS) {
            throw Failure.invalid("a message may have at most " + MAX_RECIPIENTS + " recipients");
        }
        Stream.of(message.to(), message.cc(), message.bcc()).flatMap(List::stream).forEach(MailService::requireAddress);
        if (message.subject() == null || message.subject().isBlank()) {
            throw Failure.invalid("a message needs a subject");
        }
        if (message.subject().length() > MAX_SUBJECT) {
            throw Failure.invalid("a subject may have at most " + MAX_SUBJECT + " characters");
        }
        if (message.htmlBody() == null) {
            throw Failure.invalid("a message needs a body");
        }
        if (message.htmlBody().length() > MAX_BODY) {
            throw Failure.tooLarge("a message body may have at most " + MAX_BODY + " characters");
        }
        var sending = message;
        if (message.fromAddress() == null || message.fromAddress().isBlank()) {
            var userId = senderUserId != null ? senderUserId : caller.userId()
                    .orElseThrow(() -> Failure.invalid("a message needs a sender: give a 'from' address"));
            var user = identities.user(caller.tenantId(), userId);   // not found outside the caller's tenant
            if (user.email() == null || user.email().isBlank()) {
                throw Failure.invalid("user " + user.username() + " has no e-mail address to send from");
            }
            sending = message.from(user.email(), message.fromName() != null ? message.fromName() : user.displayName());
        } else {
            requireAddress(message.fromAddress());
        }
        Long clientId = caller instanceof Caller.AsClient client ? client.clientId() : null;
        var now = clock.instant();
        return outbox.add(caller.tenantId(), caller.userId().orElse(null), clientId, sending, now, transport == null ? null : now);
    }

    /**
     * Delivers up to {@code limit} due messages of any tenant; returns how many were sent. Without a
     * mail server it does nothing. Messages accepted while none was configured become due first.
     */
    public int deliverDue(int limit) {
        if (transport == null) {
            return 0;
        }
        var now = clock.instant();
        outbox.scheduleWaiting(now);
        return transactions.inTransaction(() -> {
            int sent = 0;
            for (var mail : outbox.claimDue(now, limit)) {
                int attempts = mail.attempts() + 1;
                try {
                    transport.send(mail);
                    outbox.markSent(mail.id(), attempts, clock.instant());
                    sent++;
                } catch (MailTransport.Refused refused) {
                    var error = refused.getMessage() == null ? "refused" : refused.getMessage();
                    if (refused.permanent() || attempts >= MAX_ATTEMPTS) {
                        outbox.markFailed(mail.id(), attempts, error);
                    } else {
                        outbox.markRetry(mail.id(), attempts, clock.instant().plus(FIRST_PAUSE.multipliedBy(1L << (attempts - 1))), error);
                    }
                }
            }
            return sent;
        });
    }

    /** Whether messages are delivered (a mail server is configured) or only kept in the outbox. */
    public boolean delivers() {
        return transport != null;
    }

    /** Checks that {@code userId} may send in the caller's tenant (not found otherwise). */
    public void requireSender(Caller caller, long userId) {
        identities.user(caller.tenantId(), userId);
    }

    /** The tenant's outbox after {@code afterId}, oldest first. */
    public List<OutboxMail> outbox(long tenantId, long afterId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw Failure.invalid("limit must be between 1 and " + MAX_PAGE);
        }
        return outbox.list(tenantId, Math.max(0, afterId), limit);
    }

    private static void requireAddress(String address) {
        if (address == null || !ADDRESS.matcher(address.strip()).matches()) {
            throw Failure.invalid("'" + address + "' is not an e-mail address");
        }
    }
}
