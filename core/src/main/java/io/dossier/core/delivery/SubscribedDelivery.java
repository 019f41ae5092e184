package io.dossier.core.delivery;

/** A delivery as one subscriber sees it. */
public record SubscribedDelivery(Delivery delivery, DeliveryState state) {
}
