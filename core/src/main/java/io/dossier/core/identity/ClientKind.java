package io.dossier.core.identity;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of application credential Dossier issues. */
public enum ClientKind {
    /** OWS API key; acts with its user's rights. */
    OWS_API_KEY("ows-api-key", true),
    /** OAuth client id + secret with scopes (Youforce, File API). */
    OAUTH("oauth", false),
    /** API token owned by a user (Opus 2). */
    API_TOKEN("api-token", true),
    /** An API key a user issues for a program, exchanged for a session or sent with each call (LogicalDOC); acts with its user's rights. */
    USER_API_KEY("logicaldoc-api-key", true);

    private final String wireName;
    private final boolean ownedByUser;

    ClientKind(String wireName, boolean ownedByUser) {
        this.wireName = wireName;
        this.ownedByUser = ownedByUser;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a client of this kind acts as a user, and so needs one. */
    public boolean ownedByUser() {
        return ownedByUser;
    }

    public static Optional<ClientKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
