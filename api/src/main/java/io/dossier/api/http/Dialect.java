package io.dossier.api.http;

/**
 * One HTTP surface of Dossier. The server mounts every dialect under {@code /<name>} on the main
 * port (and, when configured, at {@code /} on a port of its own); the dialect declares its routes
 * relative to that base and says how a core failure looks on its wire.
 */
public interface Dialect {

    /** The base path segment and metrics label: {@code ows}, {@code fileapi}, {@code admin}, … */
    String name();

    /** How this dialect writes a refusal (status, headers, body). */
    ErrorShape errors();

    /** Declares the dialect's routes, paths relative to its base. */
    void routes(Routes routes);
}
