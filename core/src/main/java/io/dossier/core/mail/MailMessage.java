package io.dossier.core.mail;

import java.util.List;

/**
 * A message to send: the sender (null address: the caller's own user), recipients, subject, an HTML
 * body, and optionally the record it is about ({@code aboutType} a record type's storage name).
 */
public record MailMessage(String fromAddress, String fromName, List<String> to, List<String> cc, List<String> bcc,
                          String subject, String htmlBody, String aboutType, String aboutUid) {

    public MailMessage {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
    }

    MailMessage from(String address, String name) {
        return new MailMessage(address, name, to, cc, bcc, subject, htmlBody, aboutType, aboutUid);
    }
}
