package io.dossier.core.delivery;

import io.dossier.core.query.Condition;
import io.dossier.core.query.SortKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Port: deliveries, each subscriber's state of them, who may publish or subscribe, and resumable
 * publications in progress. Every call takes the tenant.
 */
public interface DeliveryRepository {

    void insert(Delivery delivery);

    Optional<Delivery> find(long tenantId, String fileId);

    /**
     * The deliveries of {@code businessTypes} as subscriber {@code subscriberClientId} sees them,
     * matching {@code condition} over the fields {@code uploadDate} (Instant), {@code businessType}
     * (Long), {@code fileName} (String) and {@code status} (String: {@code available},
     * {@code downloaded}, {@code all}). A condition that never names {@code status} matches only
     * available deliveries; deliveries the subscriber deleted never match. Sorted by {@code sort}
     * (same fields; then by upload date descending), paged, with the count of all matches when
     * {@code count} (else -1).
     */
    DeliveryPage search(long tenantId, long subscriberClientId, Set<Long> businessTypes, Condition condition, List<SortKey> sort,
                        int offset, int limit, boolean count);

    /** Deliveries published by a client, newest first. */
    List<Delivery> published(long tenantId, long publisherClientId, int offset, int limit);

    long countPublished(long tenantId, long publisherClientId);

    DeliveryState state(long tenantId, String fileId, long subscriberClientId);

    /** {@link #find} and {@link #state} in one statement: what every download of a subscriber reads. */
    Optional<SubscribedDelivery> findForSubscriber(long tenantId, String fileId, long subscriberClientId);

    /** Sets the subscriber's state of the delivery and raises the delivery's version (1 when inserted); returns the new version. */
    long setState(long tenantId, String fileId, long subscriberClientId, DeliveryState state, Instant when);

    List<DeliveryAuthorization> authorizations(long tenantId, long clientId);

    void authorize(DeliveryAuthorization authorization);

    boolean revoke(DeliveryAuthorization authorization);

    void insertTicket(UploadTicket ticket);

    /** The ticket, locked for update until the caller's transaction ends. */
    Optional<UploadTicket> lockTicket(long tenantId, String tokenHash);

    void addChunk(String tokenHash, UploadChunk chunk, Instant expiresAt);

    List<UploadChunk> chunks(String tokenHash);

    /** Closes the ticket: its chunks' rows go, what it was closed with stays until it expires. */
    void closeTicket(String tokenHash, UploadTicket.Closed closed);

    /** Claims (SKIP LOCKED) and deletes up to {@code limit} tickets expired before {@code now}, open or closed. */
    ExpiredTickets claimExpiredTickets(Instant now, int limit);

    /** The expired tickets claimed, and the blobs of the chunks of those still open (a closed ticket has none). */
    record ExpiredTickets(int count, List<String> chunkBlobIds) {
    }
}
