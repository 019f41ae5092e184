package io.dossier.core.identity;

/** A user just created, with the password given or generated for it. */
public record IssuedUser(User user, String password) {
}
