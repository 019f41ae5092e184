package io.dossier.core.identity;

/** An admin token just created, with its secret: the only time the secret is ever available. */
public record IssuedAdminToken(AdminToken token, String secret) {
}
