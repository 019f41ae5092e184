package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.fit;
import static io.dossier.store.sql.SqlFileRepository.utc;
import static io.dossier.store.sql.Tables.DELIVERY;
import static io.dossier.store.sql.Tables.DELIVERY_AUTHORIZATION;
import static io.dossier.store.sql.Tables.DELIVERY_STATE;
import static io.dossier.store.sql.Tables.DELIVERY_TALLY;
import static io.dossier.store.sql.Tables.PUBLISHER;
import static io.dossier.store.sql.Tables.STORED_FILE;
import static io.dossier.store.sql.Tables.UPLOAD_CHUNK;
import static io.dossier.store.sql.Tables.UPLOAD_TICKET;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.trueCondition;
import static org.jooq.impl.DSL.val;

import io.dossier.core.Failure;
import io.dossier.core.delivery.Delivery;
import io.dossier.core.delivery.DeliveryAuthorization;
import io.dossier.core.delivery.DeliveryPage;
import io.dossier.core.delivery.DeliveryRepository;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.delivery.DeliveryState;
import io.dossier.core.delivery.SubscribedDelivery;
import io.dossier.core.delivery.UploadChunk;
import io.dossier.core.delivery.UploadTicket;
import io.dossier.core.query.Condition;
import io.dossier.core.query.QueryCheck;
import io.dossier.core.query.SortKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Deliveries, each subscriber's state of them, delivery authorizations and resumable publications.
 * A delivery is read joined to its stored file, with its publisher's public id. State and chunk
 * rows have no tenant column: statements on state rows reach the tenant through their delivery;
 * chunk rows are keyed by the upload token's hash, which only the ticket's publisher knows.
 */
public final class SqlDeliveryRepository implements DeliveryRepository {

    /**
     * The publisher's public id, read per delivery rather than joined: a join of client made the
     * planner weigh one more table in every list's page (0.15 ms of its 0.4 ms of planning).
     */
    private static final Field<String> PUBLISHER_ID = DSL.field(select(PUBLISHER.PUBLIC_ID).from(PUBLISHER.T)
            .where(PUBLISHER.ID.eq(DELIVERY.PUBLISHER_CLIENT_ID))).as("publisher_public_id");

    private static final List<SelectField<?>> DELIVERY_COLUMNS;

    static {
        var columns = new ArrayList<SelectField<?>>(List.of(DELIVERY.FILE_ID, DELIVERY.TENANT_ID, DELIVERY.BUSINESS_TYPE,
                DELIVERY.PUBLISHER_CLIENT_ID, DELIVERY.UPLOAD_DATE, PUBLISHER_ID));
        columns.addAll(SqlFileRepository.FILE_COLUMNS);
        DELIVERY_COLUMNS = List.copyOf(columns);
    }

    /** The subscriber's state in a search: no state row means it never touched the delivery, so AVAILABLE. */
    private static final Field<String> STATUS = coalesce(DELIVERY_STATE.STATE, DSL.inline(DeliveryState.AVAILABLE.name()));

    private static final String UID = "uid";
    private static final String UPLOAD_DATE = "uploadDate";
    private static final String BUSINESS_TYPE = "businessType";
    private static final String FILE_NAME = "fileName";
    private static final String STATUS_FIELD = "status";
    private static final char ESCAPE = '\\';

    private final Database db;

    public SqlDeliveryRepository(Database db) {
        this.db = db;
    }

    // ---- deliveries

    /** The delivery and its +1 in the tally of what was published ({@link #PUBLISHED}), in one transaction. */
    @Override
    public void insert(Delivery delivery) {
        db.inTransaction(() -> {
            db.sql().insertInto(DELIVERY.T)
                    .set(DELIVERY.FILE_ID, delivery.fileId())
                    .set(DELIVERY.TENANT_ID, delivery.tenantId())
                    .set(DELIVERY.BUSINESS_TYPE, delivery.businessType())
                    .set(DELIVERY.PUBLISHER_CLIENT_ID, delivery.publisherClientId())
                    .set(DELIVERY.FILE_OUID, delivery.file().ouid())
                    .set(DELIVERY.UPLOAD_DATE, utc(delivery.uploadDate()))
                    .execute();
            tally(delivery.tenantId(), delivery.fileId(), PUBLISHED, 1);
            return null;
        });
    }

    @Override
    public Optional<Delivery> find(long tenantId, String fileId) {
        return db.sql().select(DELIVERY_COLUMNS).from(deliveries())
                .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.FILE_ID.eq(fileId))
                .fetchOptional(SqlDeliveryRepository::delivery);
    }

    /**
     * The delivery with this subscriber's state, one statement rendered once and read over plain JDBC:
     * every request of a ranged download sends it, and jOOQ's rendering and record had cost more of
     * the server's CPU than the statement itself (bench/fileapi.sh's profile: 18% of a 4 MiB range).
     */
    @Override
    public Optional<SubscribedDelivery> findForSubscriber(long tenantId, String fileId, long subscriberClientId) {
        var binds = new Params();
        var subscriber = binds.named("subscriber", subscriberClientId);
        var tenant = binds.named("tenant", tenantId);
        var file = binds.named("file", fileId);
        SubscribedDelivery[] found = new SubscribedDelivery[1];
        db.read(Database.Plan.REUSED, "delivery for a subscriber", () -> {
            var state = DSL.field(DSL.select(DELIVERY_STATE.STATE).from(DELIVERY_STATE.T)
                    .where(DELIVERY_STATE.FILE_ID.eq(DELIVERY.FILE_ID), DELIVERY_STATE.SUBSCRIBER_CLIENT_ID.eq(subscriber)));
            var columns = new ArrayList<SelectField<?>>(DELIVERY_COLUMNS);
            columns.add(state);
            return DSL.select(columns).from(deliveries()).where(DELIVERY.TENANT_ID.eq(tenant), DELIVERY.FILE_ID.eq(file));
        }, binds.values(), "reading a delivery", rs -> {
            if (rs.next()) {
                found[0] = new SubscribedDelivery(delivery(rs), state(rs.getString(DELIVERY_COLUMNS.size() + 1)));
            }
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * The page and its count, each one statement rendered once per shape of the filter (its paths,
     * operators and which values are null, not the values: {@link #shapeOf}) and read over plain JDBC,
     * as every list request sends both: jOOQ's rendering and records had been a third of a list's CPU.
     */
    @Override
    public DeliveryPage search(long tenantId, long subscriberClientId, Set<Long> businessTypes, Condition condition,
                               List<SortKey> sort, int offset, int limit, boolean count) {
        if (businessTypes.isEmpty()) {
            return new DeliveryPage(List.of(), 0);
        }
        var types = List.copyOf(new TreeSet<>(businessTypes));
        List<String> paths = condition == null ? List.of() : QueryCheck.paths(condition);
        var binds = new Params();
        var subscriber = binds.named("subscriber", subscriberClientId);
        var matches = DSL.and(
                DELIVERY.TENANT_ID.eq(binds.named("tenant", tenantId)),
                DELIVERY.BUSINESS_TYPE.in(params("type", types, binds)),
                compile(condition, binds),
                // a deleted delivery has a state row, so one that is available is not deleted
                paths.contains(STATUS_FIELD) ? STATUS.ne(DSL.inline(DeliveryState.DELETED.name())) : available());
        var shape = List.of(shapeOf(condition), types.size());
        var subscriberState = DELIVERY_STATE.FILE_ID.eq(DELIVERY.FILE_ID).and(DELIVERY_STATE.SUBSCRIBER_CLIENT_ID.eq(subscriber));
        var items = new ArrayList<SubscribedDelivery>();
        if (limit > 0) {
            binds.put("offset", Math.max(offset, 0));
            binds.put("limit", limit);
            db.read(Database.Plan.EACH_RUN, List.of("deliveries page", shape, sort), () -> {
                var order = new ArrayList<SortField<?>>();
                for (var key : sort) {
                    order.add(key.descending() ? sortField(key.path()).desc() : sortField(key.path()).asc());
                }
                order.add(DELIVERY.UPLOAD_DATE.desc());
                order.add(DELIVERY.FILE_ID.asc());
                var columns = new ArrayList<SelectField<?>>(DELIVERY_COLUMNS);
                columns.add(DELIVERY_STATE.STATE);
                return DSL.select(columns).from(deliveries().leftJoin(DELIVERY_STATE.T).on(subscriberState))
                        .where(matches)
                        .orderBy(order)
                        .offset(DSL.param("offset", Integer.class))
                        .limit(DSL.param("limit", Integer.class));
            }, binds.values(), "reading a page of deliveries", rs -> {
                while (rs.next()) {
                    items.add(new SubscribedDelivery(delivery(rs), state(rs.getString(DELIVERY_COLUMNS.size() + 1))));
                }
            });
        }
        if (!count) {
            return new DeliveryPage(items, -1);
        }
        // the count needs the file's row only to filter on its name
        boolean byName = paths.contains(FILE_NAME);
        Supplier<Table<?>> counted = () -> {
            var t = DELIVERY.T.leftJoin(DELIVERY_STATE.T).on(subscriberState);
            return byName ? t.join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DELIVERY.FILE_OUID), STORED_FILE.TENANT_ID.eq(DELIVERY.TENANT_ID)) : t;
        };
        var days = TalliedDays.of(condition, businessTypes);
        return new DeliveryPage(items, days == null ? countRowByRow(shape, counted, matches, binds)
                : countTallied(tenantId, subscriberClientId, shape, days, counted, matches, binds));
    }

    private long countRowByRow(List<Object> shape, Supplier<Table<?>> counted, org.jooq.Condition matches, Params binds) {
        long[] count = new long[1];
        db.read(Database.Plan.EACH_RUN, List.of("deliveries counted", shape), () -> DSL.selectCount().from(counted.get()).where(matches), binds.values(),
                "counting deliveries", rs -> {
                    rs.next();
                    count[0] = rs.getLong(1);
                });
        return count[0];
    }

    /** Named parameters {@code prefix0}, {@code prefix1}, … for {@code values}, bound in {@code binds}. */
    private static List<Field<Long>> params(String prefix, List<Long> values, Params binds) {
        var params = new ArrayList<Field<Long>>(values.size());
        for (int i = 0; i < values.size(); i++) {
            params.add(binds.named(prefix + i, values.get(i)));
        }
        return params;
    }

    // ---- the count, from the tally

    /** The tally's subscriber for what was published; a subscriber's own rows count what it has a state of. */
    private static final long PUBLISHED = 0;

    /** The UTC day of a delivery's upload, as the tally keeps it (V30's expression). */
    private static final Field<Long> UPLOAD_DAY = DSL.field("floor(extract(epoch from {0}) / " + TalliedDays.DAY_SECONDS + ")", Long.class,
            DELIVERY.UPLOAD_DATE);

    /**
     * Adds {@code deliveries} (1 or -1) to the tally of the delivery's business type and upload day,
     * for what was published ({@link #PUBLISHED}) or what a subscriber has a state of.
     */
    private void tally(long tenantId, String fileId, long subscriberClientId, long deliveries) {
        db.sql().insertInto(DELIVERY_TALLY.T, DELIVERY_TALLY.TENANT_ID, DELIVERY_TALLY.SUBSCRIBER_CLIENT_ID, DELIVERY_TALLY.BUSINESS_TYPE,
                        DELIVERY_TALLY.DAY, DELIVERY_TALLY.DELIVERIES)
                .select(select(DELIVERY.TENANT_ID, val(subscriberClientId), DELIVERY.BUSINESS_TYPE, UPLOAD_DAY, val(deliveries))
                        .from(DELIVERY.T)
                        .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.FILE_ID.eq(fileId)))
                .execute();
    }

    /**
     * What a count of available deliveries can take from the tally: a condition that is an AND of
     * comparisons of {@code businessType} and {@code uploadDate} only (no {@code status}: available
     * ones; no file name, uid, OR or NOT), as the business types it leaves and the first and last
     * upload days it can match (null: unbounded). The days strictly between come from the tally; the
     * first and last are counted row by row.
     */
    record TalliedDays(List<Long> businessTypes, Long first, Long last) {

        static final long DAY_SECONDS = 86_400;

        /** Null when the condition needs a count row by row. */
        static TalliedDays of(Condition condition, Set<Long> authorized) {
            var comparisons = new ArrayList<Condition.Compare>();
            if (!flatten(condition, comparisons)) {
                return null;
            }
            var types = new ArrayList<>(new TreeSet<>(authorized));
            Long first = null;
            Long last = null;
            for (var c : comparisons) {
                switch (c.path()) {
                    case BUSINESS_TYPE -> {
                        if (!(c.value() instanceof Long || c.value() instanceof Integer)) {
                            return null;
                        }
                        long value = ((Number) c.value()).longValue();
                        types.removeIf(t -> !holds(c.op(), Long.compare(t, value)));
                    }
                    case UPLOAD_DATE -> {
                        if (!(c.value() instanceof Instant at)) {
                            return null;
                        }
                        long day = Math.floorDiv(at.getEpochSecond(), DAY_SECONDS);
                        switch (c.op()) {
                            case GT, GE -> first = first == null ? day : Math.max(first, day);
                            case LT, LE -> last = last == null ? day : Math.min(last, day);
                            case EQ -> {
                                first = first == null ? day : Math.max(first, day);
                                last = last == null ? day : Math.min(last, day);
                            }
                            default -> {
                                return null;
                            }
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new TalliedDays(List.copyOf(types), first, last);
        }

        private static boolean flatten(Condition condition, List<Condition.Compare> into) {
            return switch (condition) {
                case null -> true;
                case Condition.And and -> and.items().stream().allMatch(i -> flatten(i, into));
                case Condition.Compare compare -> (compare.op() == Condition.Op.EQ || compare.op() == Condition.Op.NE
                        || compare.op() == Condition.Op.GT || compare.op() == Condition.Op.GE
                        || compare.op() == Condition.Op.LT || compare.op() == Condition.Op.LE) && into.add(compare);
                default -> false;
            };
        }

        private static boolean holds(Condition.Op op, int comparison) {
            return switch (op) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                default -> false;
            };
        }

        /** The uploads of the first and last day, which are counted row by row (the filter decides within them). */
        org.jooq.Condition edges(Params binds) {
            var edges = new ArrayList<org.jooq.Condition>();
            for (var day : java.util.stream.Stream.of(first, last).filter(Objects::nonNull).distinct().toList()) {
                edges.add(DELIVERY.UPLOAD_DATE.ge(binds.named("edgeFrom" + edges.size(), utc(Instant.ofEpochSecond(day * DAY_SECONDS))))
                        .and(DELIVERY.UPLOAD_DATE.lt(binds.named("edgeTo" + edges.size(), utc(Instant.ofEpochSecond((day + 1) * DAY_SECONDS))))));
            }
            return edges.isEmpty() ? falseCondition() : DSL.or(edges);
        }

        /** The tally rows of the days strictly between the first and the last. */
        org.jooq.Condition between(long tenantId, long subscriberClientId, Params binds) {
            var where = DELIVERY_TALLY.TENANT_ID.eq(binds.named("tenant", tenantId))
                    .and(DELIVERY_TALLY.SUBSCRIBER_CLIENT_ID.in(DSL.inline(PUBLISHED), binds.named("subscriber", subscriberClientId)))
                    .and(DELIVERY_TALLY.BUSINESS_TYPE.in(params("tallied", businessTypes, binds)));
            if (first != null) {
                where = where.and(DELIVERY_TALLY.DAY.gt(binds.named("firstDay", first)));
            }
            if (last != null) {
                where = where.and(DELIVERY_TALLY.DAY.lt(binds.named("lastDay", last)));
            }
            return where;
        }
    }

    /**
     * One statement, one snapshot: the matches uploaded on the first and last day of the range,
     * counted, and for the days between, what was published less what this subscriber has a state
     * of (downloaded or deleted), from the tally. The count no longer visits every match nor the
     * subscriber's whole history.
     */
    private long countTallied(long tenantId, long subscriberClientId, List<Object> shape, TalliedDays days, Supplier<Table<?>> counted,
                              org.jooq.Condition matches, Params binds) {
        if (days.businessTypes().isEmpty() || (days.first() != null && days.last() != null && days.first() > days.last())) {
            return 0;
        }
        var edges = days.edges(binds);
        var between = days.between(tenantId, subscriberClientId, binds);
        long[] r = new long[5];
        db.read(Database.Plan.EACH_RUN, List.of("deliveries counted from the tally", shape, days.businessTypes().size(), days.first() != null, days.last() != null,
                Objects.equals(days.first(), days.last())), () -> {
            var onEdges = DSL.field(select(DSL.count()).from(counted.get()).where(matches, edges));
            var signed = DSL.sum(DSL.when(DELIVERY_TALLY.SUBSCRIBER_CLIENT_ID.eq(DSL.inline(PUBLISHED)), DELIVERY_TALLY.DELIVERIES)
                    .otherwise(DELIVERY_TALLY.DELIVERIES.neg()));
            return DSL.select(onEdges, signed, DSL.count(), DSL.min(DELIVERY_TALLY.DAY), DSL.max(DELIVERY_TALLY.DAY))
                    .from(DELIVERY_TALLY.T).where(between);
        }, binds.values(), "counting deliveries", rs -> {
            rs.next();
            for (int i = 0; i < r.length; i++) {
                r[i] = rs.getLong(i + 1);   // a sum over no rows is null: 0
            }
        });
        // at most one key per day of the rows read, for what was published and for the subscriber, per business type
        long keys = r[2] == 0 ? 0 : 2L * days.businessTypes().size() * (r[4] - r[3] + 1);
        Tallies.sumIfMany(db, r[2], keys, DELIVERY_TALLY.T, DELIVERY_TALLY.ID,
                List.of(DELIVERY_TALLY.TENANT_ID, DELIVERY_TALLY.SUBSCRIBER_CLIENT_ID, DELIVERY_TALLY.BUSINESS_TYPE, DELIVERY_TALLY.DAY),
                DELIVERY_TALLY.DELIVERIES, between);
        return r[0] + r[1];
    }

    @Override
    public List<Delivery> published(long tenantId, long publisherClientId, int offset, int limit) {
        return db.sql().select(DELIVERY_COLUMNS).from(deliveries())
                .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.PUBLISHER_CLIENT_ID.eq(publisherClientId))
                .orderBy(DELIVERY.UPLOAD_DATE.desc(), DELIVERY.FILE_ID.asc())
                .offset(Math.max(offset, 0))
                .limit(Math.max(limit, 0))
                .fetch(SqlDeliveryRepository::delivery);
    }

    @Override
    public long countPublished(long tenantId, long publisherClientId) {
        return db.sql().fetchCount(DELIVERY.T, DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.PUBLISHER_CLIENT_ID.eq(publisherClientId));
    }

    /** Deliveries with their stored file (the publisher's public id is a column of its own: {@link #PUBLISHER_ID}). */
    private static Table<?> deliveries() {
        return DELIVERY.T
                .join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DELIVERY.FILE_OUID), STORED_FILE.TENANT_ID.eq(DELIVERY.TENANT_ID));
    }

    /** A delivery from the current row of {@code rs}, its {@link #DELIVERY_COLUMNS} first. */
    private static Delivery delivery(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Delivery(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(6), SqlFileRepository.file(rs, 7),
                rs.getObject(5, java.time.OffsetDateTime.class).toInstant());
    }

    private static Delivery delivery(Record r) {
        return new Delivery(r.get(DELIVERY.FILE_ID), r.get(DELIVERY.TENANT_ID), r.get(DELIVERY.BUSINESS_TYPE),
                r.get(DELIVERY.PUBLISHER_CLIENT_ID), r.get(PUBLISHER_ID), SqlFileRepository.file(r),
                r.get(DELIVERY.UPLOAD_DATE).toInstant());
    }

    // ---- the search condition

    /**
     * The condition over the joined delivery, file and state rows. Values come typed from
     * {@link QueryCheck}; each becomes a named parameter ({@code v} and its place in {@code binds}),
     * in the order of the condition, so one {@link #shapeOf shape} is one text. Comparisons of
     * {@code fileName} are case-sensitive, as in the record compiler.
     */
    private static org.jooq.Condition compile(Condition condition, Params binds) {
        if (condition == null) {
            return trueCondition();
        }
        return switch (condition) {
            case Condition.And and -> DSL.and(and.items().stream().map(i -> compile(i, binds)).toList());
            case Condition.Or or -> or.items().isEmpty() ? falseCondition()
                    : DSL.or(or.items().stream().map(i -> compile(i, binds)).toList());
            case Condition.Not not -> DSL.not(compile(not.item(), binds));
            case Condition.Matches matches -> throw Failure.invalid("deliveries have no text search");
            case Condition.Related related -> throw Failure.invalid("deliveries have no related records");
            case Condition.Compare compare -> switch (compare.path()) {
                case UPLOAD_DATE -> ordered(compare, DELIVERY.UPLOAD_DATE, utc(instant(compare)), binds);
                case BUSINESS_TYPE -> ordered(compare, DELIVERY.BUSINESS_TYPE, number(compare), binds);
                case FILE_NAME -> text(compare, STORED_FILE.NAME, binds);
                case UID -> text(compare, DELIVERY.FILE_ID, binds);
                case STATUS_FIELD -> status(compare);
                default -> throw Failure.invalid("cannot filter deliveries on " + compare.path());
            };
        };
    }

    /**
     * What of a filter decides the text {@link #compile} makes of it: the condition with each value
     * replaced by whether it is null and its class, but for {@code status}, whose values choose the
     * SQL (see {@link #status}).
     */
    static Object shapeOf(Condition condition) {
        return switch (condition) {
            case null -> "no filter";
            case Condition.And and -> new Condition.And(and.items().stream().map(i -> (Condition) shapeOf(i)).toList());
            case Condition.Or or -> new Condition.Or(or.items().stream().map(i -> (Condition) shapeOf(i)).toList());
            case Condition.Not not -> new Condition.Not((Condition) shapeOf(not.item()));
            case Condition.Compare c -> new Condition.Compare(c.path(), c.op(), c.value() == null ? "null"
                    : c.path().equals(STATUS_FIELD) ? "status " + c.value() : c.value().getClass().getName());
            default -> condition;   // refused by compile
        };
    }

    /**
     * A delivery is available to a subscriber while it has no state row: rows are written only for
     * downloaded and deleted (see {@link #setState}). Written as IS NULL, PostgreSQL plans it as an
     * anti-join and stops after the first page instead of sorting every match.
     */
    private static org.jooq.Condition available() {
        return DELIVERY_STATE.FILE_ID.isNull();
    }

    /**
     * {@code available} and {@code downloaded} are this subscriber's states; {@code all} is either.
     * Deleted deliveries are excluded before this, so even {@code status ne 'available'} never shows them.
     */
    private static org.jooq.Condition status(Condition.Compare compare) {
        if (compare.op() != Condition.Op.EQ && compare.op() != Condition.Op.NE) {
            throw Failure.invalid("status can only be compared with eq or ne");
        }
        var value = compare.value() instanceof String s ? s.strip().toLowerCase(Locale.ROOT) : "";
        var matches = switch (value) {
            case "available" -> available();
            case "downloaded" -> STATUS.eq(DSL.inline(DeliveryState.DOWNLOADED.name()));
            case "all" -> trueCondition();
            default -> throw Failure.invalid("status must be 'available', 'downloaded' or 'all'");
        };
        return compare.op() == Condition.Op.EQ ? matches : DSL.not(matches);
    }

    /** The comparison operators; the columns compared are never null, so {@code Not} of any of them is exact. */
    private static <T> org.jooq.Condition ordered(Condition.Compare compare, Field<T> field, T value, Params binds) {
        return switch (compare.op()) {
            case EQ -> value == null ? field.isNull() : field.eq(binds.next(value));
            case NE -> value == null ? field.isNotNull() : field.ne(binds.next(value));
            case GE -> value == null ? falseCondition() : field.ge(binds.next(value));
            case GT -> value == null ? falseCondition() : field.gt(binds.next(value));
            case LE -> value == null ? falseCondition() : field.le(binds.next(value));
            case LT -> value == null ? falseCondition() : field.lt(binds.next(value));
            default -> throw Failure.invalid("operator " + compare.op() + " does not apply to " + compare.path());
        };
    }

    private static org.jooq.Condition text(Condition.Compare compare, Field<String> field, Params binds) {
        if (compare.value() != null && !(compare.value() instanceof String)) {
            throw Failure.invalid(compare.path() + " is compared with text");
        }
        var value = (String) compare.value();
        return switch (compare.op()) {
            case LIKE -> field.like(binds.next(String.valueOf(value))).escape(ESCAPE);
            case NLIKE -> field.notLike(binds.next(String.valueOf(value))).escape(ESCAPE);
            case STARTS_WITH -> field.like(binds.next(ConditionCompiler.escapeLike(String.valueOf(value)) + "%")).escape(ESCAPE);
            case ENDS_WITH -> field.like(binds.next("%" + ConditionCompiler.escapeLike(String.valueOf(value)))).escape(ESCAPE);
            case CONTAINS -> field.like(binds.next("%" + ConditionCompiler.escapeLike(String.valueOf(value)) + "%")).escape(ESCAPE);
            default -> ordered(compare, field, value, binds);
        };
    }

    private static Instant instant(Condition.Compare compare) {
        return switch (compare.value()) {
            case null -> null;
            case Instant i -> i;
            default -> throw Failure.invalid(compare.path() + " is compared with a date and time");
        };
    }

    private static Long number(Condition.Compare compare) {
        return switch (compare.value()) {
            case null -> null;
            case Long l -> l;
            case Integer i -> i.longValue();
            default -> throw Failure.invalid(compare.path() + " is compared with an integer");
        };
    }

    /** {@code status} sorts by the state (available before downloaded). */
    private static Field<?> sortField(String path) {
        return switch (path) {
            case UPLOAD_DATE -> DELIVERY.UPLOAD_DATE;
            case BUSINESS_TYPE -> DELIVERY.BUSINESS_TYPE;
            case FILE_NAME -> STORED_FILE.NAME;
            case STATUS_FIELD -> STATUS;
            case UID -> DELIVERY.FILE_ID;
            default -> throw Failure.invalid("cannot sort deliveries on " + path);
        };
    }

    // ---- subscriber states

    @Override
    public DeliveryState state(long tenantId, String fileId, long subscriberClientId) {
        return db.sql().select(DELIVERY_STATE.STATE).from(DELIVERY_STATE.T)
                .join(DELIVERY.T).on(DELIVERY.FILE_ID.eq(DELIVERY_STATE.FILE_ID))
                .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY_STATE.FILE_ID.eq(fileId),
                        DELIVERY_STATE.SUBSCRIBER_CLIENT_ID.eq(subscriberClientId))
                .fetchOptional(DELIVERY_STATE.STATE)
                .map(SqlDeliveryRepository::state)
                .orElse(DeliveryState.AVAILABLE);
    }

    /**
     * Raises the delivery's version first, which locks it, so concurrent state changes of one
     * delivery get distinct versions; then the state: update, else insert. The insert writes
     * nothing for a delivery of another tenant, or when a concurrent call inserted first — then the
     * update is tried once more and wins. Returns 0 when the tenant has no such delivery.
     */
    @Override
    public long setState(long tenantId, String fileId, long subscriberClientId, DeliveryState state, Instant when) {
        return db.inTransaction(() -> {
            var raised = db.sql().update(DELIVERY.T).set(DELIVERY.ENTITY_VERSION, DELIVERY.ENTITY_VERSION.plus(1))
                    .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.FILE_ID.eq(fileId)).execute();
            if (raised == 0) {
                return 0L;
            }
            // the tally counts the subscriber's state rows: one more when a row is inserted, one less when deleted
            if (state == DeliveryState.AVAILABLE) {
                // available is the absence of a row (see available())
                if (db.sql().deleteFrom(DELIVERY_STATE.T).where(DELIVERY_STATE.FILE_ID.eq(fileId),
                        DELIVERY_STATE.SUBSCRIBER_CLIENT_ID.eq(subscriberClientId)).execute() > 0) {
                    tally(tenantId, fileId, subscriberClientId, -1);
                }
            } else if (updateState(tenantId, fileId, subscriberClientId, state, when) == 0) {
                if (insertState(tenantId, fileId, subscriberClientId, state, when) > 0) {
                    tally(tenantId, fileId, subscriberClientId, 1);
                } else {
                    updateState(tenantId, fileId, subscriberClientId, state, when);
                }
            }
            return db.sql().select(DELIVERY.ENTITY_VERSION).from(DELIVERY.T)
                    .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.FILE_ID.eq(fileId)).fetchSingle(DELIVERY.ENTITY_VERSION);
        });
    }

    private int updateState(long tenantId, String fileId, long subscriberClientId, DeliveryState state, Instant when) {
        return db.sql().update(DELIVERY_STATE.T)
                .set(DELIVERY_STATE.STATE, state.name())
                .set(DELIVERY_STATE.CHANGED_AT, utc(when))
                .where(DELIVERY_STATE.FILE_ID.eq(fileId), DELIVERY_STATE.SUBSCRIBER_CLIENT_ID.eq(subscriberClientId),
                        DELIVERY_STATE.FILE_ID.in(select(DELIVERY.FILE_ID).from(DELIVERY.T)
                                .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.FILE_ID.eq(fileId))))
                .execute();
    }

    private int insertState(long tenantId, String fileId, long subscriberClientId, DeliveryState state, Instant when) {
        return db.sql().insertInto(DELIVERY_STATE.T, DELIVERY_STATE.FILE_ID, DELIVERY_STATE.SUBSCRIBER_CLIENT_ID,
                        DELIVERY_STATE.STATE, DELIVERY_STATE.CHANGED_AT)
                .select(select(DELIVERY.FILE_ID, val(subscriberClientId), val(state.name()), val(utc(when)))
                        .from(DELIVERY.T)
                        .where(DELIVERY.TENANT_ID.eq(tenantId), DELIVERY.FILE_ID.eq(fileId)))
                .onConflict(DELIVERY_STATE.FILE_ID, DELIVERY_STATE.SUBSCRIBER_CLIENT_ID).doNothing()
                .execute();
    }

    private static DeliveryState state(String stored) {
        return stored == null ? DeliveryState.AVAILABLE : DeliveryState.valueOf(stored);
    }

    // ---- authorizations

    @Override
    public List<DeliveryAuthorization> authorizations(long tenantId, long clientId) {
        return db.sql().select(DELIVERY_AUTHORIZATION.CLIENT_ID, DELIVERY_AUTHORIZATION.TENANT_ID, DELIVERY_AUTHORIZATION.ROLE,
                        DELIVERY_AUTHORIZATION.BUSINESS_TYPE)
                .from(DELIVERY_AUTHORIZATION.T)
                .where(DELIVERY_AUTHORIZATION.TENANT_ID.eq(tenantId), DELIVERY_AUTHORIZATION.CLIENT_ID.eq(clientId))
                .orderBy(DELIVERY_AUTHORIZATION.ROLE, DELIVERY_AUTHORIZATION.BUSINESS_TYPE)
                .fetch(r -> new DeliveryAuthorization(r.value1(), r.value2(), DeliveryRole.valueOf(r.value3()), r.value4()));
    }

    /** Authorizing twice is authorizing once. */
    @Override
    public void authorize(DeliveryAuthorization a) {
        db.sql().insertInto(DELIVERY_AUTHORIZATION.T, DELIVERY_AUTHORIZATION.CLIENT_ID, DELIVERY_AUTHORIZATION.TENANT_ID,
                        DELIVERY_AUTHORIZATION.ROLE, DELIVERY_AUTHORIZATION.BUSINESS_TYPE)
                .values(a.clientId(), a.tenantId(), a.role().name(), a.businessType())
                .onConflict(DELIVERY_AUTHORIZATION.CLIENT_ID, DELIVERY_AUTHORIZATION.TENANT_ID, DELIVERY_AUTHORIZATION.ROLE,
                        DELIVERY_AUTHORIZATION.BUSINESS_TYPE).doNothing()
                .execute();
    }

    @Override
    public boolean revoke(DeliveryAuthorization a) {
        return db.sql().deleteFrom(DELIVERY_AUTHORIZATION.T)
                .where(DELIVERY_AUTHORIZATION.TENANT_ID.eq(a.tenantId()), DELIVERY_AUTHORIZATION.CLIENT_ID.eq(a.clientId()),
                        DELIVERY_AUTHORIZATION.ROLE.eq(a.role().name()), DELIVERY_AUTHORIZATION.BUSINESS_TYPE.eq(a.businessType()))
                .execute() > 0;
    }

    // ---- resumable publications

    /** The ticket's last position and size are not stored: {@link #lockTicket} reads them from the chunks. */
    @Override
    public void insertTicket(UploadTicket ticket) {
        db.sql().insertInto(UPLOAD_TICKET.T)
                .set(UPLOAD_TICKET.TOKEN_HASH, ticket.tokenHash())
                .set(UPLOAD_TICKET.TENANT_ID, ticket.tenantId())
                .set(UPLOAD_TICKET.PUBLISHER_CLIENT_ID, ticket.publisherClientId())
                .set(UPLOAD_TICKET.BUSINESS_TYPE, ticket.businessType())
                .set(UPLOAD_TICKET.FILE_NAME, fit("file name", ticket.fileName(), 255))
                .set(UPLOAD_TICKET.CREATED_AT, utc(ticket.createdAt()))
                .set(UPLOAD_TICKET.EXPIRES_AT, utc(ticket.expiresAt()))
                .execute();
    }

    /** Locks the ticket row, then sums its chunks: an aggregate cannot be selected FOR UPDATE. */
    @Override
    public Optional<UploadTicket> lockTicket(long tenantId, String tokenHash) {
        return db.inTransaction(() -> db.sql()
                .select(UPLOAD_TICKET.TOKEN_HASH, UPLOAD_TICKET.TENANT_ID, UPLOAD_TICKET.PUBLISHER_CLIENT_ID,
                        UPLOAD_TICKET.BUSINESS_TYPE, UPLOAD_TICKET.FILE_NAME, UPLOAD_TICKET.CREATED_AT, UPLOAD_TICKET.EXPIRES_AT,
                        UPLOAD_TICKET.PUBLISHED_FILE_ID, UPLOAD_TICKET.CLOSING_POSITION, UPLOAD_TICKET.CLOSING_SIZE, UPLOAD_TICKET.CLOSING_SHA256)
                .from(UPLOAD_TICKET.T)
                .where(UPLOAD_TICKET.TENANT_ID.eq(tenantId), UPLOAD_TICKET.TOKEN_HASH.eq(tokenHash))
                .forUpdate()
                .fetchOptional()
                .map(r -> {
                    if (r.value8() != null) {
                        return new UploadTicket(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), 0, 0,
                                r.value6().toInstant(), r.value7().toInstant(), new UploadTicket.Closed(r.value8(), r.value9(), r.value10(), r.value11()));
                    }
                    var progress = db.sql().select(max(UPLOAD_CHUNK.POSITION), sum(UPLOAD_CHUNK.SIZE))
                            .from(UPLOAD_CHUNK.T)
                            .where(UPLOAD_CHUNK.TOKEN_HASH.eq(tokenHash))
                            .fetchOne();
                    int nextPosition = progress.value1() == null ? 0 : progress.value1() + 1;
                    long size = progress.value2() == null ? 0 : progress.value2().longValueExact();
                    return new UploadTicket(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), nextPosition, size,
                            r.value6().toInstant(), r.value7().toInstant(), null);
                }));
    }

    /** Adds a chunk and extends the ticket's life; a position received before is a conflict, not a database error. */
    @Override
    public void addChunk(String tokenHash, UploadChunk chunk, Instant expiresAt) {
        db.run(() -> {
            var added = db.sql().insertInto(UPLOAD_CHUNK.T, UPLOAD_CHUNK.TOKEN_HASH, UPLOAD_CHUNK.POSITION, UPLOAD_CHUNK.BLOB_ID,
                            UPLOAD_CHUNK.SIZE, UPLOAD_CHUNK.SHA256)
                    .values(tokenHash, chunk.position(), chunk.blobId(), chunk.size(), chunk.sha256())
                    .onConflict(UPLOAD_CHUNK.TOKEN_HASH, UPLOAD_CHUNK.POSITION).doNothing()
                    .execute();
            if (added == 0) {
                throw Failure.conflict("chunk " + chunk.position() + " was received already");
            }
            db.sql().update(UPLOAD_TICKET.T)
                    .set(UPLOAD_TICKET.EXPIRES_AT, utc(expiresAt))
                    .where(UPLOAD_TICKET.TOKEN_HASH.eq(tokenHash))
                    .execute();
        });
    }

    @Override
    public List<UploadChunk> chunks(String tokenHash) {
        return db.sql().select(UPLOAD_CHUNK.POSITION, UPLOAD_CHUNK.BLOB_ID, UPLOAD_CHUNK.SIZE, UPLOAD_CHUNK.SHA256)
                .from(UPLOAD_CHUNK.T)
                .where(UPLOAD_CHUNK.TOKEN_HASH.eq(tokenHash))
                .orderBy(UPLOAD_CHUNK.POSITION)
                .fetch(r -> new UploadChunk(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    @Override
    public void closeTicket(String tokenHash, UploadTicket.Closed closed) {
        db.run(() -> {
            db.sql().deleteFrom(UPLOAD_CHUNK.T).where(UPLOAD_CHUNK.TOKEN_HASH.eq(tokenHash)).execute();
            db.sql().update(UPLOAD_TICKET.T)
                    .set(UPLOAD_TICKET.PUBLISHED_FILE_ID, closed.fileId())
                    .set(UPLOAD_TICKET.CLOSING_POSITION, closed.position())
                    .set(UPLOAD_TICKET.CLOSING_SIZE, closed.size())
                    .set(UPLOAD_TICKET.CLOSING_SHA256, closed.sha256())
                    .where(UPLOAD_TICKET.TOKEN_HASH.eq(tokenHash))
                    .execute();
        });
    }

    /** A ticket is expired once {@code expires_at} is reached, as {@code DeliveryService} sees it. */
    @Override
    public ExpiredTickets claimExpiredTickets(Instant now, int limit) {
        if (limit <= 0) {
            return new ExpiredTickets(0, List.of());
        }
        return db.inTransaction(() -> {
            var hashes = db.sql().select(UPLOAD_TICKET.TOKEN_HASH).from(UPLOAD_TICKET.T)
                    .where(UPLOAD_TICKET.EXPIRES_AT.le(utc(now)))
                    .orderBy(UPLOAD_TICKET.EXPIRES_AT, UPLOAD_TICKET.TOKEN_HASH)
                    .limit(limit)
                    .forUpdate().skipLocked()
                    .fetch(UPLOAD_TICKET.TOKEN_HASH);
            if (hashes.isEmpty()) {
                return new ExpiredTickets(0, List.of());
            }
            var blobIds = db.sql().select(UPLOAD_CHUNK.BLOB_ID).from(UPLOAD_CHUNK.T)
                    .where(UPLOAD_CHUNK.TOKEN_HASH.in(hashes))
                    .orderBy(UPLOAD_CHUNK.TOKEN_HASH, UPLOAD_CHUNK.POSITION)
                    .fetch(UPLOAD_CHUNK.BLOB_ID);
            db.sql().deleteFrom(UPLOAD_CHUNK.T).where(UPLOAD_CHUNK.TOKEN_HASH.in(hashes)).execute();
            db.sql().deleteFrom(UPLOAD_TICKET.T).where(UPLOAD_TICKET.TOKEN_HASH.in(hashes)).execute();
            return new ExpiredTickets(hashes.size(), blobIds);
        });
    }
}
