package io.dossier.core.session;

/** A session just opened, with its token: the only time the token is ever available. */
public record OpenedSession(String token, Session session) {
}
