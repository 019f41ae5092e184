package io.dossier.core.delivery;

import java.util.List;

/** A page of deliveries and the number of all that match. */
public record DeliveryPage(List<SubscribedDelivery> items, long count) {
}
