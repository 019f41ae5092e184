package io.dossier.core.token;

import io.dossier.core.identity.Client;

/** What a valid bearer token allows: this client, acting in this tenant. */
public record Grant(Client client, long tenantId) {
}
