package io.dossier.core.delivery;

import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.access.Caller;
import io.dossier.core.Transactions;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.content.BlobStore;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.FileNames;
import io.dossier.core.identity.Secrets;
import io.dossier.core.paging.ListCounts;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.QueryCheck;
import io.dossier.core.query.SortKey;
import io.dossier.core.schema.RecordType;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * File deliveries: publishers publish a file to a tenant under a business type (whole, or in
 * resumable chunks); every subscriber authorized for that business type lists, downloads and
 * deletes it with a state of its own. Authorization is checked here for every dialect.
 */
public final class DeliveryService {

    private final DeliveryRepository deliveries;
    private final ContentService content;
    private final Transactions transactions;
    private final Clock clock;
    private final RecordType fields;
    private final Duration ticketLifetime;
    private final ChangeFeed feed;
    /** Each application's authorizations as this node last read them, kept for the session cache time. */
    private final BoundedCache<ClientKey, Map<DeliveryRole, Set<Long>>> authorizations;

    /** A subscriber's list's count, used again while this node writes nothing of the tenant. */
    private final ListCounts<CountKey> counts;
    /**
     * Deliveries a subscriber found and had not deleted, as this node last read them, kept for the
     * session cache time: a client downloading a file in ranges sends a request for each range, and
     * reading the delivery again for each was the one statement of a range (a 4 MiB range's 0.19 ms of
     * its 1.9). Only found ones are kept, so a new publication shows at once; this node forgets one
     * when it changes the subscriber's state; another node's change holds here within the cache
     * time, as authorizations do. Authorization is checked on every call all the same.
     */
    private final BoundedCache<SubscriberFileKey, Delivery> available;

    private record ClientKey(long tenantId, long clientId) {
    }

    private record SubscriberFileKey(long tenantId, long clientId, String fileId) {
    }

    /**
     * @param authorizationCache how long a node keeps an application's authorizations (the session
     *                           cache time): every File API request checks them; a change made
     *                           through another node or process holds here within this time
     * @param countCache how long a subscriber's list's count is used again while this node commits no
     *                   write of the tenant (writes of other nodes show within it); zero counts every list
     * @param fields the definition of the filterable fields (uploadDate, businessType, status, fileName)
     * @param feed   where publications and each subscriber's state changes are recorded; a delivery a subscriber deletes
     *               stays for the others, so that is an update of the delivery, not a tombstone
     */
    public DeliveryService(DeliveryRepository deliveries, ContentService content, Transactions transactions, Clock clock,
                           RecordType fields, Duration ticketLifetime, ChangeFeed feed, Duration authorizationCache,
                           Duration countCache) {
        this.feed = feed;
        this.authorizations = new BoundedCache<>(100_000, authorizationCache);
        // about a kilobyte each (the delivery and its file): 10,000 stay under 10 MB
        this.available = new BoundedCache<>(10_000, authorizationCache);
        this.counts = new ListCounts<>(feed, countCache);
        this.deliveries = deliveries;
        this.content = content;
        this.transactions = transactions;
        this.clock = clock;
        this.fields = fields;
        this.ticketLifetime = ticketLifetime;
    }

    // ---- authorization

    public void authorize(long tenantId, long clientId, DeliveryRole role, Set<Long> businessTypes) {
        for (var type : businessTypes) {
            deliveries.authorize(new DeliveryAuthorization(clientId, tenantId, role, type));
        }
        authorizations.remove(new ClientKey(tenantId, clientId));
    }

    public List<DeliveryAuthorization> authorizations(long tenantId, long clientId) {
        return deliveries.authorizations(tenantId, clientId);
    }

    private Set<Long> businessTypes(Caller.AsClient grant, DeliveryRole role) {
        var key = new ClientKey(grant.tenantId(), grant.clientId());
        // kept by role, so that each request (a download sends one per range) looks its set up
        var granted = authorizations.get(key).orElseGet(() -> {
            var read = deliveries.authorizations(grant.tenantId(), grant.clientId()).stream()
                    .collect(Collectors.groupingBy(DeliveryAuthorization::role,
                            Collectors.mapping(DeliveryAuthorization::businessType, Collectors.toUnmodifiableSet())));
            var kept = Map.copyOf(read);
            authorizations.put(key, kept);
            return kept;
        });
        return granted.getOrDefault(role, Set.of());
    }

    private void requireRole(Caller.AsClient grant, DeliveryRole role) {
        if (businessTypes(grant, role).isEmpty()) {
            throw Failure.forbidden("this application is not a " + role.name().toLowerCase(java.util.Locale.ROOT) + " in this tenant");
        }
    }

    // ---- publishing

    /** Publishes a whole file; over {@code maxBytes} nothing is stored. */
    public Delivery publish(Caller caller, long businessType, String fileName, InputStream in, long maxBytes) throws IOException {
        var grant = caller.requireClient();
        mayPublish(grant, businessType);
        var file = content.upload(grant.tenantId(), null, fileName, null, in, maxBytes);
        return feed.write(() -> record(grant, businessType, file.ouid()));
    }

    private Delivery record(Caller.AsClient grant, long businessType, String ouid) {
        var file = content.bind(grant.tenantId(), ouid);
        var delivery = new Delivery(UUID.randomUUID().toString(), grant.tenantId(), businessType, grant.clientId(),
                grant.publicId(), file, clock.instant());
        deliveries.insert(delivery);
        feed.created(grant.tenantId(), EntityTypes.DELIVERY, delivery.fileId(), 1);
        return deliveries.find(grant.tenantId(), delivery.fileId()).orElseThrow();
    }

    private void mayPublish(Caller.AsClient grant, long businessType) {
        if (!businessTypes(grant, DeliveryRole.PUBLISHER).contains(businessType)) {
            throw Failure.forbidden("this application may not publish business type " + businessType + " in this tenant");
        }
    }

    /**
     * Starts a resumable publication with its first chunk, chunk 0 (Visma's own upload script
     * posts chunk 0 and then PUTs chunks 1, 2, …); returns the upload token. The chunk size is
     * the client's choice, bounded only by {@code maxTotalBytes} for the whole file.
     */
    public String startResumable(Caller caller, long businessType, String fileName, InputStream firstChunk, long maxTotalBytes)
            throws IOException {
        var grant = caller.requireClient();
        mayPublish(grant, businessType);
        var blob = content.store(firstChunk, maxTotalBytes);
        var token = Secrets.random(24);
        var hash = Secrets.hash(token);
        var now = clock.instant();
        try {
            transactions.run(() -> {
                deliveries.insertTicket(new UploadTicket(hash, grant.tenantId(), grant.clientId(), businessType,
                        FileNames.clean(fileName), 0, 0, now, now.plus(ticketLifetime), null));
                deliveries.addChunk(hash, new UploadChunk(0, blob.id(), blob.size(), blob.sha256()), now.plus(ticketLifetime));
            });
        } catch (RuntimeException e) {
            content.discard(blob);
            throw e;
        }
        return token;
    }

    /**
     * Receives chunk {@code position} (1, 2, … after the POSTed chunk 0). The next position is
     * stored; a position received before is accepted only when its bytes are identical (a retry
     * after a lost answer) and refused otherwise; a gap is refused. With {@code close} the chunks,
     * in order, become exactly one published file.
     */
    public java.util.Optional<Delivery> appendChunk(Caller caller, String token, int position, boolean close, InputStream chunk,
                                                    long maxTotalBytes) throws IOException {
        var grant = caller.requireClient();
        var hash = Secrets.hash(token == null ? "" : token);
        var ticket = ticket(grant, hash);
        if (position < 0) {
            throw Failure.invalid("position must be 0 or more");
        }
        if (ticket.closed() != null) {
            return java.util.Optional.of(closedAgain(grant, ticket.closed(), position, close, chunk));
        }
        if (position > ticket.nextPosition()) {
            throw Failure.invalid("chunk " + position + " leaves a gap: the next chunk expected is " + ticket.nextPosition());
        }
        if (position < ticket.nextPosition()) {
            requireSameAsStored(hash, position, chunk);
        } else {
            var blob = content.store(chunk, maxTotalBytes - ticket.size());
            try {
                transactions.run(() -> {
                    var locked = ticket(grant, hash);
                    if (locked.nextPosition() != position) {
                        throw Failure.conflict("chunk " + position + " arrived twice at once; send it again");
                    }
                    deliveries.addChunk(hash, new UploadChunk(position, blob.id(), blob.size(), blob.sha256()),
                            clock.instant().plus(ticketLifetime));
                });
            } catch (RuntimeException e) {
                content.discard(blob);
                throw e;
            }
        }
        if (!close) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(closeTicket(grant, hash, position, maxTotalBytes));
    }

    /** A chunk sent again must be the one stored at that position, byte for byte (size and SHA-256). */
    private void requireSameAsStored(String hash, int position, InputStream chunk) throws IOException {
        var stored = deliveries.chunks(hash).stream().filter(c -> c.position() == position).findFirst()
                .orElseThrow(() -> Failure.conflict("chunk " + position + " is being received; send it again"));
        requireSame(position, stored.size(), stored.sha256(), chunk);
    }

    private static void requireSame(int position, long storedSize, String storedSha256, InputStream chunk) throws IOException {
        var digest = sha256();
        long size = 0;
        var buffer = new byte[64 * 1024];
        for (int n; (n = chunk.read(buffer)) >= 0 && size <= storedSize; ) {
            digest.update(buffer, 0, n);
            size += n;
        }
        if (size != storedSize || !java.util.HexFormat.of().formatHex(digest.digest()).equals(storedSha256)) {
            throw Failure.conflict("chunk " + position + " was received before with other content (" + storedSize
                    + " bytes); a chunk may only be sent again unchanged");
        }
    }

    /**
     * A chunk for an upload that was closed: the closing chunk sent again, unchanged and with
     * {@code close=true} (its answer was lost), answers the file it published, as the close did;
     * anything else is a conflict.
     */
    private Delivery closedAgain(Caller.AsClient grant, UploadTicket.Closed closed, int position, boolean close, InputStream chunk)
            throws IOException {
        if (!close || position != closed.position()) {
            throw Failure.conflict("this upload was closed with chunk " + closed.position() + " and published as file " + closed.fileId());
        }
        requireSame(position, closed.size(), closed.sha256(), chunk);
        return publishedBy(grant, closed);
    }

    private Delivery publishedBy(Caller.AsClient grant, UploadTicket.Closed closed) {
        return deliveries.find(grant.tenantId(), closed.fileId())
                .orElseThrow(() -> Failure.notFound("the file this upload published, " + closed.fileId() + ", is gone"));
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Publishes the received chunks as one file. The ticket is closed in the same transaction that
     * records the delivery, so after any crash a ticket is either still open with all its chunks
     * or closed with a published file; chunk blobs are deleted only after that commit. Of two
     * closes with the same chunk at once, the second finds the ticket closed by the first and
     * answers its file.
     */
    private Delivery closeTicket(Caller.AsClient grant, String hash, int position, long maxTotalBytes) throws IOException {
        var ticket = ticket(grant, hash);
        if (ticket.closed() != null) {
            return publishedBy(grant, ticket.closed());
        }
        if (position != ticket.nextPosition() - 1) {
            throw Failure.conflict("close=true came with chunk " + position + " but chunks up to " + (ticket.nextPosition() - 1)
                    + " were received; send close=true with the last chunk");
        }
        var chunks = deliveries.chunks(hash);
        var blobs = content.blobs();
        var file = content.upload(grant.tenantId(), null, ticket.fileName(), null, concatenated(chunks), maxTotalBytes);
        if (file.size() != ticket.size()) {
            content.delete(grant.tenantId(), file.ouid());
            throw new IllegalStateException("resumable upload: " + file.size() + " bytes read back, " + ticket.size() + " received");
        }
        var last = chunks.getLast();
        var closedMeanwhile = new java.util.concurrent.atomic.AtomicReference<UploadTicket.Closed>();
        var delivery = feed.write(() -> {
            var locked = ticket(grant, hash);
            if (locked.closed() != null) {
                closedMeanwhile.set(locked.closed());
                return null;
            }
            var published = record(grant, ticket.businessType(), file.ouid());
            deliveries.closeTicket(hash, new UploadTicket.Closed(published.fileId(), last.position(), last.size(), last.sha256()));
            return published;
        });
        if (closedMeanwhile.get() != null) {
            content.delete(grant.tenantId(), file.ouid());   // ours, never bound: the other close's file is the upload's
            return publishedBy(grant, closedMeanwhile.get());
        }
        for (var chunk : chunks) {
            blobs.delete(chunk.blobId());
        }
        return delivery;
    }

    /** The chunks' blobs one after the other, each checked against its chunk sums as it is read. */
    private InputStream concatenated(List<UploadChunk> chunks) {
        var iterator = chunks.iterator();
        Enumeration<InputStream> streams = new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return iterator.hasNext();
            }

            @Override
            public InputStream nextElement() {
                var chunk = iterator.next();
                try {
                    return content.openBlob(chunk.blobId(), chunk.sha256(), ByteRange.Resolved.whole(chunk.size()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return new SequenceInputStream(streams);
    }

    private UploadTicket ticket(Caller.AsClient grant, String hash) {
        return deliveries.lockTicket(grant.tenantId(), hash)
                .filter(t -> t.publisherClientId() == grant.clientId() && t.expiresAt().isAfter(clock.instant()))
                .orElseThrow(() -> Failure.notFound("unknown or expired uploadToken"));
    }

    /** A page of what this publisher published; the page's size is the caller's (its dialect's) to cap. */
    public List<Delivery> published(Caller caller, Page page) {
        var grant = caller.requireClient();
        requireRole(grant, DeliveryRole.PUBLISHER);
        return deliveries.published(grant.tenantId(), grant.clientId(), page.offset(), page.limit());
    }

    public long countPublished(Caller caller) {
        var grant = caller.requireClient();
        return deliveries.countPublished(grant.tenantId(), grant.clientId());
    }

    // ---- subscribing

    /** A page of the deliveries the subscriber may see, filtered and sorted. */
    public DeliveryPage list(Caller caller, Condition condition, List<SortKey> sort, Page page) {
        var grant = caller.requireClient();
        var types = businessTypes(grant, DeliveryRole.SUBSCRIBER);
        if (types.isEmpty()) {
            throw Failure.forbidden("this application is not a subscriber in this tenant");
        }
        var checked = QueryCheck.checkCondition(fields, condition);
        for (var key : sort) {
            if (fields.field(key.path()).isEmpty()) {
                throw Failure.invalid("cannot sort on " + key.path());
            }
        }
        // a count this node made within the cache time, with no write of the tenant committed on this node
        // since, is used again: the page is read alone (subscribers poll the same list)
        var key = new CountKey(grant.clientId(), types, checked);
        long writes = counts.writes(grant.tenantId());
        var known = counts.known(grant.tenantId(), key, writes);
        var found = deliveries.search(grant.tenantId(), grant.clientId(), types, checked, sort, page.offset(), page.limit(), known.isEmpty());
        if (known.isPresent()) {
            return new DeliveryPage(found.items(), known.getAsLong());
        }
        counts.put(grant.tenantId(), key, writes, found.count());
        return found;
    }

    /** What a subscriber's list counts: its state, the kinds of delivery it may read, and the condition. */
    private record CountKey(long subscriberClientId, Set<Long> types, Condition condition) {
    }

    /**
     * The delivery, if this subscriber may download it and has not deleted it; as this node read it
     * within the session cache time, if it did ({@link #available}).
     */
    public Delivery forSubscriber(Caller caller, String fileId) {
        var grant = caller.requireClient();
        var key = new SubscriberFileKey(grant.tenantId(), grant.clientId(), fileId == null ? "" : fileId);
        var kept = available.get(key);
        if (kept.isPresent()) {
            return authorized(grant, kept.get());
        }
        var delivery = read(grant, fileId);
        available.put(key, delivery);
        return delivery;
    }

    /** As {@link #forSubscriber}, read from the database. */
    private Delivery read(Caller.AsClient grant, String fileId) {
        var found = deliveries.findForSubscriber(grant.tenantId(), fileId == null ? "" : fileId, grant.clientId())
                .orElseThrow(() -> Failure.notFound("file " + fileId + " not found"));
        var delivery = authorized(grant, found.delivery());
        if (found.state() == DeliveryState.DELETED) {
            throw Failure.notFound("file " + fileId + " not found");
        }
        return delivery;
    }

    private Delivery authorized(Caller.AsClient grant, Delivery delivery) {
        if (!businessTypes(grant, DeliveryRole.SUBSCRIBER).contains(delivery.businessType())) {
            throw Failure.forbidden("this application may not read business type " + delivery.businessType());
        }
        return delivery;
    }

    public void markDownloaded(Caller caller, Delivery delivery) {
        var grant = caller.requireClient();
        if (deliveries.state(grant.tenantId(), delivery.fileId(), grant.clientId()) == DeliveryState.AVAILABLE) {
            setState(grant, delivery, DeliveryState.DOWNLOADED);
        }
    }

    /** Removes the delivery from this subscriber's view only. */
    public void delete(Caller caller, String fileId) {
        var grant = caller.requireClient();
        var delivery = read(grant, fileId);
        setState(grant, delivery, DeliveryState.DELETED);
    }

    private void setState(Caller.AsClient grant, Delivery delivery, DeliveryState state) {
        var key = new SubscriberFileKey(grant.tenantId(), grant.clientId(), delivery.fileId());
        try {
            feed.run(() -> {
                var version = deliveries.setState(grant.tenantId(), delivery.fileId(), grant.clientId(), state, clock.instant());
                feed.updated(grant.tenantId(), EntityTypes.DELIVERY, delivery.fileId(), version);
            });
        } finally {
            // with what a read kept meanwhile; one kept after this holds for the cache time, as another node's change does
            available.remove(key);
        }
    }

    /** Collects up to {@code limit} resumable publications nobody finished in time, or closed long enough ago; returns how many. */
    public int collectExpiredTickets(int limit) {
        var expired = transactions.inTransaction(() -> deliveries.claimExpiredTickets(clock.instant(), limit));
        for (var id : expired.chunkBlobIds()) {
            try {
                content.blobs().delete(id);
            } catch (IOException e) {
                // collected again never: the blob is unreferenced; the folder sweep or bucket lifecycle removes it
            }
        }
        return expired.count();
    }

}
