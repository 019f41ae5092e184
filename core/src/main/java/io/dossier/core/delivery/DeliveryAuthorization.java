package io.dossier.core.delivery;

/** A client may act in {@code role} for {@code businessType} deliveries of a tenant. */
public record DeliveryAuthorization(long clientId, long tenantId, DeliveryRole role, long businessType) {
}
