package io.dossier.core.webhook;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.Caller;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.identity.Secrets;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.QueryCheck;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.core.settings.Settings;
import io.dossier.core.settings.SettingsService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks: a tenant's registrations to be told of changes of its records, fed from the change
 * feed and delivered with retries.
 *
 * <h2>From the feed to deliveries</h2>
 * Each webhook has its own place in its tenant's feed. {@link #dispatch} takes the webhook's place
 * under a row lock that other nodes skip ({@code SKIP LOCKED}), reads the changes after it, turns
 * each that the webhook asks for into a delivery (its body rendered once, by the dialect that owns
 * the shape) and moves the place on, all in one transaction: a change becomes exactly one delivery
 * of each webhook that wants it, whichever node dispatches it.
 *
 * <h2>Why deliveries are not jobs</h2>
 * Deliveries live in a table of their own rather than as rows of the job table: a delivery may
 * only be attempted once every earlier delivery of the same record to the same webhook is
 * finished (a receiver must see a record's changes in their order), which the claim checks in
 * SQL per record; jobs are independent of each other by design. Redelivery, the per-webhook
 * listing and the last answer's status are theirs too. They share the job table's method: claims
 * with {@code SKIP LOCKED}, a lease per attempt, a claim token, backoff with jitter, a deadline.
 *
 * <h2>A delivery</h2>
 * A POST of the body with headers {@code X-Dossier-Delivery} (its id), {@code X-Dossier-Event},
 * {@code X-Dossier-Timestamp} (Unix seconds) and {@code X-Dossier-Signature}:
 * {@code sha256=} and the hex HMAC-SHA256, under the webhook's secret, of the timestamp, a dot and
 * the body. A 2xx answer is success; any other answer, no answer within the timeout, or a target
 * that resolves to a refused address is a failed attempt.
 */
public final class Webhooks {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final int DISPATCH_BATCH = 500;
    private static final int MAX_ERROR = 2_000;
    public static final String HEADER_DELIVERY = "X-Dossier-Delivery";
    public static final String HEADER_EVENT = "X-Dossier-Event";
    public static final String HEADER_TIMESTAMP = "X-Dossier-Timestamp";
    public static final String HEADER_SIGNATURE = "X-Dossier-Signature";

    /** A webhook just registered, with its secret: the only time it is shown. */
    public record Registered(Webhook webhook, String secret) {
    }

    private final WebhookRepository repository;
    private final ChangeFeed feed;
    private final RecordService records;
    private final Schemas schemas;
    private final SettingsService settings;
    private final WebhookBodies bodies;
    private final WebhookSender sender;
    private final SecretBox box;
    private final TargetCheck targets;
    private final Transactions transactions;
    private final Clock clock;
    private final RandomGenerator random;
    private final String node;
    private final WebhookPolicy policy;
    private volatile Runnable deliveriesQueued = () -> { };

    /**
     * Every tenant's webhooks as the dispatcher last read them, and the count of this node's
     * registrations and deletions when it began to read them. A webhook never changes once
     * registered, so the dispatcher reads them again only when this node registered or deleted one
     * since, or when it is told to (at each of its polls, for other nodes' ones): the reading after
     * each of this node's commits was one more statement for every write, also with no webhook.
     */
    private volatile Known known;
    private final AtomicLong registrations = new AtomicLong();

    private record Known(long registrations, List<Webhook> webhooks) {
    }

    /** What an attempt needs of its webhook: the webhook, its sealed secret, whether its tenant allows private targets. */
    private record Target(Webhook webhook, String sealedSecret, boolean allowPrivate) {
    }

    /**
     * The targets of recent attempts, a few seconds per node: three queries a delivery otherwise. A
     * webhook never changes once registered; one deleted on another node, or a tenant setting changed,
     * reaches this node's attempts within the time to live.
     */
    private final BoundedCache<Long, Target> attemptTargets = new BoundedCache<>(10_000, Duration.ofSeconds(5));

    /** {@code box} null: this installation has no {@code secrets.key}, and webhooks cannot be registered. */
    public Webhooks(WebhookRepository repository, ChangeFeed feed, RecordService records, Schemas schemas, SettingsService settings,
                    WebhookBodies bodies, WebhookSender sender, SecretBox box, TargetCheck targets, Transactions transactions, Clock clock,
                    RandomGenerator random, String node, WebhookPolicy policy) {
        this.repository = repository;
        this.feed = feed;
        this.records = records;
        this.schemas = schemas;
        this.settings = settings;
        this.bodies = bodies;
        this.sender = sender;
        this.box = box;
        this.targets = targets;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.node = node;
        this.policy = policy;
    }

    public WebhookPolicy policy() {
        return policy;
    }

    public String node() {
        return node;
    }

    /** Called when this node queued deliveries, so its worker claims them at once. */
    void onDeliveriesQueued(Runnable wakeUp) {
        this.deliveriesQueued = wakeUp;
    }

    // ---- the operator's side, always within one tenant

    /**
     * Registers a webhook. {@code secret} null: a new random one. The URL is checked now (and
     * before every attempt); the condition must hold only fields every one of the types can filter on.
     * Deliveries start with the changes committed after this call.
     */
    public Registered register(long tenantId, String url, String secret, Set<String> recordTypes, Set<String> events, Condition condition) {
        if (box == null) {
            throw Failure.unavailable("webhooks need secrets.key (DOSSIER_SECRETS_KEY) in the server's settings: the key that seals their secrets", null);
        }
        var target = targets.check(url, allowPrivate(tenantId)).toString();
        if (recordTypes == null || recordTypes.isEmpty()) {
            throw Failure.invalid("recordTypes must name at least one record type");
        }
        var types = new LinkedHashSet<String>();
        for (var name : recordTypes) {
            var type = schemas.type(name == null ? "" : name).or(() -> schemas.byStorageName(name == null ? "" : name))
                    .filter(bodies::supports)
                    .orElseThrow(() -> Failure.invalid("no record type '" + name + "' that webhooks can tell of"));
            if (condition != null) {
                QueryCheck.checkCondition(type, condition);
            }
            types.add(type.storageName());
        }
        if (events == null || events.isEmpty()) {
            throw Failure.invalid("events must name at least one of created, updated, deleted, statusChanged, documentAttached");
        }
        var wanted = new LinkedHashSet<WebhookEvent>();
        events.forEach(e -> wanted.add(WebhookEvent.of(e)));
        if (secret == null) {
            secret = "whsec_" + Secrets.randomHex(24);
        } else if (secret.length() < 16 || secret.length() > 200) {
            throw Failure.invalid("a secret is 16 to 200 characters (leave it out for a random one)");
        }
        var head = feed.head(tenantId);
        var webhook = repository.insert(new WebhookRepository.NewWebhook(tenantId, target, box.seal(secret), types, wanted, condition,
                clock.instant(), head.major(), head.minor()));
        registrations.incrementAndGet();
        return new Registered(webhook, secret);
    }

    public List<Webhook> list(long tenantId) {
        return repository.list(tenantId);
    }

    public Webhook find(long tenantId, long id) {
        return repository.find(tenantId, id).orElseThrow(() -> Failure.notFound("no webhook " + id));
    }

    /** Deletes the webhook with its deliveries; an attempt under way finishes unrecorded. */
    public void delete(long tenantId, long id) {
        if (!repository.delete(tenantId, id)) {
            throw Failure.notFound("no webhook " + id);
        }
        registrations.incrementAndGet();
        attemptTargets.remove(id);
    }

    public List<WebhookDelivery> deliveries(long tenantId, long webhookId, DeliveryState state, Long beforeId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw Failure.invalid("limit must be 1 to 1000");
        }
        find(tenantId, webhookId);
        return repository.deliveries(tenantId, webhookId, state, beforeId, limit);
    }

    public WebhookDelivery delivery(long tenantId, long webhookId, long id) {
        return repository.delivery(tenantId, webhookId, id).orElseThrow(() -> Failure.notFound("no delivery " + id + " of webhook " + webhookId));
    }

    /** Sends a delivery again (its same body, due now, with a new deadline), whatever its outcome was, unless it is queued or running. */
    public WebhookDelivery redeliver(long tenantId, long webhookId, long id) {
        var delivery = delivery(tenantId, webhookId, id);
        if (!repository.redeliver(id, clock.instant(), clock.instant().plus(policy.retryDeadline()))) {
            throw Failure.conflict("delivery " + id + " is " + delivery.state().name().toLowerCase(java.util.Locale.ROOT)
                    + " already; it can be redelivered once it is done, failed or dead");
        }
        deliveriesQueued.run();
        return delivery(tenantId, webhookId, id);
    }

    private boolean allowPrivate(long tenantId) {
        return settings.get(tenantId, Settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS);
    }

    // ---- dispatching: the feed becomes deliveries

    /**
     * Whether a commit of this node may have changes for a webhook: not when the webhooks last read
     * were none and this node registered none since (another node's are found at the next poll).
     */
    public boolean mayDispatch() {
        var webhooks = known;
        return webhooks == null || !webhooks.webhooks().isEmpty() || webhooks.registrations() != registrations.get();
    }

    /**
     * Dispatches the changes after every webhook's place that no other node is dispatching; returns
     * how many changes were read. The webhooks are those read last time unless {@code reread}, or
     * this node registered or deleted one since (a webhook deleted on another node meanwhile is
     * passed over: its place is gone).
     */
    public int dispatchAll(boolean reread) {
        long registered = registrations.get();
        var webhooks = known;
        if (reread || webhooks == null || webhooks.registrations() != registered) {
            webhooks = new Known(registered, repository.all());
            known = webhooks;
        }
        int read = 0;
        for (var webhook : webhooks.webhooks()) {
            try {
                int n;
                do {
                    n = dispatch(webhook);
                    read += n;
                } while (n == DISPATCH_BATCH);
            } catch (RuntimeException e) {
                LOG.warn("dispatching the changes of webhook {} failed; the next round tries again: {}", webhook.id(), e.toString());
            }
        }
        return read;
    }

    /** One batch of the webhook's changes, in one transaction; returns how many changes were read (0 when another node holds it). */
    int dispatch(Webhook webhook) {
        var queued = new int[1];
        int read = transactions.inTransaction(() -> {
            queued[0] = 0;
            var place = repository.lockPosition(webhook.id());
            if (place.isEmpty()) {
                return 0;
            }
            var entityTypes = new LinkedHashSet<String>();
            for (var type : webhook.recordTypes()) {
                entityTypes.add(EntityTypes.record(type));
                if (webhook.events().contains(WebhookEvent.STATUS_CHANGED)) {
                    entityTypes.add(EntityTypes.recordStatus(type));
                }
                if (webhook.events().contains(WebhookEvent.DOCUMENT_ATTACHED)) {
                    entityTypes.add(EntityTypes.recordDocument(type));
                }
            }
            var changes = feed.read(webhook.tenantId(), entityTypes, place.get().transaction(), place.get().position(), null, null,
                    DISPATCH_BATCH);
            if (changes.isEmpty()) {
                return 0;
            }
            var now = clock.instant();
            for (var change : changes) {
                if (queue(webhook, change, now)) {
                    queued[0]++;
                }
            }
            var last = changes.getLast();
            repository.movePosition(webhook.id(), new WebhookRepository.FeedPosition(last.transaction(), last.position()));
            return changes.size();
        });
        if (queued[0] > 0) {
            deliveriesQueued.run();
        }
        return read;
    }

    private boolean queue(Webhook webhook, Change change, Instant now) {
        var entityType = change.entityType();
        var split = entityType.indexOf(':');
        var storageName = entityType.substring(split + 1);
        var kind = entityType.substring(0, split + 1);
        WebhookEvent event;
        if (kind.equals(EntityTypes.recordStatus(""))) {
            event = WebhookEvent.STATUS_CHANGED;
        } else if (kind.equals(EntityTypes.recordDocument(""))) {
            event = WebhookEvent.DOCUMENT_ATTACHED;
        } else {
            event = switch (change.operation()) {
                case CREATE -> WebhookEvent.CREATED;
                case UPDATE -> WebhookEvent.UPDATED;
                case DELETE -> WebhookEvent.DELETED;
            };
        }
        if (!webhook.events().contains(event)) {
            return false;
        }
        var type = schemas.byStorageName(storageName).orElse(null);
        if (type == null) {
            return false;
        }
        // a deleted record has no fields left to test: its deletion is told whatever the condition
        if (webhook.condition() != null && event != WebhookEvent.DELETED && !matches(webhook, type, change.entityId())) {
            return false;
        }
        var notification = bodies.render(type, event, change.entityId(), change.changedAt());
        if (notification.isEmpty()) {
            return false;
        }
        repository.insertDelivery(new WebhookRepository.NewDelivery(webhook.id(), webhook.tenantId(), storageName + ":" + change.entityId(),
                notification.get().event(), notification.get().body(), change.changedAt(), now, now.plus(policy.retryDeadline())));
        return true;
    }

    /** Whether the record matches the webhook's condition now (a record deleted meanwhile does not). */
    private boolean matches(Webhook webhook, RecordType type, String uid) {
        var condition = new Condition.And(List.of(new Condition.Compare("uid", Condition.Op.EQ, uid), webhook.condition()));
        var query = new Query(condition, List.of(), Set.of("uid"), Page.first(1), null);
        return !records.list(new Caller.Internal(webhook.tenantId(), "webhook " + webhook.id()), type, query).items().isEmpty();
    }

    // ---- delivering

    /** How often a claimer makes sure that no record's next delivery waits unseen ({@link WebhookRepository#markHeads}). */
    private static final Duration HEAD_CHECK = Duration.ofSeconds(5);
    private volatile Instant nextHeadCheck = Instant.MIN;

    /** Claims up to {@code limit} due deliveries for this node, each under a lease of the policy's. */
    public List<WebhookDelivery> claim(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        var now = clock.instant();
        if (now.isAfter(nextHeadCheck)) {
            nextHeadCheck = now.plus(HEAD_CHECK);
            int missed = repository.markHeads();
            if (missed > 0) {
                LOG.info("{} webhook deliveries were waiting behind a finished one; they go now", missed);
            }
        }
        return repository.claim(node, now, now.plus(policy.lease()), limit);
    }

    /** Attempts one claimed delivery on this thread and records the outcome: {@code done}, {@code failed}, {@code dead} or {@code lost}. */
    public String attempt(WebhookDelivery delivery) {
        Integer status = null;
        String error;
        try {
            var of = attemptTarget(delivery);
            if (of == null) {
                return "lost";
            }
            if (box == null) {
                throw new IllegalStateException("this node has no secrets.key to sign with");
            }
            var target = targets.check(of.webhook().url(), of.allowPrivate());
            var timestamp = Long.toString(clock.instant().getEpochSecond());
            var headers = new LinkedHashMap<String, String>();
            headers.put(HEADER_DELIVERY, Long.toString(delivery.id()));
            headers.put(HEADER_EVENT, delivery.event());
            headers.put(HEADER_TIMESTAMP, timestamp);
            headers.put(HEADER_SIGNATURE, "sha256=" + signature(box.open(of.sealedSecret()), timestamp, delivery.body()));
            status = sender.post(target, headers, delivery.body(), policy.timeout());
            if (status >= 200 && status < 300) {
                return repository.complete(delivery.id(), delivery.claimToken(), status, clock.instant()) ? "done" : "lost";
            }
            error = "the receiver answered HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Failure e) {
            error = e.getMessage();
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (error.length() > MAX_ERROR) {
            error = error.substring(0, MAX_ERROR - 1) + "…";
        }
        var now = clock.instant();
        var next = nextAttempt(delivery.attempts(), now, delivery.deadlineAt());
        if (!repository.fail(delivery.id(), delivery.claimToken(), status, error, next, now)) {
            return "lost";
        }
        if (next == null) {
            LOG.warn("webhook delivery {} is dead after {} attempts: {}", delivery.id(), delivery.attempts(), error);
            return "dead";
        }
        LOG.info("webhook delivery {} attempt {} failed, next at {}: {}", delivery.id(), delivery.attempts(), next, error);
        return "failed";
    }

    /** The webhook of a delivery, from this node's cache or the database; null when it is gone. */
    private Target attemptTarget(WebhookDelivery delivery) {
        var cached = attemptTargets.get(delivery.webhookId()).orElse(null);
        if (cached != null && cached.webhook().tenantId() == delivery.tenantId()) {
            return cached;
        }
        var sealed = repository.sealedSecret(delivery.webhookId());
        var webhook = repository.find(delivery.tenantId(), delivery.webhookId());
        if (sealed.isEmpty() || webhook.isEmpty()) {
            return null;
        }
        var target = new Target(webhook.get(), sealed.get(), allowPrivate(delivery.tenantId()));
        attemptTargets.put(delivery.webhookId(), target);
        return target;
    }

    /** The next attempt after {@code attempts} failed ones, with jitter; null (dead) when it would fall after the deadline. */
    Instant nextAttempt(int attempts, Instant now, Instant deadline) {
        var shift = Math.min(Math.max(attempts - 1, 0), 40);
        long first = policy.firstBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long delay = first > (max >> shift) ? max : Math.min(max, first << shift);
        long half = delay / 2;
        var next = now.plusMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
        return next.isAfter(deadline) ? null : next;
    }

    /** The hex HMAC-SHA256 under {@code secret} of {@code timestamp + "." + body}: what a receiver recomputes. */
    public static String signature(String secret, String timestamp, String body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
        }
    }

    /** Deletes deliveries finished more than {@code keep} ago; returns how many. */
    public int purgeFinished(Duration keep) {
        int total = 0;
        int purged;
        do {
            purged = repository.purgeFinished(clock.instant().minus(keep), 500);
            total += purged;
        } while (purged == 500);
        return total;
    }
}
