package io.dossier.store.sql;

import static org.jooq.impl.DSL.constraint;
import static org.jooq.impl.DSL.name;

import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.FieldType;
import io.dossier.core.schema.RecordType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Constraint;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The tables of one record type, derived from its definition alone: their names, a typed column per
 * scalar field, and the DDL that creates what is missing.
 *
 * <ul>
 *   <li>{@code rec_<storage name>} (the definition's {@code storage}, e.g. {@code Candidate}, pinned so that data never
 *       moves): {@code id}, {@code tenant_id}, {@code uid} (the definition's {@code uid} field), {@code entity_version}
 *       (raised by every update, for the change feed) and one {@code f_<path>} column per other non-translatable row
 *       field;</li>
 *   <li>{@code rec_<record>_text}: per record and language ({@code lang}), the translatable row fields;</li>
 *   <li>{@code rec_<record>__<collection path>}: per record and {@code item_key}, the collection's
 *       scalar children (containers inside an item flattened).</li>
 * </ul>
 *
 * Every identifier is lower-case {@code [a-z0-9_]} made from definition names, never from values, and
 * at most 63 characters (PostgreSQL's limit): longer ones are cut and end in a short hash.
 */
final class RecordTables {

    static final int MAX_IDENTIFIER = 63;
    static final String UID_FIELD = "uid";

    static final Name ID = name("id");
    static final Name TENANT_ID = name("tenant_id");
    static final Name UID = name("uid");
    static final Name RECORD_ID = name("record_id");
    static final Name LANG = name("lang");
    static final Name ITEM_KEY = name("item_key");
    /** The record's version for the change feed: 1 when added, raised by each update. */
    static final Name ENTITY_VERSION = name("entity_version");

    /** A typed column holding one scalar field; {@code path} is relative to the table's owner (record or collection item). */
    record Column(String path, String name, FieldDef field) {

        Column {
            path = path.intern();   // a key of the maps rows are read into: see FieldDef
        }

        DataType<?> type() {
            return switch (field.type()) {
                case STRING -> SQLDataType.VARCHAR(1000);
                case TEXT -> SQLDataType.VARCHAR;
                case INT -> SQLDataType.BIGINT;
                case DOUBLE -> SQLDataType.DOUBLE;
                case BOOLEAN -> SQLDataType.BOOLEAN;
                case DATE -> SQLDataType.LOCALDATE;
                case DATETIME -> SQLDataType.TIMESTAMPWITHTIMEZONE;
                case CONTAINER, COLLECTION -> throw new IllegalStateException(field.path() + " is not scalar");
            };
        }

        /** The column unqualified, for INSERT and UPDATE. */
        Field<Object> plain() {
            return typed(DSL.name(name), type());
        }

        /** The column of the table aliased {@code alias}. */
        Field<Object> in(String alias) {
            return typed(DSL.name(alias, name), type());
        }

        boolean indexed() {
            return field.flags().filterable() || field.flags().sortable();
        }

        boolean text() {
            return field.type() == FieldType.STRING || field.type() == FieldType.TEXT;
        }

        /** Whether the field is in the full-text index (definition flag X). */
        boolean searchable() {
            return field.flags().searchable() && text();
        }

        /** PostgreSQL: the generated tsvector column of a searchable field, {@code fts_<path>}. */
        String vectorName() {
            return identifier("fts_" + snakePath(path));
        }

        /** The tsvector column of the table aliased {@code alias} (PostgreSQL only). */
        Field<Object> vectorIn(String alias) {
            return DSL.field(DSL.name(alias, vectorName()));
        }
    }

    /** The table of one collection; columns by child path relative to an item ({@code type}, {@code Address.city}). */
    record CollectionTable(String path, String name, Map<String, Column> columns) {

        Table<?> table() {
            return DSL.table(DSL.name(name));
        }
    }

    /** Where a field path is stored. */
    sealed interface Location {
        /** The {@code uid} column of the record table. */
        record Uid() implements Location {
        }

        record Row(Column column) implements Location {
        }

        record Text(Column column) implements Location {
        }

        record Item(CollectionTable table, Column column) implements Location {
        }
    }

    private final String main;
    private final String text;
    private final Map<String, Column> rowColumns;
    private final Map<String, Column> textColumns;
    private final Map<String, CollectionTable> collections;
    private final List<RecordType.ListIndex> listIndexes;

    private RecordTables(String main, String text, Map<String, Column> rowColumns, Map<String, Column> textColumns,
                         Map<String, CollectionTable> collections, List<RecordType.ListIndex> listIndexes) {
        this.main = main;
        this.text = text;
        this.rowColumns = rowColumns;
        this.textColumns = textColumns;
        this.collections = collections;
        this.listIndexes = listIndexes;
    }

    static RecordTables of(RecordType type) {
        var main = identifier("rec_" + snake(type.storageName()));
        var rowColumns = new LinkedHashMap<String, Column>();
        var textColumns = new LinkedHashMap<String, Column>();
        for (var field : type.rowFields()) {
            if (field.path().equals(UID_FIELD)) {
                continue;
            }
            var column = new Column(field.path(), columnName(field.path()), field);
            (field.flags().translatable() ? textColumns : rowColumns).put(field.path(), column);
        }
        distinct(type, main, List.of("id", "tenant_id", "uid", "entity_version"), rowColumns.values());
        var text = textColumns.isEmpty() ? null : identifier(main + "_text");
        if (text != null) {
            distinct(type, text, List.of("record_id", "tenant_id", "lang"), textColumns.values());
        }
        var collections = new LinkedHashMap<String, CollectionTable>();
        for (var collection : type.collections()) {
            var columns = new LinkedHashMap<String, Column>();
            itemColumns(collection.children(), "", columns);
            var name = identifier(main + "__" + snakePath(collection.path()));
            distinct(type, name, List.of("record_id", "tenant_id", "item_key"), columns.values());
            collections.put(collection.path(), new CollectionTable(collection.path(), name, columns));
        }
        return new RecordTables(main, text, rowColumns, textColumns, collections, type.listIndexes());
    }

    private static void itemColumns(List<FieldDef> fields, String prefix, Map<String, Column> out) {
        for (var field : fields) {
            var relative = prefix + field.name();
            if (field.isContainer()) {
                itemColumns(field.children(), relative + ".", out);
            } else if (field.type().scalar()) {
                out.put(relative, new Column(relative, columnName(relative), field));
            }
            // a collection inside a collection item is not stored (definitions do not use them)
        }
    }

    private static void distinct(RecordType type, String table, List<String> fixed, Collection<Column> columns) {
        var seen = new LinkedHashMap<String, String>();
        fixed.forEach(name -> seen.put(name, name));
        for (var column : columns) {
            var clash = seen.putIfAbsent(column.name(), column.path());
            if (clash != null) {
                throw new IllegalArgumentException("record " + type.qualifiedName() + ": fields " + clash + " and " + column.path()
                        + " both map to column " + table + "." + column.name());
            }
        }
    }

    String main() {
        return main;
    }

    Table<?> mainTable() {
        return DSL.table(name(main));
    }

    boolean hasText() {
        return text != null;
    }

    String textName() {
        return text;
    }

    Table<?> textTable() {
        return DSL.table(name(text));
    }

    Map<String, Column> rowColumns() {
        return rowColumns;
    }

    Map<String, Column> textColumns() {
        return textColumns;
    }

    Map<String, CollectionTable> collections() {
        return collections;
    }

    /** Every table name, for checking that two record types do not share one. */
    List<String> tableNames() {
        var out = new ArrayList<String>();
        out.add(main);
        if (text != null) {
            out.add(text);
        }
        collections.values().forEach(c -> out.add(c.name()));
        return out;
    }

    /** Where {@code path} is stored; IllegalArgumentException for a path that is no scalar field of the type. */
    Location locate(String path) {
        if (path.equals(UID_FIELD)) {
            return new Location.Uid();
        }
        var row = rowColumns.get(path);
        if (row != null) {
            return new Location.Row(row);
        }
        var translated = textColumns.get(path);
        if (translated != null) {
            return new Location.Text(translated);
        }
        for (var collection : collections.values()) {
            if (path.startsWith(collection.path() + ".")) {
                var column = collection.columns().get(path.substring(collection.path().length() + 1));
                if (column != null) {
                    return new Location.Item(collection, column);
                }
            }
        }
        throw new IllegalArgumentException("no stored scalar field " + path + " in " + main);
    }

    // ---- DDL

    /** What the database already has: table → its columns, and the index names. */
    record Existing(Map<String, Set<String>> columns, Set<String> indexes) {
    }

    /**
     * H2: how many numbers an identity column takes from its sequence at a time. H2 records the
     * sequence each time those run out, by committing its own session, and with no write delay
     * (as Dossier runs it) that commit writes everything unsaved, the open transactions' pages too:
     * at H2's 32, a transaction that adds many rows (the demo seed, an HR import) wrote its growing
     * pages out again every 32 rows (a seventh of the seed's time). A crash skips at most this many
     * numbers; a clean close none.
     */
    static final int IDENTITY_CACHE = 1000;

    /** An empty schema: {@link #missing} then gives the whole DDL of the type. */
    static final Existing NOTHING = new Existing(Map.of(), Set.of());

    /**
     * The statements that create the tables, columns and indexes {@code existing} lacks. Additive
     * only: nothing is dropped or retyped. Only what is missing is there, so a restart takes no locks.
     */
    List<Query> missing(DSLContext sql, Existing existing) {
        var out = new ArrayList<Query>();
        var id = DSL.field(ID, SQLDataType.BIGINT.notNull().identity(true));
        var tenantId = DSL.field(TENANT_ID, SQLDataType.BIGINT.notNull());
        var uid = DSL.field(UID, SQLDataType.VARCHAR(40).notNull());
        var recordId = DSL.field(RECORD_ID, SQLDataType.BIGINT.notNull());
        var lang = DSL.field(LANG, SQLDataType.VARCHAR(2).notNull());
        var itemKey = DSL.field(ITEM_KEY, SQLDataType.VARCHAR(20).notNull());
        var version = DSL.field(ENTITY_VERSION, SQLDataType.BIGINT.notNull().defaultValue(1L));

        createTable(sql, out, existing, main, List.of(id, tenantId, uid, version), rowColumns.values(), List.of(
                constraint(name(identifier(main + "_pk"))).primaryKey(ID),
                constraint(name(identifier(main + "_uid"))).unique(TENANT_ID, UID)));
        if (!existing.columns().containsKey(main) && sql.dialect().family() == org.jooq.SQLDialect.H2) {
            out.add(sql.query("ALTER TABLE {0} ALTER COLUMN {1} SET CACHE " + IDENTITY_CACHE, name(main), ID));
        }
        if (text != null) {
            createTable(sql, out, existing, text, List.of(recordId, tenantId, lang), textColumns.values(), List.of(
                    constraint(name(identifier(text + "_pk"))).primaryKey(RECORD_ID, LANG),
                    constraint(name(identifier(text + "_fk"))).foreignKey(RECORD_ID).references(name(main), ID).onDeleteCascade()));
        }
        for (var collection : collections.values()) {
            createTable(sql, out, existing, collection.name(), List.of(recordId, tenantId, itemKey), collection.columns().values(), List.of(
                    constraint(name(identifier(collection.name() + "_pk"))).primaryKey(RECORD_ID, ITEM_KEY),
                    constraint(name(identifier(collection.name() + "_fk"))).foreignKey(RECORD_ID).references(name(main), ID).onDeleteCascade()));
        }

        for (var column : rowColumns.values()) {
            if (column.indexed()) {
                index(sql, out, existing, main, TENANT_ID, name(column.name()));
            }
        }
        for (var index : listIndexes) {
            listIndex(sql, out, existing, index);
        }
        fullText(sql, out, existing);
        for (var column : textColumns.values()) {
            if (column.indexed()) {
                index(sql, out, existing, text, TENANT_ID, LANG, name(column.name()));
            }
        }
        for (var collection : collections.values()) {
            for (var column : collection.columns().values()) {
                if (column.indexed()) {
                    index(sql, out, existing, collection.name(), TENANT_ID, name(column.name()));
                }
            }
        }
        return out;
    }

    // ---- full-text index

    /** Each table that holds searchable columns, with those columns. */
    Map<String, List<Column>> searchableByTable() {
        var out = new LinkedHashMap<String, List<Column>>();
        var row = rowColumns.values().stream().filter(Column::searchable).toList();
        if (!row.isEmpty()) {
            out.put(main, row);
        }
        var translated = textColumns.values().stream().filter(Column::searchable).toList();
        if (!translated.isEmpty()) {
            out.put(text, translated);
        }
        for (var collection : collections.values()) {
            var items = collection.columns().values().stream().filter(Column::searchable).toList();
            if (!items.isEmpty()) {
                out.put(collection.name(), items);
            }
        }
        return out;
    }

    /**
     * The full-text index of the searchable columns, kept up to date by the database on every write.
     * PostgreSQL: a generated {@code tsvector} column per searchable column (configuration
     * {@code simple}: no stemming or stop words, as texts come in several languages) with a GIN
     * index (without a pending list); all missing columns of a table in one ALTER, so a large table
     * is rewritten once.
     * H2: its native full-text index is not DDL of a table; {@link H2FullText} builds it, for every
     * record type together.
     */
    private void fullText(DSLContext sql, List<Query> out, Existing existing) {
        if (sql.dialect().family() != org.jooq.SQLDialect.POSTGRES) {
            return;
        }
        for (var entry : searchableByTable().entrySet()) {
            var have = existing.columns().getOrDefault(entry.getKey(), Set.of());
            var missing = entry.getValue().stream().filter(c -> !have.contains(c.vectorName())).toList();
            if (!missing.isEmpty()) {
                var adds = new ArrayList<String>();
                for (var column : missing) {
                    // at most 100,000 characters of a field are indexed: a tsvector holds at most 1 MB
                    adds.add("ADD COLUMN IF NOT EXISTS " + column.vectorName() + " tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "
                            + "left(coalesce(" + column.name() + ", ''), 100000))) STORED");
                }
                out.add(sql.query("ALTER TABLE " + entry.getKey() + " " + String.join(", ", adds)));
            }
            for (var column : entry.getValue()) {
                var index = identifier("ix_" + entry.getKey() + "_" + column.vectorName());
                if (!existing.indexes().contains(index)) {
                    // fastupdate off: each write updates the index itself, so that no search has to read through a
                    // list of pending entries (up to 4 MB, which took a lookup by e-mail from 0.1 to 28 ms)
                    out.add(sql.query("CREATE INDEX IF NOT EXISTS " + index + " ON " + entry.getKey() + " USING gin (" + column.vectorName()
                            + ") WITH (fastupdate = off)"));
                }
            }
        }
    }

    private static void createTable(DSLContext sql, List<Query> out, Existing existing, String table, List<Field<?>> fixed,
                                    Collection<Column> columns, List<Constraint> constraints) {
        var have = existing.columns().get(table);
        if (have == null) {
            var create = sql.createTableIfNotExists(name(table)).columns(fixed);
            for (var column : columns) {
                create = create.column(name(column.name()), column.type());
            }
            out.add(create.constraints(constraints));
            return;
        }
        for (var column : fixed) {
            // a fixed column added since the table was made (entity_version, with its default)
            if (!have.contains(column.getName())) {
                out.add(sql.alterTable(name(table)).addColumnIfNotExists(column));
            }
        }
        for (var column : columns) {
            if (!have.contains(column.name())) {
                out.add(sql.alterTable(name(table)).addColumnIfNotExists(name(column.name()), column.type()));
            }
        }
    }

    /**
     * The index of a list the definition declares ({@link RecordType.ListIndex}): the tenant, the
     * declared columns in their order and direction, and the record id, which every sort ends with
     * ({@code SqlRecordRepository}), all with nulls last as the sorts have them; so the database reads
     * a page of that list in index order and stops at its end.
     */
    private void listIndex(DSLContext sql, List<Query> out, Existing existing, RecordType.ListIndex declared) {
        var columns = new ArrayList<org.jooq.OrderField<?>>();
        var names = new StringBuilder("ix_" + main + "_by");
        columns.add(DSL.field(TENANT_ID));
        for (var key : declared.keys()) {
            var column = rowColumns.get(key.path());
            if (column == null) {
                throw new IllegalArgumentException("index of " + main + ": " + key.path() + " is no column of the record's own row");
            }
            var field = DSL.field(name(column.name()));
            columns.add((key.descending() ? field.desc() : field.asc()).nullsLast());
            names.append('_').append(column.name()).append(key.descending() ? "_desc" : "");
        }
        columns.add(DSL.field(ID));
        var index = identifier(names.toString());
        if (!existing.indexes().contains(index)) {
            out.add(sql.createIndexIfNotExists(name(index)).on(DSL.table(name(main)), columns));
        }
    }

    private static void index(DSLContext sql, List<Query> out, Existing existing, String table, Name... columns) {
        var index = identifier("ix_" + table + "_" + columns[columns.length - 1].last());
        if (existing.indexes().contains(index)) {
            return;
        }
        var fields = new ArrayList<Field<?>>();
        for (var column : columns) {
            fields.add(DSL.field(column));
        }
        out.add(sql.createIndexIfNotExists(name(index)).on(DSL.table(name(table)), fields));
    }

    // ---- values

    /** A value as the column binds it: Integer → Long, Instant → OffsetDateTime in UTC, …. */
    static Object toDb(Column column, Object value) {
        if (value == null) {
            return null;
        }
        return switch (column.field().type()) {
            case INT -> value instanceof Number n ? (Object) n.longValue() : value;
            case DOUBLE -> value instanceof Number n ? (Object) n.doubleValue() : value;
            case DATETIME -> switch (value) {
                case Instant i -> i.atOffset(ZoneOffset.UTC);
                case LocalDateTime l -> l.atOffset(ZoneOffset.UTC);
                default -> value;
            };
            case STRING, TEXT -> value instanceof String ? value : value.toString();
            default -> value;
        };
    }

    /** A value read from the column in the port's Java types: Long, Double, Boolean, LocalDate, Instant, String. */
    static Object fromDb(Column column, Object value) {
        if (value == null) {
            return null;
        }
        return switch (column.field().type()) {
            case INT -> value instanceof Number n ? (Object) n.longValue() : value;
            case DOUBLE -> value instanceof Number n ? (Object) n.doubleValue() : value;
            case DATE -> value instanceof java.sql.Date d ? d.toLocalDate() : value;
            case DATETIME -> switch (value) {
                case OffsetDateTime o -> o.toInstant();
                case java.sql.Timestamp t -> t.toInstant();
                case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
                default -> value;
            };
            default -> value;
        };
    }

    /**
     * {@code field IN (values…)}; on PostgreSQL {@code field = ANY(?)} with the values bound as one
     * array: one parameter rather than one per value (a page of 1,000 records was 1,000 to render,
     * bind, send and plan, in each of its statements), and one statement text for any number. The
     * planner reads both the same (it turns an IN list into {@code = ANY}); H2 keeps the IN list,
     * as jOOQ writes {@code = ANY} there as ORed equalities.
     */
    static <T> org.jooq.Condition oneOf(Field<T> field, Collection<? extends T> values, java.util.function.IntFunction<T[]> array,
                                        org.jooq.SQLDialect dialect) {
        return oneOf(field, values, array, dialect, new Params());
    }

    /** {@link #oneOf(Field, Collection, java.util.function.IntFunction, org.jooq.SQLDialect)} with the values put in {@code params}. */
    static <T> org.jooq.Condition oneOf(Field<T> field, Collection<? extends T> values, java.util.function.IntFunction<T[]> array,
                                        org.jooq.SQLDialect dialect, Params params) {
        if (dialect != null && dialect.family() == org.jooq.SQLDialect.POSTGRES) {
            return field.eq(DSL.any(params.next(values.toArray(array.apply(0)))));
        }
        return field.in(values.stream().map(params::next).toList());
    }

    @SuppressWarnings("unchecked")
    static Field<Object> typed(Name name, DataType<?> type) {
        return (Field<Object>) DSL.field(name, type);
    }

    // ---- naming

    static String columnName(String path) {
        return identifier("f_" + snakePath(path));
    }

    /** {@code Person.firstName} → {@code person__first_name}. */
    static String snakePath(String path) {
        var parts = path.split("\\.", -1);
        var out = new StringBuilder();
        for (var part : parts) {
            if (!out.isEmpty()) {
                out.append("__");
            }
            out.append(snake(part));
        }
        return out.toString();
    }

    /** {@code RelationContact} → {@code relation_contact}, {@code HTMLText} → {@code html_text}; anything but ASCII letters and digits → {@code _}. */
    static String snake(String name) {
        var out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            var c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                var previous = i > 0 ? name.charAt(i - 1) : ' ';
                var next = i + 1 < name.length() ? name.charAt(i + 1) : ' ';
                var afterWord = (previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9');
                var endOfAcronym = previous >= 'A' && previous <= 'Z' && next >= 'a' && next <= 'z';
                if (afterWord || endOfAcronym) {
                    out.append('_');
                }
                out.append((char) (c + ('a' - 'A')));
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        return out.toString();
    }

    /** {@code name} when short enough, else its first characters and a hash of the whole: deterministic and distinct. */
    static String identifier(String name) {
        if (name.length() <= MAX_IDENTIFIER) {
            return name;
        }
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            var hash = HexFormat.of().formatHex(digest, 0, 4);
            return name.substring(0, MAX_IDENTIFIER - hash.length() - 1) + "_" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
