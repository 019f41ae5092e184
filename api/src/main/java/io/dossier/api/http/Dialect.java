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

    /**
     * Whether clients may spell this dialect's paths (its base included) in any case, as some
     * published APIs allow. Off by default: a path then matches exactly, as OWS and the File API need.
     */
    default boolean caseInsensitivePaths() {
        return false;
    }
}
