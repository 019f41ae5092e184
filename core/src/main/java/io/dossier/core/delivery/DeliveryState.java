package io.dossier.core.delivery;

import java.util.Locale;

/** One subscriber's state of a delivery; a delivery it never touched is {@link #AVAILABLE}. */
public enum DeliveryState {
    AVAILABLE, DOWNLOADED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
