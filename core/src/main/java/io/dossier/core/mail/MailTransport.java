package io.dossier.core.mail;

/** Port: hands a message to a mail server. */
public interface MailTransport {

    /** Sends {@code mail}; throws {@link Refused} when it failed, saying whether trying again may help. */
    void send(OutboxMail mail) throws Refused;

    /** A failed delivery: {@code permanent} when the server refused the message itself (a bad address), else worth a retry. */
    final class Refused extends Exception {
        private final boolean permanent;

        public Refused(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
