package io.dossier.core.access;

/** The permissions one subject holds on one resource of a tenant. */
public record AccessGrant(long tenantId, Resource resource, Subject subject, Permissions permissions) {
}
