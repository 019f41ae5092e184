package io.dossier.core.webhook;

/**
 * Where a webhook delivery is: {@code FAILED} means an attempt failed and another is scheduled;
 * {@code DEAD} means none will follow (its deadline passed) until an operator redelivers it.
 */
public enum DeliveryState {
    QUEUED, RUNNING, DONE, FAILED, DEAD;

    public boolean finished() {
        return this == DONE || this == DEAD;
    }
}
