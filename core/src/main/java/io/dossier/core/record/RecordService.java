package io.dossier.core.record;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.Caller;
import io.dossier.core.access.RecordFilterRepository;
import io.dossier.core.access.RecordFilters;
import io.dossier.core.paging.ListCounts;
import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.identity.Secrets;
import io.dossier.core.query.Query;
import io.dossier.core.query.QueryCheck;
import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.FieldType;
import io.dossier.core.schema.FieldValues;
import io.dossier.core.schema.OptionList;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lists, reads, adds, updates and deletes declared records. Everything a client sends is checked
 * against the definition here (unknown fields, flags, types, options) before storage sees it, and
 * everything returned is shaped here: nested containers, collections keyed by item key.
 * Values in and out are plain Java: maps, lists, strings, numbers, booleans, dates; a collection
 * field's input is a {@link CollectionEdit}.
 *
 * <p>Every call runs as a {@link Caller}: in its tenant, and through its record filter for the
 * type, which is ANDed into every list and count and checked before every read and write, so a
 * record outside it does not exist for that caller.
 */
public final class RecordService {

    private static final String UID = "uid";
    /** The field that holds a record's status, where its type has one: a change of it is also a status change in the feed. */
    public static final String STATUS = "statusId";

    private final RecordRepository records;
    private final UserOptions users;
    private final UserRecords userRecords;
    private final Transactions transactions;
    private final Clock clock;
    private final ChangeFeed feed;
    private final Schemas schemas;
    private final RecordFilterRepository filters;
    /** A list's count by tenant, type, condition (the caller's filter in it) and language. */
    private final ListCounts<CountKey> counts;

    private record CountKey(String type, Condition condition, String language) {
    }

    /**
     * @param users       a tenant's users as option values: user id → display name
     * @param userRecords the read-only type mirroring user accounts, refreshed before it is read (or null)
     * @param feed        where every add, update and delete is recorded, in its transaction
     * @param schemas     the record types fields may refer to
     * @param filters     clients' record filters, read when a record is deleted to know who may see
     *                    its tombstone (null: no client has a filter, as in tests of records alone)
     * @param countCache  how long a list's count is used again for the same condition in the same
     *                    tenant, until this node commits a write of the tenant (writes of other nodes
     *                    show within this time); zero counts on every list
     */
    public RecordService(RecordRepository records, UserOptions users, UserRecords userRecords,
                         Transactions transactions, Clock clock, ChangeFeed feed, Schemas schemas, RecordFilterRepository filters,
                         Duration countCache) {
        this.counts = new ListCounts<>(feed, countCache);
        this.schemas = schemas;
        this.filters = filters;
        this.records = records;
        this.users = users;
        this.userRecords = userRecords;
        this.transactions = transactions;
        this.clock = clock;
        this.feed = feed;
    }

    /**
     * Runs several reads and writes as one: all of their changes are kept, or none (a form's answers
     * committed together with the record they make).
     */
    public <T> T together(java.util.function.Supplier<T> work) {
        return feed.write(work);
    }

    private void refresh(long tenantId, RecordType type) {
        if (isUserRecords(type)) {
            userRecords.sync(tenantId);
        }
    }

    /** The type mirroring user accounts, written by its refresh without the feed (so its counts are never kept). */
    private boolean isUserRecords(RecordType type) {
        return userRecords != null && userRecords.type().qualifiedName().equals(type.qualifiedName());
    }

    public record ListResult(List<Map<String, Object>> items, Long totalCount) {
    }

    public ListResult list(Caller caller, RecordType type, Query query) {
        long tenantId = caller.tenantId();
        var checked = QueryCheck.check(type, query);
        var filter = filter(caller, type);
        if (filter != null) {
            checked = new Query(checked.condition() == null ? filter : new Condition.And(List.of(checked.condition(), filter)),
                    checked.sort(), checked.fields(), checked.page(), checked.language());
        }
        refresh(tenantId, type);
        // a count this node made within the count cache time, with no write of the tenant committed on
        // this node since, is used again: the page is read alone
        var key = !checked.page().count() || isUserRecords(type) ? null
                : new CountKey(type.qualifiedName(), checked.condition(), checked.language());
        long writesBefore = counts.writes(tenantId);
        var known = key == null ? java.util.OptionalLong.empty() : counts.known(tenantId, key, writesBefore);
        if (known.isPresent()) {
            var p = checked.page();
            checked = new Query(checked.condition(), checked.sort(), checked.fields(), new Page(p.offset(), p.limit(), false), checked.language());
        }
        var page = records.search(tenantId, type, checked);
        Long total = known.isPresent() ? Long.valueOf(known.getAsLong()) : page.total();
        if (key != null && known.isEmpty() && total != null) {
            counts.put(tenantId, key, writesBefore, total);
        }
        var plan = plan(type, checked.fields());
        var items = new ArrayList<Map<String, Object>>(page.rows().size());
        for (var row : page.rows()) {
            items.add(shape(plan, row, true));
        }
        return new ListResult(items, total);
    }

    /** The record's fields ({@code fields} empty: all of them). */
    public Map<String, Object> detail(Caller caller, RecordType type, String uid, Set<String> fields, String language) {
        long tenantId = caller.tenantId();
        var wanted = QueryCheck.fields(type, fields, false);
        refresh(tenantId, type);
        if (filtered(caller, type) && !exists(caller, type, uid)) {
            throw notFound(type, uid);
        }
        var row = records.find(tenantId, type, uid == null ? "" : uid, language, wanted)
                .orElseThrow(() -> notFound(type, uid));
        return shape(plan(type, wanted), row, false);
    }

    /** Whether the record exists for the caller: in its tenant and within its filter. */
    public boolean exists(Caller caller, RecordType type, String uid) {
        if (uid == null) {
            return false;
        }
        var filter = filter(caller, type);
        if (filter == null) {
            return records.exists(caller.tenantId(), type, uid);
        }
        var query = new Query(new Condition.And(List.of(new Condition.Compare(UID, Condition.Op.EQ, uid), filter)), List.of(),
                Set.of(UID), Page.first(1), null);
        return !records.search(caller.tenantId(), type, query).rows().isEmpty();
    }

    /** Whether the caller's record filters limit this type (so reads of its records must check them). */
    public boolean filtered(Caller caller, RecordType type) {
        if (caller.filters().isEmpty()) {
            return false;
        }
        return caller.filters().forType(type.storageName()).isPresent() || relatedType(caller, type) != null;
    }

    /**
     * The caller's filter on the type, checked and typed; null when it has none. A type without a
     * filter of its own that is {@linkplain RecordType#visibleWith visible with} a filtered type
     * gets that filter through the relation.
     */
    private Condition filter(Caller caller, RecordType type) {
        if (caller.filters().isEmpty()) {
            return null;
        }
        var own = caller.filters().forType(type.storageName());
        if (own.isPresent()) {
            return QueryCheck.checkCondition(type, own.get());
        }
        var related = relatedType(caller, type);
        if (related == null) {
            return null;
        }
        var condition = QueryCheck.checkCondition(related, caller.filters().forType(related.storageName()).orElseThrow());
        return new Condition.Related(related, type.visibleWith().field(), type.visibleWith().relatedField(), condition);
    }

    /** The filtered type this one is visible with, for this caller; null when none. */
    private RecordType relatedType(Caller caller, RecordType type) {
        var with = type.visibleWith();
        if (with == null) {
            return null;
        }
        var related = schemas.type(with.type()).orElseThrow(() -> new IllegalStateException(type.qualifiedName()
                + " is visible with " + with.type() + ", which is not defined"));
        return caller.filters().forType(related.storageName()).isPresent() ? related : null;
    }

    /**
     * Adds the record under the uid its source system gave it, or, when it exists, sets the given
     * fields; a collection given replaces the one stored (items not given are deleted). Returns
     * whether it was added. For loading records kept in another system (HR data).
     */
    public boolean upsert(Caller caller, RecordType type, String uid, Map<String, Object> input, String language) {
        return upsert(caller, type, uid, input, language, Map.of());
    }

    /**
     * {@link #upsert}, with translatable fields in further languages as {@link #add} takes them: an
     * added record has them in its one write, a record that exists gets them as updates.
     */
    private boolean upsert(Caller caller, RecordType type, String uid, Map<String, Object> input, String language,
                           Map<String, Map<String, Object>> otherLanguages) {
        sourceUid(type, uid);
        writable(type);
        if (exists(caller, type, uid)) {
            var others = otherTexts(caller, type, language, otherLanguages);
            var replacing = new LinkedHashMap<String, Object>(input);
            var collections = new LinkedHashSet<String>();
            for (var field : type.fields()) {
                if (field.isCollection() && input.get(field.name()) instanceof CollectionEdit) {
                    collections.add(field.path());
                }
            }
            if (!collections.isEmpty()) {
                var stored = detail(caller, type, uid, collections, language);
                for (var path : collections) {
                    var edit = (CollectionEdit) input.get(path);
                    var gone = new LinkedHashSet<String>();
                    if (stored.get(path) instanceof Map<?, ?> items) {
                        items.keySet().forEach(key -> gone.add(String.valueOf(key)));
                    }
                    gone.removeAll(edit.items().keySet());
                    replacing.put(path, new CollectionEdit(edit.items(), gone));
                }
            }
            update(caller, type, uid, replacing, language);
            others.forEach((other, texts) -> update(caller, type, uid, otherLanguages.get(other), other));
            return false;
        }
        var row = newRow(caller, type, uid, input, language, otherLanguages);
        insert(caller, type, uid, row.values(), row.translations(), row.collections());
        return true;
    }

    /** A record to add under {@code uid} ({@link #upsert}), checked against its definition; nothing is written. */
    private RecordRow newRow(Caller caller, RecordType type, String uid, Map<String, Object> input, String language,
                             Map<String, Map<String, Object>> otherLanguages) {
        var values = new LinkedHashMap<String, Object>();
        var translated = new LinkedHashMap<String, Object>();
        var collections = new LinkedHashMap<String, Map<String, Map<String, Object>>>();
        var fields = new LinkedHashMap<String, Object>(input);
        fields.remove(UID);
        flatten(caller, type, type.fields(), fields, "", values, translated, collections, null, Mode.ADD);
        for (var field : type.rowFields()) {
            if (field.flags().obligatory() && values.get(field.path()) == null && translated.get(field.path()) == null
                    && !system(field)) {
                throw Failure.invalid("field " + field.path() + " is obligatory");
            }
        }
        var now = clock.instant();
        type.field("entryDateTime").ifPresent(f -> values.put("entryDateTime", now));
        type.field("lastModified").ifPresent(f -> values.put("lastModified", now));
        var texts = new LinkedHashMap<String, Map<String, Object>>();
        if (!translated.isEmpty()) {
            texts.put(language, translated);
        }
        texts.putAll(otherTexts(caller, type, language, otherLanguages));
        values.put(UID, uid);
        return new RecordRow(uid, values, texts, collections);
    }

    /** A uid given by a source system ({@link #upsert}): 1 to 40 characters. */
    private static void sourceUid(RecordType type, String uid) {
        if (uid == null || uid.isBlank() || uid.length() > 40) {
            throw Failure.invalid("a " + type.name() + " needs a uid of 1 to 40 characters");
        }
    }

    // ---- bulk loads

    /** One write of a bulk load ({@link #writeAll}). */
    public sealed interface BulkWrite {
        RecordType type();

        String uid();
    }

    /**
     * {@link #upsert} of the record {@code uid}; {@code otherLanguages} maps a further language to
     * translatable fields only, as {@link #add} takes them.
     */
    public record Upsert(RecordType type, String uid, Map<String, Object> input, Map<String, Map<String, Object>> otherLanguages)
            implements BulkWrite {
        public Upsert(RecordType type, String uid, Map<String, Object> input) {
            this(type, uid, input, Map.of());
        }
    }

    /** {@link #delete} of the record {@code uid}. */
    public record Delete(RecordType type, String uid) implements BulkWrite {
    }

    /**
     * Applies {@code writes} in their order in one transaction, as {@link #upsert} and {@link #delete}
     * would one after the other, with their changes on the feed in that order; returns, for each
     * write, null when it was applied or the failure that refused it (nothing of it is written, the
     * others are). For loading many records from another system (the HR import).
     *
     * <p>Most of a load adds records: those are checked one by one, then written together, with
     * one lookup of which uids exist and a few statements a table for the lot
     * ({@link RecordRepository#insertAll}). A write that is not such an add (an update of a record
     * that exists, a delete, a second write of a uid, or a write by a caller whose record filter
     * limits the type) first writes the adds before it, then goes the single way. A failure of
     * such a write, or of storage (a uid added meanwhile by another writer: a conflict), rolls the
     * whole transaction back and is thrown: the caller may then apply the writes one at a time to
     * learn which failed.
     */
    public List<Failure> writeAll(Caller caller, List<? extends BulkWrite> writes, String language) {
        long tenantId = caller.tenantId();
        return feed.write(() -> {
            var results = new ArrayList<Failure>(java.util.Collections.nCopies(writes.size(), (Failure) null));
            // by qualified name
            var existing = new HashMap<String, Set<String>>();
            var uidsByType = new LinkedHashMap<String, Set<String>>();
            var types = new HashMap<String, RecordType>();
            for (var write : writes) {
                if (write.uid() != null && !filtered(caller, write.type())) {
                    types.putIfAbsent(write.type().qualifiedName(), write.type());
                    uidsByType.computeIfAbsent(write.type().qualifiedName(), k -> new HashSet<>()).add(write.uid());
                }
            }
            uidsByType.forEach((name, uids) -> existing.put(name, new HashSet<>(records.versions(tenantId, types.get(name), uids).keySet())));
            var adding = new Adding();
            this.adding.set(adding);
            try {
                for (int i = 0; i < writes.size(); i++) {
                    var write = writes.get(i);
                    var type = write.type();
                    var known = existing.get(type.qualifiedName());
                    // what the lookup found is only known for the types it looked at, and until the single way writes a uid
                    boolean absent = known != null && !known.contains(write.uid()) && !adding.has(type, write.uid());
                    try {
                        writable(type);
                        switch (write) {
                            case Upsert upsert -> {
                                sourceUid(type, upsert.uid());
                                if (absent) {
                                    adding.add(type, newRow(caller, type, upsert.uid(), upsert.input(), language, upsert.otherLanguages()));
                                    continue;
                                }
                            }
                            case Delete delete -> {
                                if (delete.uid() == null || absent) {
                                    throw notFound(type, delete.uid());
                                }
                            }
                        }
                    } catch (Failure refused) {
                        // refused before anything of it was written
                        results.set(i, refused);
                        continue;
                    }
                    adding.write(tenantId);
                    switch (write) {
                        case Upsert upsert -> upsert(caller, type, upsert.uid(), upsert.input(), language, upsert.otherLanguages());
                        case Delete delete -> delete(caller, type, delete.uid());
                    }
                    if (known != null) {
                        known.add(write.uid());
                    }
                }
                adding.write(tenantId);
            } finally {
                this.adding.remove();
            }
            return results;
        });
    }

    /** The records {@link #writeAll} has checked and not yet written, on this thread: a reference to one of them is good. */
    private final ThreadLocal<Adding> adding = new ThreadLocal<>();

    /** Checked records waiting to be written together, in the order of their writes. */
    private final class Adding {
        private final Map<String, List<RecordRow>> rows = new LinkedHashMap<>();
        private final Map<String, RecordType> types = new HashMap<>();
        private final Map<String, Set<String>> uids = new HashMap<>();
        private final List<Map.Entry<RecordType, String>> order = new ArrayList<>();

        boolean has(RecordType type, String uid) {
            return uid != null && uids.getOrDefault(type.qualifiedName(), Set.of()).contains(uid);
        }

        void add(RecordType type, RecordRow row) {
            rows.computeIfAbsent(type.qualifiedName(), k -> new ArrayList<>()).add(row);
            types.putIfAbsent(type.qualifiedName(), type);
            uids.computeIfAbsent(type.qualifiedName(), k -> new HashSet<>()).add(row.uid());
            order.add(Map.entry(type, row.uid()));
        }

        /** Inserts the records a table at a time and queues their changes in the order of their writes. */
        void write(long tenantId) {
            if (order.isEmpty()) {
                return;
            }
            rows.forEach((name, ofType) -> records.insertAll(tenantId, types.get(name), ofType));
            for (var added : order) {
                feed.created(tenantId, EntityTypes.record(added.getKey().storageName()), added.getValue(), 1);
            }
            rows.clear();
            uids.clear();
            order.clear();
        }
    }

    /** The current versions of those of {@code uids} that exist in the caller's tenant (filters not applied). */
    public Map<String, Long> versions(Caller caller, RecordType type, java.util.Collection<String> uids) {
        return records.versions(caller.tenantId(), type, uids);
    }

    /** Adds a record; returns its uid. A record with an owner field and none given is owned by {@code actingUserId}. */
    public String add(Caller caller, RecordType type, Map<String, Object> input, String language) {
        return add(caller, type, input, language, Map.of());
    }

    /**
     * Adds a record with its translatable fields in further languages too, in one write (one change
     * instead of an add and an update per language): {@code otherLanguages} maps a language to
     * translatable fields only.
     */
    public String add(Caller caller, RecordType type, Map<String, Object> input, String language,
                      Map<String, Map<String, Object>> otherLanguages) {
        long tenantId = caller.tenantId();
        Long actingUserId = caller.userId().orElse(null);
        writable(type);
        var values = new LinkedHashMap<String, Object>();
        var translated = new LinkedHashMap<String, Object>();
        var collections = new LinkedHashMap<String, Map<String, Map<String, Object>>>();
        flatten(caller, type, type.fields(), input, "", values, translated, collections, null, Mode.ADD);
        var chosen = values.remove(UID);
        for (var field : type.rowFields()) {
            if (field.flags().obligatory() && values.get(field.path()) == null && translated.get(field.path()) == null
                    && !system(field)) {
                throw Failure.invalid("field " + field.path() + " is obligatory");
            }
        }
        var owner = type.field("userId");
        if (owner.isPresent() && OptionList.USERS.equals(owner.get().optionList()) && values.get("userId") == null && actingUserId != null) {
            values.put("userId", actingUserId);
        }
        var now = clock.instant();
        type.field("entryDateTime").ifPresent(f -> values.put("entryDateTime", now));
        type.field("lastModified").ifPresent(f -> values.put("lastModified", now));
        var texts = new LinkedHashMap<String, Map<String, Object>>();
        if (!translated.isEmpty()) {
            texts.put(language, translated);
        }
        texts.putAll(otherTexts(caller, type, language, otherLanguages));
        if (!type.numbered()) {
            return insert(caller, type, Secrets.randomHex(16), values, texts, collections);
        }
        if (chosen != null) {
            return insert(caller, type, numberedUid(type, chosen), values, texts, collections);
        }
        // the next number after the highest; two adds that pick the same one meet at the unique uid, and the later tries again
        for (int attempt = 1; ; attempt++) {
            try {
                return insert(caller, type, Long.toString(records.highestNumberedUid(tenantId, type) + 1), values, texts, collections);
            } catch (Failure failure) {
                if (failure.kind() != Failure.Kind.CONFLICT || attempt == 5) {
                    throw failure;
                }
            }
        }
    }

    /**
     * The translatable fields of further languages ({@link #add}), checked and flattened, by
     * language; a language without any is left out. Refuses anything else, and the write's own language.
     */
    private Map<String, Map<String, Object>> otherTexts(Caller caller, RecordType type, String language,
                                                        Map<String, Map<String, Object>> otherLanguages) {
        var texts = new LinkedHashMap<String, Map<String, Object>>();
        otherLanguages.forEach((other, fields) -> {
            var plain = new LinkedHashMap<String, Object>();
            var text = new LinkedHashMap<String, Object>();
            var items = new LinkedHashMap<String, Map<String, Map<String, Object>>>();
            flatten(caller, type, type.fields(), fields, "", plain, text, items, new HashMap<>(), Mode.UPDATE);
            if (!plain.isEmpty() || !items.isEmpty() || other.equals(language)) {
                throw Failure.invalid("a further language gives translatable fields only, each language once");
            }
            if (!text.isEmpty()) {
                texts.put(other, text);
            }
        });
        return texts;
    }

    private String insert(Caller caller, RecordType type, String uid, Map<String, Object> values, Map<String, Map<String, Object>> texts,
                          Map<String, Map<String, Map<String, Object>>> collections) {
        long tenantId = caller.tenantId();
        values.put(UID, uid);
        var row = new RecordRow(uid, values, texts, collections);
        feed.run(() -> {
            records.insert(tenantId, type, row);
            // a filtered client may only add what it could then see
            if (filtered(caller, type) && !exists(caller, type, uid)) {
                throw Failure.invalid("the " + type.name() + " would be outside what this client may see");
            }
            feed.created(tenantId, EntityTypes.record(type.storageName()), uid, 1);
        });
        return uid;
    }

    /** A uid a client chose for a numbered type: a whole number from 1. */
    private static String numberedUid(RecordType type, Object chosen) {
        var text = String.valueOf(chosen).strip();
        if (!text.matches("[1-9][0-9]{0,17}")) {
            throw Failure.invalid("the uid of a " + type.name() + " is a whole number from 1, got " + chosen);
        }
        return text;
    }

    /** The record's status as text (null when it has none), to tell whether an update changed it. */
    private String status(long tenantId, RecordType type, String uid) {
        return records.find(tenantId, type, uid, null, Set.of(STATUS)).map(row -> row.values().get(STATUS)).map(String::valueOf).orElse(null);
    }

    /** Changes the given fields of a record; fields not given stay as they are. */
    public void update(Caller caller, RecordType type, String uid, Map<String, Object> input, String language) {
        long tenantId = caller.tenantId();
        writable(type);
        if (!exists(caller, type, uid)) {
            throw notFound(type, uid);
        }
        var values = new LinkedHashMap<String, Object>();
        var translated = new LinkedHashMap<String, Object>();
        var collections = new LinkedHashMap<String, Map<String, Map<String, Object>>>();
        var deletes = new HashMap<String, Set<String>>();
        flatten(caller, type, type.fields(), input, "", values, translated, collections, deletes, Mode.UPDATE);
        type.field("lastModified").ifPresent(f -> values.put("lastModified", clock.instant()));
        var changes = new LinkedHashMap<String, RecordChanges.CollectionChanges>();
        var touched = new LinkedHashSet<String>(collections.keySet());
        touched.addAll(deletes.keySet());
        for (var path : touched) {
            changes.put(path, new RecordChanges.CollectionChanges(collections.getOrDefault(path, Map.of()), deletes.getOrDefault(path, Set.of())));
        }
        var recordChanges = new RecordChanges(values, language, translated, changes);
        var statusGiven = type.field(STATUS).isPresent() && values.containsKey(STATUS);
        feed.run(() -> {
            var statusBefore = statusGiven ? status(tenantId, type, uid) : null;
            var version = records.update(tenantId, type, uid, recordChanges).orElseThrow(() -> notFound(type, uid));
            // a filtered client may not move a record out of what it may see
            if (filtered(caller, type) && !exists(caller, type, uid)) {
                throw Failure.invalid("the " + type.name() + " would be outside what this client may see");
            }
            feed.updated(tenantId, EntityTypes.record(type.storageName()), uid, version);
            if (statusGiven && !java.util.Objects.equals(statusBefore, status(tenantId, type, uid))) {
                feed.updated(tenantId, EntityTypes.recordStatus(type.storageName()), uid, version);
            }
        });
    }

    /**
     * Counts one more of something about a record (a vacancy shown on a website) in its integer
     * field {@code path}, which is Dossier's to keep (not updatable by clients). A count is not a
     * change of the record: it raises neither its version nor its last modification, and is not
     * in the change feed. Returns the new count.
     */
    public long increment(Caller caller, RecordType type, String uid, String path) {
        var field = type.field(path).orElseThrow(() -> Failure.invalid("unknown field " + path + " in " + type.qualifiedName()));
        if (field.type() != FieldType.INT || field.flags().updatable() || field.flags().insertable()) {
            throw new IllegalArgumentException(path + " of " + type.qualifiedName() + " is not a counter");
        }
        if (uid == null || !exists(caller, type, uid)) {
            throw notFound(type, uid);
        }
        long count = records.increment(caller.tenantId(), type, uid, path).orElseThrow(() -> notFound(type, uid));
        counts.written(caller.tenantId());   // not in the feed, but a list's count may hang on the counter
        return count;
    }

    public void delete(Caller caller, RecordType type, String uid) {
        writable(type);
        if (uid == null || filtered(caller, type) && !exists(caller, type, uid)) {
            throw notFound(type, uid);
        }
        long tenantId = caller.tenantId();
        feed.run(() -> {
            var audience = tombstoneAudience(tenantId, type, uid);
            var version = records.delete(tenantId, type, uid).orElseThrow(() -> notFound(type, uid));
            var entityType = EntityTypes.record(type.storageName());
            feed.deleted(tenantId, entityType, uid, version);
            if (!audience.isEmpty()) {
                filters.keepAudience(tenantId, entityType, new RecordFilterRepository.Tombstone(uid, version), audience, clock.instant());
            }
        });
    }

    /**
     * The clients with a record filter on the type (or on the type it is visible with) whose filter
     * the record meets now, just before it is deleted: they, and no other filtered client, are
     * shown its tombstone. A filter set after the deletion does not reach back: a client filtered
     * since then is not shown it.
     */
    private Set<Long> tombstoneAudience(long tenantId, RecordType type, String uid) {
        if (filters == null) {
            return Set.of();
        }
        var names = new LinkedHashSet<String>();
        names.add(type.storageName());
        if (type.visibleWith() != null) {
            schemas.type(type.visibleWith().type()).ifPresent(related -> names.add(related.storageName()));
        }
        var audience = new LinkedHashSet<Long>();
        filters.filtersOn(tenantId, names).forEach((client, conditions) -> {
            var asClient = new Caller.AsClient(tenantId, client, "", null, Set.of(), new RecordFilters(conditions));
            if (exists(asClient, type, uid)) {
                audience.add(client);
            }
        });
        return audience;
    }

    /**
     * Which of {@code changes} of records the caller may see; changes of other entities pass. A
     * caller with no record filter sees them all. A filtered caller sees a record's changes while
     * the record meets its filter (as the record is now: a record that left the filter takes its
     * earlier changes with it), and a record's tombstone when its filter held the record as it was
     * deleted ({@link #delete}). Takes one query per filtered record type in {@code changes}.
     */
    public List<Change> visible(Caller caller, List<Change> changes) {
        if (caller.filters().isEmpty() || changes.isEmpty()) {
            return changes;
        }
        var hidden = new HashSet<Change>();
        var byType = new LinkedHashMap<String, List<Change>>();
        for (var change : changes) {
            var storageName = EntityTypes.recordTypeOf(change.entityType());
            if (storageName != null) {
                byType.computeIfAbsent(storageName, k -> new ArrayList<>()).add(change);
            }
        }
        byType.forEach((storageName, ofType) -> {
            var type = schemas.byStorageName(storageName).orElse(null);
            if (type == null || !filtered(caller, type)) {
                return;
            }
            var live = ofType.stream().filter(c -> !c.isTombstone()).map(Change::entityId).collect(Collectors.toSet());
            var existing = live.isEmpty() ? Set.<String>of() : existing(caller, type, live);
            var tombstones = ofType.stream().filter(Change::isTombstone).map(Change::entityId).collect(Collectors.toSet());
            var audience = tombstones.isEmpty() || !(caller instanceof Caller.AsClient client) || filters == null
                    ? Set.<RecordFilterRepository.Tombstone>of()
                    : filters.audience(caller.tenantId(), client.clientId(), EntityTypes.record(storageName), tombstones);
            for (var change : ofType) {
                boolean sees = change.isTombstone()
                        ? audience.contains(new RecordFilterRepository.Tombstone(change.entityId(), change.version()))
                        : existing.contains(change.entityId());
                if (!sees) {
                    hidden.add(change);
                }
            }
        });
        return hidden.isEmpty() ? changes : changes.stream().filter(c -> !hidden.contains(c)).toList();
    }

    /** Those of {@code uids} that exist for the caller, in one query. */
    private Set<String> existing(Caller caller, RecordType type, Set<String> uids) {
        return byUids(caller, type, uids, null, Set.of(UID)).keySet();
    }

    /**
     * uid → fields ({@code fields} empty: all) of those of {@code uids} the caller may see and that
     * meet {@code where} (null: any), in one query.
     */
    public Map<String, Map<String, Object>> byUids(Caller caller, RecordType type, Set<String> uids, Condition where, Set<String> fields) {
        var out = new HashMap<String, Map<String, Object>>();
        if (uids.isEmpty()) {
            return out;
        }
        Condition byUid = new Condition.Or(uids.stream().map(uid -> (Condition) new Condition.Compare(UID, Condition.Op.EQ, uid)).toList());
        var condition = where == null ? byUid : new Condition.And(List.of(byUid, where));
        for (var item : list(caller, type, new Query(condition, List.of(), fields, Page.first(uids.size()), null)).items()) {
            out.put(String.valueOf(item.get(UID)), item);
        }
        return out;
    }

    /** A record's fields as a list shows them (null: not to be shown), with its version as it was read with them. */
    public record Current(long version, Map<String, Object> fields) {
    }

    /** A change of a record and the record's current version and list fields: null when it no longer exists. */
    public record ChangedRecord(io.dossier.core.change.Change change, Current current) {
    }

    /**
     * The changes of {@code type}'s records after {@code (afterTransaction, afterPosition)} that the
     * feed reads (see {@link ChangeFeed#read}), each with its record as it is now, read with it in
     * one statement; for a caller the type's records are not {@linkplain #filtered filtered} for.
     */
    public List<ChangedRecord> changed(Caller caller, RecordType type, long afterTransaction, long afterPosition, Instant changedAfter,
                                       Instant changedUntil, int limit) {
        if (filtered(caller, type)) {
            throw new IllegalArgumentException("the caller's record filters limit " + type.qualifiedName() + ": read versions and fields apart");
        }
        var fields = QueryCheck.fields(type, Set.of(), true);
        refresh(caller.tenantId(), type);
        var plan = plan(type, fields);
        var rows = records.changedRows(caller.tenantId(), type, fields, io.dossier.core.change.EntityTypes.record(type.storageName()),
                afterTransaction, afterPosition, changedAfter, changedUntil, limit);
        var out = new ArrayList<ChangedRecord>(rows.size());
        for (var changed : rows) {
            var row = changed.row();
            out.add(new ChangedRecord(changed.change(), row == null ? null : new Current(row.version(), shape(plan, row, true))));
        }
        return out;
    }

    /** {@code field → {id → label}} for each field that has options. */
    public Map<String, Map<String, String>> optionLists(Caller caller, RecordType type, List<String> fields) {
        long tenantId = caller.tenantId();
        var out = new LinkedHashMap<String, Map<String, String>>();
        for (var path : fields) {
            var field = type.field(path).orElseThrow(() -> Failure.invalid("unknown field " + path + " in " + type.qualifiedName()));
            if (field.optionList() == null) {
                throw Failure.invalid("field " + path + " has no options");
            }
            out.put(path, options(tenantId, type, field));
        }
        return out;
    }

    private Map<String, String> options(long tenantId, RecordType type, FieldDef field) {
        if (OptionList.USERS.equals(field.optionList())) {
            return users.all(tenantId);
        }
        return type.optionLists().get(field.optionList()).values();
    }

    // ---- input

    private enum Mode { ADD, UPDATE }

    private static final java.util.regex.Pattern ITEM_KEY = java.util.regex.Pattern.compile("[0-9A-Za-z_-]{1,20}");

    private void flatten(Caller caller, RecordType type, List<FieldDef> fields, Map<String, Object> input, String prefix,
                         Map<String, Object> values, Map<String, Object> translated,
                         Map<String, Map<String, Map<String, Object>>> collections, Map<String, Set<String>> deletes, Mode mode) {
        for (var entry : input.entrySet()) {
            var field = FieldDef.named(fields, entry.getKey());
            if (field == null) {
                throw Failure.invalid("unknown field " + prefix + entry.getKey() + " in " + type.qualifiedName());
            }
            allowed(field, mode);
            var raw = entry.getValue();
            switch (field.type()) {
                case CONTAINER -> {
                    if (raw == null) {
                        continue;
                    }
                    flatten(caller, type, field.children(), object(field, raw), prefix + field.name() + ".", values, translated,
                            collections, deletes, mode);
                }
                case COLLECTION -> collection(caller, type, field, raw, collections, deletes, mode);
                default -> {
                    var value = scalar(caller, type, field, raw);
                    (field.flags().translatable() ? translated : values).put(field.path(), value);
                }
            }
        }
    }

    private void collection(Caller caller, RecordType type, FieldDef field, Object raw,
                            Map<String, Map<String, Map<String, Object>>> collections, Map<String, Set<String>> deletes, Mode mode) {
        if (raw == null) {
            return;
        }
        if (!(raw instanceof CollectionEdit edit)) {
            throw Failure.invalid("field " + field.path() + " is a collection: give its items by item key");
        }
        var upserts = collections.computeIfAbsent(field.path(), k -> new LinkedHashMap<>());
        for (var item : edit.items().entrySet()) {
            var key = item.getKey();
            if (key == null || !ITEM_KEY.matcher(key).matches()) {
                throw Failure.invalid("item key '" + key + "' of " + field.path() + " must be 1-20 letters or digits");
            }
            var childValues = new LinkedHashMap<String, Object>();
            itemFields(caller, type, field, field.children(), item.getValue() == null ? Map.of() : item.getValue(), "", childValues, mode);
            upserts.put(key, childValues);
        }
        if (!edit.deletions().isEmpty()) {
            if (mode == Mode.ADD || !field.flags().deletable()) {
                throw Failure.invalid("items of " + field.path() + " cannot be deleted" + (mode == Mode.ADD ? " when adding" : ""));
            }
            deletes.computeIfAbsent(field.path(), k -> new LinkedHashSet<>()).addAll(edit.deletions());
        }
    }

    private void itemFields(Caller caller, RecordType type, FieldDef collection, List<FieldDef> fields, Map<String, Object> input,
                            String prefix, Map<String, Object> out, Mode mode) {
        for (var entry : input.entrySet()) {
            var field = FieldDef.named(fields, entry.getKey());
            if (field == null) {
                throw Failure.invalid("unknown field " + collection.path() + "." + prefix + entry.getKey() + " in " + type.qualifiedName());
            }
            allowed(field, mode);
            if (field.isContainer()) {
                itemFields(caller, type, collection, field.children(), object(field, entry.getValue()), prefix + field.name() + ".", out, mode);
            } else if (field.isCollection()) {
                throw Failure.invalid("collections inside collection items are not supported: " + field.path());
            } else {
                out.put(prefix + field.name(), scalar(caller, type, field, entry.getValue()));
            }
        }
    }

    private static void allowed(FieldDef field, Mode mode) {
        if (mode == Mode.ADD && !field.flags().insertable()) {
            throw Failure.invalid("field " + field.path() + " cannot be set when adding");
        }
        if (mode == Mode.UPDATE && !field.flags().updatable()) {
            throw Failure.invalid("field " + field.path() + " cannot be updated");
        }
    }

    private Object scalar(Caller caller, RecordType type, FieldDef field, Object raw) {
        long tenantId = caller.tenantId();
        var value = FieldValues.coerce(field, raw);
        if (field.flags().notEmpty() && (value == null || value instanceof String s && s.isBlank())) {
            throw Failure.invalid("field " + field.path() + " may not be empty");
        }
        if (field.optionList() != null && value != null && !(value instanceof String s && s.isEmpty())) {
            var known = OptionList.USERS.equals(field.optionList()) ? users.has(tenantId, value.toString())
                    : options(tenantId, type, field).containsKey(value.toString());
            if (!known) {
                throw Failure.invalid("value " + value + " is not an option of field " + field.path());
            }
        }
        if (field.refers() != null && value != null) {
            var referred = schemas.type(field.refers()).orElseThrow();
            var pending = adding.get();
            if (!(pending != null && !filtered(caller, referred) && pending.has(referred, value.toString()))
                    && !exists(caller, referred, value.toString())) {
                throw Failure.invalid("field " + field.path() + " refers to no " + referred.name() + " with uid " + value);
            }
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(FieldDef field, Object raw) {
        if (raw instanceof Map<?, ?> map) {
            var out = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        throw Failure.invalid("field " + field.path() + " expects an object, got " + (raw instanceof List<?> ? "a list" : String.valueOf(raw)));
    }

    private static boolean system(FieldDef field) {
        return field.path().equals("uid") || field.path().equals("entryDateTime") || field.path().equals("lastModified");
    }

    private static void writable(RecordType type) {
        if (type.readOnly()) {
            throw Failure.forbidden(type.qualifiedName() + " is read-only");
        }
    }

    private static Failure notFound(RecordType type, String uid) {
        return Failure.notFound("no " + type.name() + " with uid " + uid);
    }

    // ---- output

    /**
     * One asked-for field, looked up once for a whole page rather than once a row: its definition,
     * and for a field of collection items the collection and the path inside an item.
     */
    private record Wanted(String path, FieldDef field, FieldDef collection, String relative) {
    }

    /**
     * The asked-for fields of a page, looked up once. {@code keys}: when every field is a whole
     * top-level field (no path into a container or a collection's items), the keys of the maps
     * {@link #shape} makes, which then share them ({@link SharedKeyMap}); null otherwise.
     */
    private record Plan(List<Wanted> wanted, SharedKeyMap.Keys keys, SharedKeyMap.Lookup lookup) {
    }

    private static Plan plan(RecordType type, Set<String> fields) {
        var out = new ArrayList<Wanted>(fields.size());
        boolean flat = true;
        for (var path : fields) {
            var field = type.field(path).orElseThrow();
            var collection = type.collectionOf(path).orElse(null);
            out.add(new Wanted(field.path(), field, collection, collection == null ? null : path.substring(collection.path().length() + 1)));
            flat &= collection == null && path.indexOf('.') < 0;
        }
        var paths = out.stream().map(Wanted::path).toList();
        return new Plan(out, flat ? new SharedKeyMap.Keys(paths) : null, new SharedKeyMap.Lookup(paths));
    }

    private static Map<String, Object> shape(Plan plan, RecordRow row, boolean list) {
        if (plan.keys() != null) {
            var out = new SharedKeyMap(plan.keys());
            var wanted = plan.wanted();
            for (int i = 0; i < wanted.size(); i++) {
                var field = wanted.get(i).field();
                if (field.isContainer() || field.isCollection()) {
                    out.set(i, value(row, field, list));
                } else {   // a row value: read by its position in the page's rows
                    var value = plan.lookup().get(row.values(), i);
                    out.set(i, value == SharedKeyMap.Lookup.MISSING ? null : value);
                }
            }
            return out;
        }
        var out = LinkedHashMap.<String, Object>newLinkedHashMap(plan.wanted().size());
        for (var wanted : plan.wanted()) {
            var collection = wanted.collection();
            if (collection != null) {
                // a field of collection items: each item keeps its key and gets just the fields asked for
                var items = row.collections().getOrDefault(collection.path(), Map.of());
                var relative = wanted.relative();
                put(out, collection.path(), new LinkedHashMap<String, Object>());
                items.forEach((key, item) -> put(out, collection.path() + "." + key + "." + relative, itemValue(wanted.field(), item, relative)));
            } else {
                put(out, wanted.path(), value(row, wanted.field(), list));
            }
        }
        return out;
    }

    private static Object itemValue(FieldDef field, Map<String, Object> item, String relative) {
        if (!field.isContainer()) {
            return item.get(relative);
        }
        var nested = new LinkedHashMap<String, Object>();
        field.children().forEach(child -> nested.put(child.name(), item.get(relative + "." + child.name())));
        return nested;
    }

    private static Object value(RecordRow row, FieldDef field, boolean list) {
        if (field.isContainer()) {
            var nested = new LinkedHashMap<String, Object>();
            for (var child : field.children()) {
                if (!list || child.flags().listable()) {
                    nested.put(child.name(), value(row, child, list));
                }
            }
            return nested;
        }
        if (field.isCollection()) {
            var items = row.collections().getOrDefault(field.path(), Map.of());
            var out = LinkedHashMap.<String, Object>newLinkedHashMap(items.size());
            items.forEach((key, item) -> out.put(key, item(field, item, list)));
            return out;
        }
        return row.values().get(field.path());
    }

    private static Map<String, Object> item(FieldDef collection, Map<String, Object> values, boolean list) {
        if (sameItem(collection, values, list)) {
            return values;
        }
        var out = LinkedHashMap.<String, Object>newLinkedHashMap(collection.children().size());
        for (var child : collection.children()) {
            if (list && !child.flags().listable()) {
                continue;
            }
            if (child.isContainer()) {
                var nested = new LinkedHashMap<String, Object>();
                for (var grandchild : child.children()) {
                    nested.put(grandchild.name(), values.get(child.name() + "." + grandchild.name()));
                }
                out.put(child.name(), nested);
            } else {
                out.put(child.name(), values.get(child.name()));
            }
        }
        return out;
    }

    /**
     * Whether an item as storage read it is already what {@link #item} would make of it: its keys
     * are the collection's children, all flat and shown, in their order. Then it is handed on as it
     * is instead of copied (a page of a walk has thousands of items).
     */
    private static boolean sameItem(FieldDef collection, Map<String, Object> values, boolean list) {
        var children = collection.children();
        if (values.size() != children.size() || !(values instanceof LinkedHashMap<String, Object> || values instanceof SharedKeyMap)) {
            return false;
        }
        var keys = values.keySet().iterator();
        for (var child : children) {
            if (child.isContainer() || list && !child.flags().listable() || !child.name().equals(keys.next())) {
                return false;
            }
        }
        return true;
    }

    /** Puts {@code value} at dotted {@code path}, merging with containers already there. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> out, String path, Object value) {
        var dot = path.indexOf('.');
        if (dot < 0) {
            if (value instanceof Map<?, ?> map && out.get(path) instanceof Map<?, ?> existing) {
                ((Map<String, Object>) existing).putAll((Map<String, Object>) map);
            } else {
                out.put(path, value);
            }
            return;
        }
        var head = path.substring(0, dot);
        var nested = (Map<String, Object>) out.computeIfAbsent(head, k -> new LinkedHashMap<String, Object>());
        put(nested, path.substring(dot + 1), value);
    }

    /** Fields of a record type as a flat list, for callers that show definitions. */
    public static List<FieldDef> allFields(RecordType type) {
        var out = new ArrayList<FieldDef>();
        addAll(type.fields(), out);
        return out;
    }

    private static void addAll(List<FieldDef> fields, List<FieldDef> out) {
        for (var field : fields) {
            out.add(field);
            addAll(field.children(), out);
        }
    }
}
