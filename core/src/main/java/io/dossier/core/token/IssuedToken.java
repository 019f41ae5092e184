package io.dossier.core.token;

import java.time.Duration;

/** A token just issued: the only time its text is available. */
public record IssuedToken(String token, Duration expiresIn, Long tenantId) {
}
