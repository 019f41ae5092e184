package io.dossier.core.identity;

/** A client just created, with its secret: the only time the secret is ever available. */
public record IssuedClient(Client client, String secret) {
}
