package io.dossier.store.sql;

import static io.dossier.store.sql.ConditionCompiler.ITEM;
import static io.dossier.store.sql.ConditionCompiler.ROW;
import static io.dossier.store.sql.ConditionCompiler.TEXT;
import static org.jooq.impl.DSL.name;

import io.dossier.core.Failure;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordChanges;
import io.dossier.core.record.RecordRepository;
import io.dossier.core.record.RecordRow;
import io.dossier.core.record.RowPage;
import io.dossier.core.record.SharedKeyMap;
import io.dossier.core.schema.RecordType;
import io.dossier.store.sql.RecordTables.CollectionTable;
import io.dossier.store.sql.RecordTables.Column;
import io.dossier.store.sql.RecordTables.Location;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/**
 * Declared records in SQL, one schema for H2 and PostgreSQL, derived from the definitions by
 * {@link RecordTables} and created at startup by {@link #prepare}. Every statement is scoped by
 * {@code tenant_id}; every value is a bound parameter.
 */
public final class SqlRecordRepository implements RecordRepository {

    private static final Field<Long> ID = DSL.field(RecordTables.ID, Long.class);
    private static final Field<Long> TENANT_ID = DSL.field(RecordTables.TENANT_ID, Long.class);
    private static final Field<String> UID = DSL.field(RecordTables.UID, String.class);
    private static final Field<Long> RECORD_ID = DSL.field(RecordTables.RECORD_ID, Long.class);
    private static final Field<String> LANG = DSL.field(RecordTables.LANG, String.class);
    private static final Field<String> ITEM_KEY = DSL.field(RecordTables.ITEM_KEY, String.class);
    private static final Field<Long> ENTITY_VERSION = DSL.field(RecordTables.ENTITY_VERSION, Long.class);

    private static final Field<Long> R_ID = DSL.field(name(ROW, "id"), Long.class);
    private static final Field<Long> R_TENANT_ID = DSL.field(name(ROW, "tenant_id"), Long.class);
    private static final Field<String> R_UID = DSL.field(name(ROW, "uid"), String.class);
    private static final Field<Long> R_ENTITY_VERSION = DSL.field(name(ROW, "entity_version"), Long.class);
    private static final Field<Long> T_RECORD_ID = DSL.field(name(TEXT, "record_id"), Long.class);
    private static final Field<Long> T_TENANT_ID = DSL.field(name(TEXT, "tenant_id"), Long.class);
    private static final Field<String> T_LANG = DSL.field(name(TEXT, "lang"), String.class);
    private static final Field<Long> C_RECORD_ID = DSL.field(name(ITEM, "record_id"), Long.class);
    private static final Field<Long> C_TENANT_ID = DSL.field(name(ITEM, "tenant_id"), Long.class);
    private static final Field<String> C_ITEM_KEY = DSL.field(name(ITEM, "item_key"), String.class);

    private static final int PREPARE_ATTEMPTS = 3;
    private static final String FINGERPRINT_PART = "record-tables";

    private final Database db;
    private final Map<RecordType, RecordTables> tables = new ConcurrentHashMap<>();
    /** H2: table → the columns of its full-text index, for the types {@link #prepare} was given. */
    private Map<String, String> fullText = Map.of();
    /** H2: the tables whose full-text index is not built yet; searches there check every row. */
    private volatile Set<String> withoutFullText = Set.of();

    public SqlRecordRepository(Database db) {
        this.db = db;
    }

    private RecordTables tables(RecordType type) {
        return tables.computeIfAbsent(type, RecordTables::of);
    }

    // ---- schema

    @Override
    public void prepare(List<RecordType> types) {
        prepare(types, false);
    }

    /**
     * Creates what the tables of {@code types} lack. On H2 it also builds their full-text indexes
     * when they are missing or not known to be whole, unless {@code fullTextLater}: then
     * {@link #buildFullText} does, and until it has, searches check every row of those tables.
     */
    public void prepare(List<RecordType> types, boolean fullTextLater) {
        createTables(types);
        if (db.dialect().family() != SQLDialect.H2) {
            return;
        }
        var wanted = new java.util.TreeMap<String, String>();
        for (var type : types) {
            tables(type).searchableByTable().forEach((table, columns) ->
                    wanted.put(table, columns.stream().map(RecordTables.Column::name).collect(java.util.stream.Collectors.joining(","))));
        }
        fullText = wanted;
        var due = H2FullText.due(db, wanted);
        if (due.isEmpty()) {
            return;
        }
        withoutFullText = Set.copyOf(due);
        if (!fullTextLater) {
            buildFullText();
        }
    }

    /**
     * H2: builds the full-text indexes {@link #prepare} left, a table in each transaction (writers
     * wait for it, as for any writer on H2); from then on searches on that table use its index.
     */
    public synchronized void buildFullText() {
        if (withoutFullText.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        int built = 0;
        // recorded first: a build cut off by a crash is done again, whole, by the next start
        H2FullText.record(db, H2FullText.BUILDING);
        db.run(() -> H2FullText.init(db.sql()));
        var had = H2FullText.existing(db.sql());
        for (var entry : fullText.entrySet()) {
            if (withoutFullText.contains(entry.getKey())) {
                db.run(() -> H2FullText.build(db.sql(), entry.getKey(), entry.getValue(), had.containsKey(entry.getKey())));
                var left = new HashSet<>(withoutFullText);
                left.remove(entry.getKey());
                withoutFullText = Set.copyOf(left);
                built++;
            }
        }
        H2FullText.record(db, H2FullText.BUILT);
        org.slf4j.LoggerFactory.getLogger(SqlRecordRepository.class).info("full-text indexes of {} tables built in {} ms", built,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void createTables(List<RecordType> types) {
        var owners = new HashMap<String, String>();
        for (var type : types) {
            for (var table : tables(type).tableNames()) {
                var owner = owners.putIfAbsent(table, type.qualifiedName());
                if (owner != null) {
                    throw new IllegalArgumentException("record types " + owner + " and " + type.qualifiedName() + " both need table " + table);
                }
            }
        }
        // Reading what exists (the catalog) is most of a restart's database work; when the tables
        // these types make are the ones the last start made, there is nothing to read or create.
        var digest = SchemaFingerprints.digest();
        for (var type : types) {
            for (var query : tables(type).missing(db.sql(), RecordTables.NOTHING)) {
                SchemaFingerprints.add(digest, query.getSQL(org.jooq.conf.ParamType.INLINED));
            }
        }
        var fingerprint = SchemaFingerprints.hex(digest);
        if (fingerprint.equals(SchemaFingerprints.recorded(db.dataSource(), FINGERPRINT_PART))) {
            return;
        }
        // Nodes starting together may race to create the same table; the loser sees it on a retry.
        for (int attempt = 1; ; attempt++) {
            try {
                db.run(() -> {
                    var existing = new RecordTables.Existing(existingColumns(db.sql()), existingIndexes(db.sql(), db.dialect()));
                    for (var type : types) {
                        for (var query : tables(type).missing(db.sql(), existing)) {
                            query.execute();
                        }
                    }
                });
                if (db.dialect().family() == SQLDialect.H2) {
                    H2TenantColumns.markFew(db.dataSource());
                }
                SchemaFingerprints.record(db.dataSource(), FINGERPRINT_PART, fingerprint);
                return;
            } catch (DataAccessException | Failure e) {
                // a table another node created meanwhile, or a lock wait on its DDL that ran out (Database#busy)
                if (attempt == PREPARE_ATTEMPTS || e instanceof Failure f && f.kind() != Failure.Kind.UNAVAILABLE) {
                    throw e;
                }
            }
        }
    }

    /** Table → columns of the current schema, as the database reports them (lower case on H2 and PostgreSQL). */
    private static Map<String, Set<String>> existingColumns(DSLContext sql) {
        var tableName = DSL.field(name("table_name"), String.class);
        var columnName = DSL.field(name("column_name"), String.class);
        var out = new HashMap<String, Set<String>>();
        sql.select(tableName, columnName)
                .from(DSL.table(name("information_schema", "columns")))
                .where(DSL.field(name("table_schema"), String.class).eq(DSL.currentSchema()))
                .and(tableName.like("rec\\_%").escape('\\'))
                .forEach(r -> out.computeIfAbsent(r.value1(), k -> new HashSet<>()).add(r.value2()));
        return out;
    }

    /** Index names of the current schema: the catalogs differ, so this is the one place that asks each its own way. */
    private static Set<String> existingIndexes(DSLContext sql, SQLDialect dialect) {
        var query = dialect.family() == SQLDialect.POSTGRES
                ? sql.select(DSL.field(name("indexname"), String.class)).from(DSL.table(name("pg_catalog", "pg_indexes")))
                        .where(DSL.field(name("schemaname"), String.class).eq(DSL.currentSchema()))
                : sql.select(DSL.field(name("index_name"), String.class)).from(DSL.table(name("information_schema", "indexes")))
                        .where(DSL.field(name("table_schema"), String.class).eq(DSL.currentSchema()));
        return new HashSet<>(query.fetch(0, String.class));
    }

    // ---- writes

    @Override
    public void insert(long tenantId, RecordType type, RecordRow row) {
        var t = tables(type);
        db.run(() -> {
            var values = mainRow(t, tenantId, row);
            long id;
            try {
                id = db.sql().insertInto(t.mainTable()).set(values).returningResult(ID).fetchOne().value1();
            } catch (IntegrityConstraintViolationException e) {
                throw Failure.conflict("a " + type.name() + " with uid " + row.uid() + " exists");
            }
            for (var language : row.translations().entrySet()) {
                insertText(t, tenantId, id, language.getKey(), language.getValue());
            }
            for (var collection : row.collections().entrySet()) {
                var table = collection(t, collection.getKey());
                for (var item : collection.getValue().entrySet()) {
                    insertItem(table, tenantId, id, item.getKey(), item.getValue());
                }
            }
        });
    }

    /** The record table's row of a record: tenant, uid and its non-translatable fields. */
    private static Map<Field<?>, Object> mainRow(RecordTables t, long tenantId, RecordRow row) {
        var values = new LinkedHashMap<Field<?>, Object>();
        values.put(TENANT_ID, tenantId);
        values.put(UID, row.uid());
        for (var entry : row.values().entrySet()) {
            if (!entry.getKey().equals(RecordTables.UID_FIELD)) {
                var column = rowColumn(t, entry.getKey());
                values.put(column.plain(), RecordTables.toDb(column, entry.getValue()));
            }
        }
        return values;
    }

    /** Values bound by one multi-row insert at most (PostgreSQL binds at most 65,535 in a statement). */
    private static final int MAX_BINDS = 30_000;

    /**
     * The rows, then their translations and the items of each collection, a table at a time: a few
     * statements for a batch instead of several a record. On PostgreSQL the rows get their ids from
     * the table's sequence first (one query) and go in with {@code COPY} ({@link PgCopy}); on H2 in
     * multi-row inserts, their ids returned by uid. The values are typed and checked as
     * {@link #insert} does.
     */
    @Override
    public void insertAll(long tenantId, RecordType type, List<RecordRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        var t = tables(type);
        boolean postgres = db.dialect().family() == SQLDialect.POSTGRES;
        db.run(() -> {
            var main = new Layout(postgres ? List.of(ID, TENANT_ID, UID) : List.of(TENANT_ID, UID), t.rowColumns(), "row field of " + t.main());
            var mains = new ArrayList<Object[]>(rows.size());
            for (var row : rows) {
                var values = main.row(row.values(), RecordTables.UID_FIELD);
                values[main.fixed - 2] = tenantId;
                values[main.fixed - 1] = row.uid();
                mains.add(values);
            }
            var ids = new HashMap<String, Long>();
            try {
                if (postgres) {
                    var fresh = newIds(t.main(), rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        mains.get(i)[0] = fresh.get(i);
                        ids.put(rows.get(i).uid(), fresh.get(i));
                    }
                    PgCopy.copy(db.sql(), t.main(), main.fields(), mains);
                } else {
                    insertRows(t.mainTable(), main.fields(), mains, insert -> insert.returningResult(UID, ID).fetch()
                            .forEach(r -> ids.put(r.value1(), r.value2())));
                }
            } catch (IntegrityConstraintViolationException e) {
                throw Failure.conflict("a " + type.name() + " with one of these " + rows.size() + " uids exists");
            }
            if (ids.size() != rows.size()) {
                throw new IllegalStateException("inserted " + rows.size() + " rows of " + t.main() + ", got " + ids.size() + " ids");
            }
            if (postgres && !t.collections().isEmpty() && believedEmpty(t.main())) {
                // The items' foreign-key checks look the rows up by id. PostgreSQL plans such a check once a
                // connection and keeps the plan: made while its statistics say the table is empty (before a
                // first load), it is a sequential scan, and every later check of that connection read the whole
                // growing table (5,000 scans a chunk of the HR import). Statistics of the rows now there make
                // it (and every connection's) plan again, with the index.
                db.sql().execute("ANALYZE " + DSL.name(t.main()));
            }
            var text = t.hasText() ? new Layout(List.of(RECORD_ID, TENANT_ID, LANG), t.textColumns(), "translatable field of " + t.main())
                    : null;
            var texts = new ArrayList<Object[]>();
            var layouts = new LinkedHashMap<String, Layout>();
            var items = new LinkedHashMap<String, List<Object[]>>();
            for (var row : rows) {
                long id = ids.get(row.uid());
                for (var language : row.translations().entrySet()) {
                    if (text == null) {
                        throw new IllegalArgumentException(t.main() + " has no translatable fields");
                    }
                    var values = text.row(language.getValue(), null);
                    values[0] = id;
                    values[1] = tenantId;
                    values[2] = language.getKey();
                    texts.add(values);
                }
                for (var collection : row.collections().entrySet()) {
                    var table = collection(t, collection.getKey());
                    var layout = layouts.computeIfAbsent(table.name(), k -> new Layout(List.of(RECORD_ID, TENANT_ID, ITEM_KEY), table.columns(),
                            "field of collection " + table.path()));
                    var ofTable = items.computeIfAbsent(table.name(), k -> new ArrayList<>());
                    for (var item : collection.getValue().entrySet()) {
                        var values = layout.row(item.getValue(), null);
                        values[0] = id;
                        values[1] = tenantId;
                        values[2] = item.getKey();
                        ofTable.add(values);
                    }
                }
            }
            if (!texts.isEmpty()) {
                addRows(t.textName(), text.fields(), texts, postgres);
            }
            items.forEach((name, ofTable) -> addRows(name, layouts.get(name).fields(), ofTable, postgres));
        });
    }

    /** {@code count} new ids from the sequence of {@code table}'s id column (PostgreSQL). */
    private List<Long> newIds(String table, int count) {
        return db.sql().select(DSL.field("nextval(pg_get_serial_sequence({0}, {1}))", Long.class, DSL.val(table), DSL.val(ID.getName())))
                .from(DSL.table("generate_series(1, {0})", DSL.val(count))).fetch(0, Long.class);
    }

    /** Adds {@code rows} (values in the order of {@code fields}) to the table: COPY on PostgreSQL, else multi-row inserts. */
    private void addRows(String table, List<Field<?>> fields, List<Object[]> rows, boolean postgres) {
        if (postgres) {
            PgCopy.copy(db.sql(), table, fields, rows);
        } else if (!rows.isEmpty()) {
            insertRows(DSL.table(name(table)), fields, rows, org.jooq.Query::execute);
        }
    }

    /** PostgreSQL: whether the table's statistics say it holds no rows (or it was never analyzed). */
    private boolean believedEmpty(String table) {
        var tuples = db.sql().select(DSL.field(name("reltuples"), Double.class)).from(DSL.table(name("pg_catalog", "pg_class")))
                .where(DSL.field(name("oid")).eq(DSL.field("to_regclass({0})", Object.class, DSL.val(table)))).fetchOne(0, Double.class);
        return tuples != null && tuples <= 0;
    }

    /**
     * The columns of a multi-row insert: some fixed ones first, then every typed column of the table
     * (null where a row gives no value, as a single-row insert that leaves it out makes it: record
     * columns have no defaults).
     */
    private static final class Layout {
        private final List<Field<?>> fields = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();
        private final List<Column> columns;
        private final int fixed;
        private final String what;

        Layout(List<Field<?>> fixed, Map<String, Column> columns, String what) {
            this.fixed = fixed.size();
            this.columns = List.copyOf(columns.values());
            this.what = what;
            fields.addAll(fixed);
            for (var column : this.columns) {
                index.put(column.path(), fields.size());
                fields.add(column.plain());
            }
        }

        List<Field<?>> fields() {
            return fields;
        }

        /** A row's values in column order, the fixed ones left to the caller; {@code skip}: a path not stored here (the uid). */
        Object[] row(Map<String, Object> values, String skip) {
            var out = new Object[fields.size()];
            for (var entry : values.entrySet()) {
                var at = index.get(entry.getKey());
                if (at == null) {
                    if (entry.getKey().equals(skip)) {
                        continue;
                    }
                    throw new IllegalArgumentException(entry.getKey() + " is no " + what);
                }
                out[at] = RecordTables.toDb(columns.get(at - fixed), entry.getValue());
            }
            return out;
        }
    }

    /** Inserts {@code rows} (values in the order of {@code fields}) with multi-row statements of at most {@link #MAX_BINDS} values, each given to {@code run}. */
    private void insertRows(Table<?> table, List<Field<?>> fields, List<Object[]> rows,
                            java.util.function.Consumer<org.jooq.InsertValuesStepN<Record>> run) {
        @SuppressWarnings("unchecked")
        var into = (Table<Record>) table;
        int perStatement = Math.max(1, MAX_BINDS / fields.size());
        for (int from = 0; from < rows.size(); from += perStatement) {
            var insert = db.sql().insertInto(into, fields);
            for (var row : rows.subList(from, Math.min(rows.size(), from + perStatement))) {
                insert = insert.values(row);
            }
            run.accept(insert);
        }
    }

    /** Raising the version first locks the record, so concurrent updates get distinct versions. */
    @Override
    public OptionalLong update(long tenantId, RecordType type, String uid, RecordChanges changes) {
        var t = tables(type);
        return db.inTransaction(() -> {
            var found = idOf(t, tenantId, uid);
            if (found.isEmpty()) {
                return OptionalLong.empty();
            }
            long id = found.get();
            var values = new LinkedHashMap<Field<?>, Object>();
            for (var entry : changes.values().entrySet()) {
                if (entry.getKey().equals(RecordTables.UID_FIELD)) {
                    throw new IllegalArgumentException("the uid of a record does not change");
                }
                var column = rowColumn(t, entry.getKey());
                values.put(column.plain(), RecordTables.toDb(column, entry.getValue()));
            }
            values.put(ENTITY_VERSION, ENTITY_VERSION.plus(1));
            if (db.sql().update(t.mainTable()).set(values).where(ID.eq(id), TENANT_ID.eq(tenantId)).execute() == 0) {
                // deleted by another transaction after it was found (read committed): gone, as if not found
                return OptionalLong.empty();
            }
            // the update holds the row's lock now, so it cannot go before this transaction ends
            long version = db.sql().select(ENTITY_VERSION).from(t.mainTable()).where(ID.eq(id), TENANT_ID.eq(tenantId))
                    .fetchSingle(ENTITY_VERSION);
            if (changes.translated() != null && !changes.translated().isEmpty()) {
                if (changes.language() == null) {
                    throw new IllegalArgumentException("translated values need a language");
                }
                upsertText(t, tenantId, id, changes.language(), changes.translated());
            }
            if (changes.collections() != null) {
                for (var entry : changes.collections().entrySet()) {
                    var table = collection(t, entry.getKey());
                    var collectionChanges = entry.getValue();
                    if (!collectionChanges.deletes().isEmpty()) {
                        db.sql().deleteFrom(table.table())
                                .where(RECORD_ID.eq(id), TENANT_ID.eq(tenantId), ITEM_KEY.in(collectionChanges.deletes()))
                                .execute();
                    }
                    for (var item : collectionChanges.upserts().entrySet()) {
                        upsertItem(table, tenantId, id, item.getKey(), item.getValue());
                    }
                }
            }
            return OptionalLong.of(version);
        });
    }

    /** Locks the record first, so the version it reports is the one it had when it went. */
    @Override
    public OptionalLong delete(long tenantId, RecordType type, String uid) {
        var t = tables(type);
        return db.inTransaction(() -> {
            var found = db.sql().select(ID, ENTITY_VERSION).from(t.mainTable()).where(TENANT_ID.eq(tenantId), UID.eq(uid))
                    .forUpdate().fetchOptional();
            if (found.isEmpty()) {
                return OptionalLong.empty();
            }
            long id = found.get().value1();
            long version = found.get().value2();
            for (var table : t.collections().values()) {
                db.sql().deleteFrom(table.table()).where(RECORD_ID.eq(id), TENANT_ID.eq(tenantId)).execute();
            }
            if (t.hasText()) {
                db.sql().deleteFrom(t.textTable()).where(RECORD_ID.eq(id), TENANT_ID.eq(tenantId)).execute();
            }
            return db.sql().deleteFrom(t.mainTable()).where(ID.eq(id), TENANT_ID.eq(tenantId)).execute() == 1
                    ? OptionalLong.of(version) : OptionalLong.empty();
        });
    }

    private Optional<Long> idOf(RecordTables t, long tenantId, String uid) {
        return db.sql().select(ID).from(t.mainTable()).where(TENANT_ID.eq(tenantId), UID.eq(uid)).fetchOptional(ID);
    }

    private void insertText(RecordTables t, long tenantId, long id, String language, Map<String, Object> translated) {
        db.sql().insertInto(t.textTable()).set(textRow(t, tenantId, id, language, translated)).execute();
    }

    /** The row of a record's translatable fields in one language. */
    private static Map<Field<?>, Object> textRow(RecordTables t, long tenantId, long id, String language, Map<String, Object> translated) {
        var values = new LinkedHashMap<Field<?>, Object>();
        values.put(RECORD_ID, id);
        values.put(TENANT_ID, tenantId);
        values.put(LANG, language);
        values.putAll(textValues(t, translated));
        return values;
    }

    private void upsertText(RecordTables t, long tenantId, long id, String language, Map<String, Object> translated) {
        var updated = db.sql().update(t.textTable()).set(textValues(t, translated))
                .where(RECORD_ID.eq(id), TENANT_ID.eq(tenantId), LANG.eq(language))
                .execute();
        if (updated == 0) {
            insertText(t, tenantId, id, language, translated);
        }
    }

    private static Map<Field<?>, Object> textValues(RecordTables t, Map<String, Object> translated) {
        return columnValues(t.textColumns(), translated, "translatable field of " + t.main());
    }

    /** Typed database values for {@code values} (by field path), each of which must be one of {@code columns}. */
    private static Map<Field<?>, Object> columnValues(Map<String, RecordTables.Column> columns, Map<String, Object> values, String what) {
        var out = new LinkedHashMap<Field<?>, Object>();
        for (var entry : values.entrySet()) {
            var column = columns.get(entry.getKey());
            if (column == null) {
                throw new IllegalArgumentException(entry.getKey() + " is no " + what);
            }
            out.put(column.plain(), RecordTables.toDb(column, entry.getValue()));
        }
        return out;
    }

    private void insertItem(CollectionTable table, long tenantId, long id, String key, Map<String, Object> children) {
        db.sql().insertInto(table.table()).set(itemRow(table, tenantId, id, key, children)).execute();
    }

    /** The row of a collection item. */
    private static Map<Field<?>, Object> itemRow(CollectionTable table, long tenantId, long id, String key, Map<String, Object> children) {
        var values = new LinkedHashMap<Field<?>, Object>();
        values.put(RECORD_ID, id);
        values.put(TENANT_ID, tenantId);
        values.put(ITEM_KEY, key);
        values.putAll(itemValues(table, children));
        return values;
    }

    private void upsertItem(CollectionTable table, long tenantId, long id, String key, Map<String, Object> children) {
        var values = itemValues(table, children);
        var where = DSL.and(RECORD_ID.eq(id), TENANT_ID.eq(tenantId), ITEM_KEY.eq(key));
        var present = values.isEmpty()
                ? db.sql().fetchExists(DSL.selectOne().from(table.table()).where(where))
                : db.sql().update(table.table()).set(values).where(where).execute() > 0;
        if (!present) {
            insertItem(table, tenantId, id, key, children);
        }
    }

    private static Map<Field<?>, Object> itemValues(CollectionTable table, Map<String, Object> children) {
        return columnValues(table.columns(), children, "field of collection " + table.path());
    }

    private static Column rowColumn(RecordTables t, String path) {
        var column = t.rowColumns().get(path);
        if (column == null) {
            throw new IllegalArgumentException(t.textColumns().containsKey(path)
                    ? path + " is translatable: it is written per language"
                    : path + " is no row field of " + t.main());
        }
        return column;
    }

    private static CollectionTable collection(RecordTables t, String path) {
        var table = t.collections().get(path);
        if (table == null) {
            throw new IllegalArgumentException(path + " is no collection of " + t.main());
        }
        return table;
    }

    // ---- reads

    /**
     * Numbered types are short lists (document types, statuses, websites): their uids are read and
     * compared as numbers here, the same on H2 and PostgreSQL; a uid that is not a number (a record
     * from before its type was numbered) is skipped.
     */
    @Override
    public long highestNumberedUid(long tenantId, RecordType type) {
        var t = tables(type);
        long highest = 0;
        for (var uid : db.sql().select(UID).from(t.mainTable()).where(TENANT_ID.eq(tenantId)).fetch(UID)) {
            if (uid != null && uid.matches("[0-9]{1,18}")) {
                highest = Math.max(highest, Long.parseLong(uid));
            }
        }
        return highest;
    }

    @Override
    public Map<String, Long> versions(long tenantId, RecordType type, Collection<String> uids) {
        var out = new HashMap<String, Long>();
        if (uids.isEmpty()) {
            return out;
        }
        var t = tables(type);
        db.sql().select(UID, ENTITY_VERSION).from(t.mainTable()).where(TENANT_ID.eq(tenantId), RecordTables.oneOf(UID, uids, String[]::new, db.dialect()))
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    @Override
    public boolean exists(long tenantId, RecordType type, String uid) {
        var t = tables(type);
        var found = new boolean[1];
        db.read(Database.Plan.REUSED, List.of("record exists", t.mainTable().getName()),
                () -> db.sql().select(DSL.field(DSL.exists(DSL.selectOne().from(t.mainTable()).where(TENANT_ID.eq(tenantId), UID.eq(uid))))),
                new Object[] {tenantId, uid}, "finding a record", rs -> found[0] = rs.next() && rs.getBoolean(1));
        return found[0];
    }

    @Override
    public Optional<RecordRow> find(long tenantId, RecordType type, String uid, String language, Set<String> fields) {
        if (uid == null) {
            return Optional.empty();
        }
        var t = tables(type);
        var select = new ArrayList<SelectFieldOrAsterisk>();
        var columns = selectRows(t, null, select);
        var keys = rowKeys(columns);
        var ids = new ArrayList<Long>(1);
        var rows = new ArrayList<RecordRow>(1);
        // rendered once per type and read over plain JDBC: a record's detail is read on every OWS
        // getDetail and every attachment's document-type check, where rendering it through jOOQ
        // cost more than the statement
        var binds = Map.<String, Object>of("tenant", tenantId, "uid", uid, "language", language == null ? "" : language);
        db.read(Database.Plan.REUSED, List.of("record by uid", t.main()), () -> {
            var tenant = DSL.param("tenant", Long.class);
            var from = t.hasText() ? withText(t, tenant, DSL.param("language", String.class)) : t.mainTable().as(ROW);
            return db.sql().select(select).from(from).where(R_TENANT_ID.eq(tenant), R_UID.eq(DSL.param("uid", String.class)));
        }, binds, "reading " + t.main(), rs -> {
            if (rs.next()) {
                ids.add(rs.getLong(1));
                rows.add(row(rs, 2, columns, keys, t.collections().size()));
            }
        });
        loadCollections(t, tenantId, fields, ids, rows);
        return rows.stream().findFirst();
    }

    @Override
    public RowPage search(long tenantId, RecordType type, Query query) {
        var t = tables(type);
        var params = new Params();
        var tenant = params.named("tenant", tenantId);
        var compiler = new ConditionCompiler(t, ROW, tenant, params, FullTextSql.of(db.sql(), withoutFullText), this::tables, db.dialect());
        var condition = compiler.compile(query.condition());
        var order = new ArrayList<SortField<?>>();
        for (var key : query.sort()) {
            order.add(key.isRelevance() ? compiler.relevance().desc() : sortField(t, tenant, key));
        }
        // everything but the values decides the text of the statements below (ConditionCompiler#shapeOf),
        // so each shape is rendered once; H2 writes the ids of a text search into its text
        Object shape = compiler.searchesText() && db.dialect().family() != SQLDialect.POSTGRES ? null
                : List.of(t, ConditionCompiler.shapeOf(query.condition(), this::tables), query.sort());
        // A ranked search sorts every match before it pages, so the page query counts them on the way
        // (one statement, not two); a sorted list pages along an index and counts apart.
        boolean countAlong = query.page().count() && query.sort().stream().anyMatch(SortKey::isRelevance);
        var language = params.named("language", query.language() == null ? "" : query.language());
        var page = query.page().limit() <= 0 ? new RowPage(List.of(), null)
                : select(t, tenantId, shape, params, language, condition, order, query.page().offset(), query.page().limit(), query.fields(),
                        countAlong);
        var rows = page.rows();
        Long total = page.total();
        if (total == null && countAlong && query.page().offset() == 0 && query.page().limit() > 0) {
            total = 0L;   // no row on the first page: nothing matches
        }
        if (total == null && query.page().count()) {
            var from = compiler.usesText() ? withText(t, tenant, language) : t.mainTable().as(ROW);
            long[] count = new long[1];
            fetchShaped(shape == null ? null : List.of("records counted", shape), () -> db.sql().selectCount().from(from).where(R_TENANT_ID.eq(tenant), condition),
                    params, rs -> {
                        rs.next();
                        count[0] = rs.getLong(1);
                    }, "counting " + t.main());
            total = count[0];
        }
        return new RowPage(rows, total);
    }

    /** Sorts with NULLs last in both directions, the same on H2 and PostgreSQL. */
    private static SortField<?> sortField(RecordTables t, Field<Long> tenant, SortKey key) {
        Field<?> field = switch (t.locate(key.path())) {
            case Location.Uid uid -> R_UID;
            case Location.Row row -> row.column().in(ROW);
            case Location.Text text -> text.column().in(TEXT);
            // an item field sorts a record by its least (ascending) or greatest (descending) item value
            case Location.Item item -> {
                var column = item.column().in(ITEM);
                yield DSL.field(DSL.select(key.descending() ? DSL.max(column) : DSL.min(column))
                        .from(item.table().table().as(ITEM))
                        .where(C_RECORD_ID.eq(R_ID), C_TENANT_ID.eq(tenant)));
            }
        };
        return (key.descending() ? field.desc() : field.asc()).nullsLast();
    }

    /** The record table joined with its text rows in {@code language} ("": none, so translatable fields read as null). */
    private static Table<?> withText(RecordTables t, Field<Long> tenant, Field<String> language) {
        return t.mainTable().as(ROW).leftJoin(t.textTable().as(TEXT)).on(T_RECORD_ID.eq(R_ID), T_TENANT_ID.eq(tenant), T_LANG.eq(language));
    }

    /**
     * A page of records with the row columns and the collections of {@code fields} (null or empty:
     * every row column, no collection); {@code countAll} also counts every row the condition holds,
     * in the same statement (total null when the page is empty). {@code shape}: see {@link #fetchShaped}.
     */
    private RowPage select(RecordTables t, long tenantId, Object shape, Params params, Field<String> language,
                           org.jooq.Condition condition, List<SortField<?>> order, int offset, int limit, Set<String> fields, boolean countAll) {
        var select = new ArrayList<SelectFieldOrAsterisk>();
        var columns = selectRows(t, fields, select);
        if (countAll) {
            select.add(DSL.count().over());
        }
        var orderBy = new ArrayList<SortField<?>>(order);
        orderBy.add(R_ID.asc());
        var ids = new ArrayList<Long>();
        var rows = new ArrayList<RecordRow>();
        var keys = rowKeys(columns);
        var tenant = params.named("tenant", tenantId);
        var first = params.named("offset", offset);
        var count = params.named("limit", limit);
        Long[] total = {null};
        fetchShaped(shape == null ? null : List.of("records page", shape, fields == null ? Set.of() : fields, countAll, offset == 0),
                () -> db.sql().select(select).from(t.hasText() ? withText(t, tenant, language) : t.mainTable().as(ROW))
                        .where(R_TENANT_ID.eq(tenant), condition)
                        .orderBy(orderBy)
                        .limit(count).offset(first),
                params, rs -> {
                    while (rs.next()) {
                        if (countAll) {
                            total[0] = rs.getLong(columns.size() + 4);
                        }
                        ids.add(rs.getLong(1));
                        rows.add(row(rs, 2, columns, keys, t.collections().size()));
                    }
                }, "reading " + t.main());
        loadCollections(t, tenantId, fields, ids, rows);
        return new RowPage(rows, total[0]);
    }

    /**
     * Adds to {@code select} a record's id, uid and version and the row and text columns of
     * {@code columnsOf} (null or empty: all of them), and returns those columns in that order, as
     * {@link #row} reads them.
     */
    private static List<Column> selectRows(RecordTables t, Set<String> columnsOf, List<SelectFieldOrAsterisk> select) {
        var columns = new ArrayList<Column>();
        select.add(R_ID);
        select.add(R_UID);
        select.add(R_ENTITY_VERSION);
        for (var column : t.rowColumns().values()) {
            if (asked(column.path(), columnsOf)) {
                columns.add(column);
                select.add(column.in(ROW));
            }
        }
        for (var column : t.textColumns().values()) {
            if (asked(column.path(), columnsOf)) {
                columns.add(column);
                select.add(column.in(TEXT));
            }
        }
        return columns;
    }

    /** The row of the result set at {@code first} (its uid), then its version and {@code columns}: its {@code collections} still to load. */
    private static RecordRow row(java.sql.ResultSet rs, int first, List<Column> columns, SharedKeyMap.Keys keys, int collections)
            throws SQLException {
        var uid = rs.getString(first);
        long version = rs.getLong(first + 1);
        var values = new SharedKeyMap(keys);
        values.set(0, uid);
        for (int i = 0; i < columns.size(); i++) {
            values.set(i + 1, read(rs, first + 2 + i, columns.get(i)));
        }
        return new RecordRow(uid, values, Map.of(), LinkedHashMap.newLinkedHashMap(collections), version);
    }

    /** The keys of the values {@link #row} reads: the uid, then {@code columns}' paths. */
    private static SharedKeyMap.Keys rowKeys(List<Column> columns) {
        var keys = new ArrayList<String>(columns.size() + 1);
        keys.add(RecordTables.UID_FIELD);
        columns.forEach(c -> keys.add(c.path()));
        return new SharedKeyMap.Keys(keys);
    }

    /** {@link #changedRows}' parameters in the order of its SQL: the text table's join (when there is one), then the feed's window. */
    private static Object[] changedBinds(boolean text, long tenantId, String entityType, long afterTransaction, long afterPosition,
                                         java.time.Instant changedAfter, java.time.Instant changedUntil) {
        var binds = new ArrayList<Object>(8);
        if (text) {
            binds.add(tenantId);
            binds.add("");
        }
        binds.add(tenantId);
        binds.add(afterTransaction);
        binds.add(afterPosition);
        binds.add(entityType);
        if (changedAfter != null) {
            binds.add(SqlFileRepository.utc(changedAfter));
        }
        if (changedUntil != null) {
            binds.add(SqlFileRepository.utc(changedUntil));
        }
        return binds.toArray();
    }

    /**
     * Loads into each of {@code rows} (of record {@code ids}, in the same order) the collections
     * {@code fields} want, a query a collection, the queries at the same time ({@link Database#together}).
     */
    private void loadCollections(RecordTables t, long tenantId, Set<String> fields, List<Long> ids, List<RecordRow> rows) {
        if (ids.isEmpty()) {
            return;
        }
        var tables = new ArrayList<CollectionTable>();
        for (var table : t.collections().values()) {
            if (wanted(table.path(), fields)) {
                tables.add(table);
            }
        }
        if (tables.isEmpty()) {
            return;
        }
        // a record's position in ids: its first, when a page holds it twice (two changes of it)
        var positions = HashMap.<Long, Integer>newHashMap(ids.size());
        var first = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            var earlier = positions.putIfAbsent(ids.get(i), i);
            first[i] = earlier == null ? i : earlier;
        }
        var read = new ArrayList<List<Map<String, Map<String, Object>>>>(tables.size());
        var reads = new ArrayList<Runnable>(tables.size());
        for (var table : tables) {
            var byRow = new ArrayList<Map<String, Map<String, Object>>>(java.util.Collections.nCopies(ids.size(), null));
            read.add(byRow);
            reads.add(() -> items(table, tenantId, ids, positions, byRow));
        }
        db.together(reads);
        for (int n = 0; n < tables.size(); n++) {
            var path = tables.get(n).path();
            var byRow = read.get(n);
            for (int i = 0; i < rows.size(); i++) {
                var items = byRow.get(first[i]);
                rows.get(i).collections().put(path, items == null ? Map.of() : items);
            }
        }
    }

    @Override
    public List<Changed> changedRows(long tenantId, RecordType type, Set<String> fields, String entityType, long afterTransaction,
                                     long afterPosition, java.time.Instant changedAfter, java.time.Instant changedUntil, int limit) {
        var t = tables(type);
        var select = new ArrayList<SelectFieldOrAsterisk>(SqlChangeRepository.COLUMNS);
        var columns = selectRows(t, fields, select);
        boolean postgres = db.dialect().family() == SQLDialect.POSTGRES;
        Table<?> records = t.mainTable().as(ROW);
        Table<?> from = Tables.CHANGE_LOG.T.leftJoin(records).on(R_TENANT_ID.eq(Tables.CHANGE_LOG.TENANT_ID), R_UID.eq(Tables.CHANGE_LOG.ENTITY_ID));
        if (t.hasText()) {   // no language: translatable fields read as null, as search reads them without one
            from = from.leftJoin(t.textTable().as(TEXT)).on(T_RECORD_ID.eq(R_ID), T_TENANT_ID.eq(tenantId), T_LANG.eq(""));
        }
        var joined = from;
        var out = new ArrayList<Changed>(Math.min(limit, 1024));
        var ids = new ArrayList<Long>();
        var rows = new ArrayList<RecordRow>();
        var keys = rowKeys(columns);
        int first = SqlChangeRepository.COLUMNS.size() + 1;
        fetch(List.of("changed", t.main(), fields == null ? Set.of() : fields, changedAfter != null, changedUntil != null, limit),
                () -> db.sql().select(select).from(joined)
                        .where(SqlChangeRepository.window(postgres, tenantId, Set.of(entityType), afterTransaction, afterPosition,
                                changedAfter, changedUntil))
                        .orderBy(SqlChangeRepository.order(postgres)).limit(DSL.inline(limit)),   // inline: see SqlChangeRepository#read
                changedBinds(t.hasText(), tenantId, entityType, afterTransaction, afterPosition, changedAfter, changedUntil),
                rs -> {
                    while (rs.next()) {
                        var change = SqlChangeRepository.change(rs, tenantId);
                        long id = rs.getLong(first);
                        RecordRow row = null;
                        if (!rs.wasNull()) {
                            row = row(rs, first + 1, columns, keys, t.collections().size());
                            ids.add(id);
                            rows.add(row);
                        }
                        out.add(new Changed(change, row));
                    }
                }, "reading the change feed with " + t.main());
        loadCollections(t, tenantId, fields, ids, rows);
        db.awaitCommitsDurable();   // a position a crash could undo is not handed out (SqlChangeRepository#read)
        return out;
    }

    /** A column is read when no fields are named, or its field or a container holding it is. */
    private static boolean asked(String column, Collection<String> fields) {
        if (fields == null || fields.isEmpty()) {
            return true;
        }
        for (var path : fields) {
            if (column.equals(path) || column.startsWith(path + ".")) {
                return true;
            }
        }
        return false;
    }

    /** A collection is loaded when a field path equals it, lies under it, or is a container holding it. */
    private static boolean wanted(String collection, Collection<String> fields) {
        if (fields == null) {
            return false;
        }
        for (var path : fields) {
            if (path.equals(collection) || path.startsWith(collection + ".") || collection.startsWith(path + ".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The items of one collection for all {@code ids}, in one query, into {@code byRow}: at each
     * record's position in {@code ids} ({@code positions}), item key → child path → value.
     */
    private void items(CollectionTable table, long tenantId, List<Long> ids, Map<Long, Integer> positions,
                       List<Map<String, Map<String, Object>>> byRow) {
        var columns = new ArrayList<>(table.columns().values());
        var select = new ArrayList<SelectFieldOrAsterisk>();
        select.add(C_RECORD_ID);
        select.add(C_ITEM_KEY);
        columns.forEach(c -> select.add(c.in(ITEM)));
        var keys = new SharedKeyMap.Keys(columns.stream().map(Column::path).toList());
        fetch("items of " + table.name(), () -> db.sql().select(select).from(table.table().as(ITEM))
                        .where(C_TENANT_ID.eq(tenantId), RecordTables.oneOf(C_RECORD_ID, ids, Long[]::new, db.dialect())),
                new Object[] {tenantId, ids.toArray(Long[]::new)},
                rs -> {
                    while (rs.next()) {
                        int position = positions.get(rs.getLong(1));
                        var key = rs.getString(2);
                        var item = new SharedKeyMap(keys);
                        for (int i = 0; i < columns.size(); i++) {
                            item.set(i, read(rs, i + 3, columns.get(i)));
                        }
                        var items = byRow.get(position);
                        if (items == null) {
                            items = new TreeMap<>(ITEM_ORDER);
                            byRow.set(position, items);
                        }
                        items.put(key, item);
                    }
                }, "reading " + table.path());
    }

    /**
     * Runs {@code query}, whose values are all in {@code params}: as jOOQ rendered it the first time
     * for {@code shape}, over plain JDBC ({@link Database#read(Database.Plan, Object, java.util.function.Supplier,
     * Map, String, Database.Rows)}); through jOOQ, rendered anew, when {@code shape} is null. For the
     * searches of every list request: rendering them was a seventh of an OWS list's handler time.
     */
    private void fetchShaped(Object shape, java.util.function.Supplier<org.jooq.ResultQuery<?>> query, Params params, Database.Rows rows,
                             String what) {
        if (shape != null) {
            // planned as jOOQ's statements are: for any values once PostgreSQL finds that plan as good
            db.read(Database.Plan.REUSED, shape, query, params.values(), what, rows);
            return;
        }
        try (var rs = query.get().fetchResultSet()) {
            rows.read(rs);
        } catch (SQLException e) {
            throw new DataAccessException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code query}: on PostgreSQL as jOOQ rendered it the first time for {@code key} (a key
     * must name everything that changes its text), with {@code binds}, its parameters in their
     * order in that text, over plain JDBC ({@link Database#read(Database.Plan, Object, java.util.function.Supplier, Object[], String, Database.Rows)});
     * elsewhere through jOOQ, rendered each time (H2's lists of ids are as long as the list).
     */
    private void fetch(Object key, java.util.function.Supplier<org.jooq.ResultQuery<?>> query, Object[] binds, Database.Rows rows, String what) {
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            db.read(Database.Plan.EACH_RUN, key, query, binds, what, rows);
            return;
        }
        try (var rs = query.get().fetchResultSet()) {
            rows.read(rs);
        } catch (SQLException e) {
            throw new DataAccessException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A column's value straight from the result set, in the port's types (as {@link RecordTables#fromDb}
     * gives them): a page of 1,000 records is some 30,000 values, and reading them through jOOQ's
     * records and converters was a fifth of a Youforce walk's time in the server.
     */
    private static Object read(java.sql.ResultSet rs, int index, Column column) throws SQLException {
        return switch (column.field().type()) {
            case STRING, TEXT -> rs.getString(index);
            case INT -> {
                long value = rs.getLong(index);
                yield rs.wasNull() ? null : value;
            }
            case DOUBLE -> {
                double value = rs.getDouble(index);
                yield rs.wasNull() ? null : value;
            }
            case BOOLEAN -> {
                boolean value = rs.getBoolean(index);
                yield rs.wasNull() ? null : value;
            }
            case DATE -> rs.getObject(index, java.time.LocalDate.class);
            case DATETIME -> {
                var value = rs.getObject(index, java.time.OffsetDateTime.class);
                yield value == null ? null : value.toInstant();
            }
            default -> RecordTables.fromDb(column, rs.getObject(index));
        };
    }

    /** Item keys in a person's order: numbers by value ({@code 2} before {@code 10}), then other keys alphabetically. */
    static final Comparator<String> ITEM_ORDER = SqlRecordRepository::compareItemKeys;

    /** {@link #ITEM_ORDER} without a stream per key and comparison (it orders every item of every page read). */
    private static int compareItemKeys(String a, String b) {
        boolean digitsA = allDigits(a);
        boolean digitsB = allDigits(b);
        boolean wordA = !digitsA || a.isEmpty();
        boolean wordB = !digitsB || b.isEmpty();
        if (wordA != wordB) {
            return wordA ? 1 : -1;
        }
        int lengthA = digitsA ? a.length() : 0;
        int lengthB = digitsB ? b.length() : 0;
        if (lengthA != lengthB) {
            return Integer.compare(lengthA, lengthB);
        }
        return a.compareTo(b);
    }

    private static boolean allDigits(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (!Character.isDigit(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public OptionalLong increment(long tenantId, RecordType type, String uid, String path) {
        var t = tables(type);
        @SuppressWarnings("unchecked")
        var column = (Field<Long>) (Field<?>) rowColumn(t, path).plain();
        return db.inTransaction(() -> {
            int changed = db.sql().update(t.mainTable()).set(column, DSL.coalesce(column, DSL.val(0L)).plus(1L))
                    .where(TENANT_ID.eq(tenantId), UID.eq(uid)).execute();
            if (changed == 0) {
                return OptionalLong.empty();
            }
            Long value = db.sql().select(column).from(t.mainTable()).where(TENANT_ID.eq(tenantId), UID.eq(uid)).fetchOne(column);
            return OptionalLong.of(value == null ? 0 : value);
        });
    }
}
