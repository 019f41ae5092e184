package io.dossier.core.delivery;

/** What a client application may do with the deliveries of a business type in a tenant. */
public enum DeliveryRole { PUBLISHER, SUBSCRIBER }
