package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.fit;
import static io.dossier.store.sql.SqlFileRepository.utc;
import static io.dossier.store.sql.Tables.DOCUMENT;
import static io.dossier.store.sql.Tables.DOCUMENT_ATTRIBUTE;
import static io.dossier.store.sql.Tables.DOCUMENT_TALLY;
import static io.dossier.store.sql.Tables.DOCUMENT_VERSION;
import static io.dossier.store.sql.Tables.STORED_FILE;
import static io.dossier.store.sql.Tables.USER;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.val;

import io.dossier.core.Failure;
import io.dossier.core.document.ChangedDocument;
import io.dossier.core.document.Document;
import io.dossier.core.document.DocumentRepository;
import io.dossier.core.document.ListedDocument;
import io.dossier.core.schema.RecordType;
import io.dossier.core.content.StoredFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectConditionStep;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Documents, their attributes and versions. A document is read joined to its current version's
 * file. Attribute and version rows have no tenant column of their own: every statement on them
 * reaches the tenant through their document.
 */
public final class SqlDocumentRepository implements DocumentRepository {

    private static final List<SelectField<?>> DOCUMENT_COLUMNS;

    static {
        var columns = new ArrayList<SelectField<?>>(List.of(DOCUMENT.ID, DOCUMENT.TENANT_ID, DOCUMENT.CONTAINER_TYPE,
                DOCUMENT.CONTAINER_UID, DOCUMENT.TYPE_ID, DOCUMENT.SUBJECT, DOCUMENT.CURRENT_VERSION, DOCUMENT.CREATED_BY,
                DOCUMENT.CREATED_AT, DOCUMENT.ENTITY_VERSION));
        columns.addAll(SqlFileRepository.FILE_COLUMNS);
        DOCUMENT_COLUMNS = List.copyOf(columns);
    }

    /**
     * A listed document's attributes as two arrays in the same order (names, values), read along
     * with its row ({@link #attributes(Record)}). Not a multiset: jOOQ reads a multiset as JSON,
     * which cost a page of 100 documents more CPU than the rest of its rows.
     */
    private static final Field<String[]> ATTRIBUTE_NAMES = DSL.field(select(DSL.arrayAgg(DOCUMENT_ATTRIBUTE.NAME).orderBy(DOCUMENT_ATTRIBUTE.NAME))
            .from(DOCUMENT_ATTRIBUTE.T).where(DOCUMENT_ATTRIBUTE.DOCUMENT_ID.eq(DOCUMENT.ID))).as("attribute_names");
    private static final Field<String[]> ATTRIBUTE_VALUES = DSL.field(select(DSL.arrayAgg(DOCUMENT_ATTRIBUTE.VALUE).orderBy(DOCUMENT_ATTRIBUTE.NAME))
            .from(DOCUMENT_ATTRIBUTE.T).where(DOCUMENT_ATTRIBUTE.DOCUMENT_ID.eq(DOCUMENT.ID))).as("attribute_values");

    /**
     * A listed document's attributes as one array of (name, value) arrays, in the order of their
     * names: one look-up of its attributes where {@link #ATTRIBUTE_NAMES} and {@link #ATTRIBUTE_VALUES}
     * take two (read over plain JDBC, {@link #changedIn}; PostgreSQL ran a page of 101 documents in
     * 0.18 ms with it, 0.30 ms with the two, in psql, warm).
     */
    private static final Field<Object[]> ATTRIBUTE_PAIRS = DSL.field(select(DSL.field("array_agg(array[{0}, {1}] order by {0})", Object[].class,
            DOCUMENT_ATTRIBUTE.NAME, DOCUMENT_ATTRIBUTE.VALUE)).from(DOCUMENT_ATTRIBUTE.T).where(DOCUMENT_ATTRIBUTE.DOCUMENT_ID.eq(DOCUMENT.ID)))
            .as("attributes");

    private static Map<String, String> attributes(Record r) {
        var named = new HashMap<String, String>();
        var names = r.get(ATTRIBUTE_NAMES);
        var values = r.get(ATTRIBUTE_VALUES);
        for (int i = 0; names != null && i < names.length; i++) {
            named.put(names[i], values[i]);
        }
        return named;
    }

    private static final Field<String> NO_NAME = DSL.inline((String) null, String.class);

    /**
     * PostgreSQL: a new document, its first version and its tally row in one statement (what the
     * three statements of H2's path write, {@link #tally} with +1 in the slot of its change time).
     */
    private static final String INSERT_NEW = """
            with d as (insert into document (tenant_id, container_type, container_uid, type_id, subject, current_version, created_by,
                                             created_at, changed_at)
                       values (?, ?, ?, ?, ?, 1, cast(? as bigint), cast(? as timestamp with time zone), cast(? as timestamp with time zone))
                       returning id, tenant_id, container_type, container_uid, created_by, created_at, changed_at),
                 v as (insert into document_version (document_id, version, file_ouid, created_by, created_at)
                       select id, 1, ?, created_by, created_at from d),
                 t as (insert into document_tally (tenant_id, container_type, container_uid, change_slot, documents)
                       select tenant_id, container_type, container_uid, floor(extract(epoch from changed_at) / %d), 1 from d)
            select id from d""".formatted(SqlDocumentRepository.SLOT_SECONDS);

    /** {@link #INSERT_NEW} with the row of its new file inserted first, in the same statement (its binds first). */
    private static final String INSERT_NEW_WITH_FILE = """
            with f as (insert into stored_file (ouid, tenant_id, blob_id, name, media_type, byte_size, sha256, uploaded_by, uploaded_at,
                                                expires_at, state)
                       values (?, ?, ?, ?, ?, ?, ?, cast(? as bigint), cast(? as timestamp with time zone),
                               cast(? as timestamp with time zone), ?)),
            """ + INSERT_NEW.substring("with ".length());

    private final Database db;
    private final boolean postgres;
    /** The table of the record type that names document types (aliased {@code dt}), or null when names are not joined. */
    private final Table<?> typeTable;
    private final Field<String> typeName;

    /** Documents whose listing pages carry no type names. */
    public SqlDocumentRepository(Database db) {
        this.db = db;
        this.postgres = db.dialect().family() == org.jooq.SQLDialect.POSTGRES;
        this.typeTable = null;
        this.typeName = NO_NAME;
    }

    /**
     * Documents whose type ids are uids of {@code documentTypes} records, whose field {@code nameField}
     * (a plain, not translated, field) names them in listing pages.
     */
    public SqlDocumentRepository(Database db, RecordType documentTypes, String nameField) {
        this.db = db;
        this.postgres = db.dialect().family() == org.jooq.SQLDialect.POSTGRES;
        var tables = RecordTables.of(documentTypes);
        if (!(tables.locate(nameField) instanceof RecordTables.Location.Row(var column))) {
            throw new IllegalArgumentException(nameField + " of " + documentTypes.name() + " is not a plain field");
        }
        this.typeTable = tables.mainTable().as("dt");
        this.typeName = DSL.field(DSL.name("dt", column.name()), String.class);
    }

    @Override
    public long insert(long tenantId, String containerType, String containerUid, String typeId, String subject,
                       Map<String, String> attributes, String fileOuid, Long createdBy, Instant createdAt) {
        if (postgres) {
            return db.inTransaction(() -> {
                long id = insertedId("inserting a document", INSERT_NEW, new Object[] {tenantId, fit("container type", containerType, 100),
                        fit("container uid", containerUid, 64), fit("document type", typeId, 64),
                        fit("subject", subject == null ? "" : subject, 1000), createdBy, utc(createdAt), utc(createdAt), fileOuid});
                putAttributes(tenantId, id, attributes);
                return id;
            });
        }
        return db.inTransaction(() -> {
            var values = new Object[] {tenantId, fit("container type", containerType, 100), fit("container uid", containerUid, 64),
                    fit("document type", typeId, 64), fit("subject", subject == null ? "" : subject, 1000), 1, createdBy, utc(createdAt),
                    utc(createdAt)};
            long id = insertedId("document inserted", () -> db.sql().insertInto(DOCUMENT.T, DOCUMENT.TENANT_ID, DOCUMENT.CONTAINER_TYPE,
                            DOCUMENT.CONTAINER_UID, DOCUMENT.TYPE_ID, DOCUMENT.SUBJECT, DOCUMENT.CURRENT_VERSION, DOCUMENT.CREATED_BY,
                            DOCUMENT.CREATED_AT, DOCUMENT.CHANGED_AT)
                    .values(java.util.Arrays.asList(values))
                    .returningResult(DOCUMENT.ID), values);
            insertVersion(tenantId, id, 1, fileOuid, createdBy, createdAt);
            putAttributes(tenantId, id, attributes);
            tally(tenantId, id, 1);
            return id;
        });
    }

    /** On PostgreSQL one statement writes the file, the document, its version and its tally (over plain JDBC: it is every upload's). */
    @Override
    public long insertWithFile(long tenantId, String containerType, String containerUid, String typeId, String subject,
                               Map<String, String> attributes, StoredFile file, Long createdBy, Instant createdAt) {
        if (!postgres) {
            return db.inTransaction(() -> {
                SqlFileRepository.insert(db, file);
                return insert(tenantId, containerType, containerUid, typeId, subject, attributes, file.ouid(), createdBy, createdAt);
            });
        }
        return db.inTransaction(() -> {
            long id = insertedId("inserting a document and its file", INSERT_NEW_WITH_FILE, new Object[] {
                    file.ouid(), file.tenantId(), file.blobId(), fit("file name", file.name(), 255), fit("media type", file.mediaType(), 255),
                    file.size(), file.sha256(), file.uploadedBy(), utc(file.uploadedAt()), utc(file.expiresAt()), file.state().name(),
                    tenantId, fit("container type", containerType, 100), fit("container uid", containerUid, 64), fit("document type", typeId, 64),
                    fit("subject", subject == null ? "" : subject, 1000), createdBy, utc(createdAt), utc(createdAt), file.ouid()});
            putAttributes(tenantId, id, attributes);
            return id;
        });
    }

    /** The new document's id that {@code sql} (an {@link #INSERT_NEW} statement) answers. */
    private long insertedId(String what, String sql, Object[] binds) {
        long[] id = new long[1];
        db.read(Database.Plan.REUSED, what, sql, binds, rs -> {
            rs.next();
            id[0] = rs.getLong(1);
        });
        return id[0];
    }

    /** The new document's id that {@code insert}, rendered once for {@code shape}, answers. */
    private long insertedId(String shape, java.util.function.Supplier<? extends org.jooq.ResultQuery<?>> insert, Object[] binds) {
        long[] id = new long[1];
        db.read(Database.Plan.REUSED, shape, insert, binds, "inserting a document", rs -> {
            rs.next();
            id[0] = rs.getLong(1);
        });
        return id[0];
    }

    /** Raising the version number first locks the document, so concurrent versions get distinct numbers. */
    @Override
    public int addVersion(long tenantId, long documentId, String fileOuid, Long createdBy, Instant createdAt) {
        return db.inTransaction(() -> {
            if (lock(tenantId, documentId).isEmpty()) {
                throw Failure.notFound("no document " + documentId);
            }
            tally(tenantId, documentId, -1);
            var raised = db.sql().update(DOCUMENT.T)
                    .set(DOCUMENT.CURRENT_VERSION, DOCUMENT.CURRENT_VERSION.plus(1))
                    .set(DOCUMENT.ENTITY_VERSION, DOCUMENT.ENTITY_VERSION.plus(1))
                    .set(DOCUMENT.CHANGED_AT, utc(createdAt))
                    .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))
                    .execute();
            if (raised == 0) {
                throw Failure.notFound("no document " + documentId);
            }
            tally(tenantId, documentId, 1);
            int version = db.sql().select(DOCUMENT.CURRENT_VERSION).from(DOCUMENT.T)
                    .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))
                    .fetchSingle(DOCUMENT.CURRENT_VERSION);
            insertVersion(tenantId, documentId, version, fileOuid, createdBy, createdAt);
            return version;
        });
    }

    private void insertVersion(long tenantId, long documentId, int version, String fileOuid, Long createdBy, Instant createdAt) {
        db.execute("document version inserted", () -> db.sql().insertInto(DOCUMENT_VERSION.T, DOCUMENT_VERSION.DOCUMENT_ID,
                                DOCUMENT_VERSION.VERSION, DOCUMENT_VERSION.FILE_OUID, DOCUMENT_VERSION.CREATED_BY, DOCUMENT_VERSION.CREATED_AT)
                        .select(select(DOCUMENT.ID, val(version), val(fileOuid), val(createdBy, Long.class), val(utc(createdAt)))
                                .from(DOCUMENT.T)
                                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))),
                new Object[] {version, fileOuid, createdBy, utc(createdAt), tenantId, documentId}, "adding a document version");
    }

    @Override
    public Optional<Document> find(long tenantId, long documentId) {
        return withAttributes(tenantId, selectDocuments(tenantId, DOCUMENT.ID.eq(documentId)).fetch()).stream().findFirst();
    }

    @Override
    public Optional<Document> findByFile(long tenantId, String fileOuid) {
        return withAttributes(tenantId, selectDocuments(tenantId, DOCUMENT_VERSION.FILE_OUID.eq(fileOuid)).fetch())
                .stream().findFirst();
    }

    /**
     * One statement: the page of documents joined to their current version's file, their type's
     * name and their creator's display name, with their attributes as two arrays
     * ({@link #ATTRIBUTE_NAMES}, correlated subqueries aggregated with ARRAY_AGG on H2 and PostgreSQL alike).
     */
    @Override
    public List<ListedDocument> page(long tenantId, String containerType, String containerUid, int offset, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        var creator = DSL.field(DSL.name("creator", "display_name"), String.class);
        var columns = new ArrayList<SelectField<?>>(DOCUMENT_COLUMNS);
        columns.add(typeName.as("type_name"));
        columns.add(creator.as("creator_name"));
        columns.add(ATTRIBUTE_NAMES);
        columns.add(ATTRIBUTE_VALUES);
        var from = DOCUMENT.T
                .join(DOCUMENT_VERSION.T).on(DOCUMENT_VERSION.DOCUMENT_ID.eq(DOCUMENT.ID), DOCUMENT_VERSION.VERSION.eq(DOCUMENT.CURRENT_VERSION))
                .join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID))
                .leftJoin(USER.T.as("creator")).on(DSL.field(DSL.name("creator", "id"), Long.class).eq(DOCUMENT.CREATED_BY),
                        DSL.field(DSL.name("creator", "tenant_id"), Long.class).eq(DOCUMENT.TENANT_ID));
        if (typeTable != null) {
            from = from.leftJoin(typeTable).on(DSL.field(DSL.name("dt", "tenant_id"), Long.class).eq(DOCUMENT.TENANT_ID),
                    DSL.field(DSL.name("dt", "uid"), String.class).eq(DOCUMENT.TYPE_ID));
        }
        return db.sql().select(columns).from(from)
                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.CONTAINER_TYPE.eq(containerType), DOCUMENT.CONTAINER_UID.eq(containerUid))
                .orderBy(DOCUMENT.CREATED_AT.desc(), DOCUMENT.ID.desc())
                .offset(Math.max(0, offset))
                .limit(limit)
                .fetch(r -> {
                    return new ListedDocument(document(r, attributes(r)), r.get("type_name", String.class), r.get("creator_name", String.class));
                });
    }

    @Override
    public long count(long tenantId, String containerType, String containerUid) {
        return db.sql().fetchCount(DOCUMENT.T, DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.CONTAINER_TYPE.eq(containerType),
                DOCUMENT.CONTAINER_UID.eq(containerUid));
    }

    /** Locks the document first, so two concurrent updates of one attribute apply one after the other. */
    @Override
    public boolean update(long tenantId, long documentId, String typeId, String subject, Map<String, String> attributes, Instant at) {
        return db.inTransaction(() -> {
            if (lock(tenantId, documentId).isEmpty()) {
                return false;
            }
            var changes = new HashMap<Field<?>, Object>();
            if (typeId != null) {
                changes.put(DOCUMENT.TYPE_ID, fit("document type", typeId, 64));
            }
            if (subject != null) {
                changes.put(DOCUMENT.SUBJECT, fit("subject", subject, 1000));
            }
            changes.put(DOCUMENT.ENTITY_VERSION, DOCUMENT.ENTITY_VERSION.plus(1));
            changes.put(DOCUMENT.CHANGED_AT, utc(at));
            tally(tenantId, documentId, -1);
            db.sql().update(DOCUMENT.T).set(changes).where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId)).execute();
            tally(tenantId, documentId, 1);
            putAttributes(tenantId, documentId, attributes);
            return true;
        });
    }

    @Override
    public List<String> delete(long tenantId, long documentId) {
        return db.inTransaction(() -> {
            if (lock(tenantId, documentId).isEmpty()) {
                return List.<String>of();
            }
            tally(tenantId, documentId, -1);
            var files = db.sql().select(DOCUMENT_VERSION.FILE_OUID).from(DOCUMENT_VERSION.T)
                    .where(ofDocument(tenantId, documentId, DOCUMENT_VERSION.DOCUMENT_ID))
                    .orderBy(DOCUMENT_VERSION.VERSION)
                    .fetch(DOCUMENT_VERSION.FILE_OUID);
            db.sql().deleteFrom(DOCUMENT_ATTRIBUTE.T).where(ofDocument(tenantId, documentId, DOCUMENT_ATTRIBUTE.DOCUMENT_ID)).execute();
            db.sql().deleteFrom(DOCUMENT_VERSION.T).where(ofDocument(tenantId, documentId, DOCUMENT_VERSION.DOCUMENT_ID)).execute();
            db.sql().deleteFrom(DOCUMENT.T).where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId)).execute();
            return files;
        });
    }

    private Optional<Long> lock(long tenantId, long documentId) {
        return db.sql().select(DOCUMENT.ID).from(DOCUMENT.T)
                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))
                .forUpdate()
                .fetchOptional(DOCUMENT.ID);
    }

    /** Rows of a child table ({@code documentIdColumn}) that belong to the tenant's document. */
    private static Condition ofDocument(long tenantId, long documentId, Field<Long> documentIdColumn) {
        return documentIdColumn.eq(documentId)
                .and(documentIdColumn.in(select(DOCUMENT.ID).from(DOCUMENT.T).where(DOCUMENT.TENANT_ID.eq(tenantId))));
    }

    /** Replaces the given attributes; a null value removes one. */
    private void putAttributes(long tenantId, long documentId, Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return;
        }
        db.sql().deleteFrom(DOCUMENT_ATTRIBUTE.T)
                .where(ofDocument(tenantId, documentId, DOCUMENT_ATTRIBUTE.DOCUMENT_ID), DOCUMENT_ATTRIBUTE.NAME.in(attributes.keySet()))
                .execute();
        attributes.forEach((name, value) -> {
            if (value != null) {
                db.sql().insertInto(DOCUMENT_ATTRIBUTE.T, DOCUMENT_ATTRIBUTE.DOCUMENT_ID, DOCUMENT_ATTRIBUTE.NAME, DOCUMENT_ATTRIBUTE.VALUE)
                        .select(select(DOCUMENT.ID, val(fit("attribute name", name, 100)), val(fit("attribute " + name, value, 1000)))
                                .from(DOCUMENT.T)
                                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId)))
                        .execute();
            }
        });
    }

    /** The tenant's documents matching {@code conditions}, joined to their current version and its file. */
    private SelectConditionStep<Record> selectDocuments(long tenantId, Condition... conditions) {
        return db.sql().select(DOCUMENT_COLUMNS).from(DOCUMENT.T)
                .join(DOCUMENT_VERSION.T).on(DOCUMENT_VERSION.DOCUMENT_ID.eq(DOCUMENT.ID),
                        DOCUMENT_VERSION.VERSION.eq(DOCUMENT.CURRENT_VERSION))
                .join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID))
                .where(DOCUMENT.TENANT_ID.eq(tenantId))
                .and(DSL.and(conditions));
    }

    /** The documents of {@code rows} with their attributes, fetched in one query for all of them. */
    private List<Document> withAttributes(long tenantId, List<Record> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        var ids = rows.stream().map(r -> r.get(DOCUMENT.ID)).toList();
        var attributes = attributes(tenantId, ids);
        return rows.stream().map(r -> document(r, attributes.getOrDefault(r.get(DOCUMENT.ID), Map.of()))).toList();
    }

    private Map<Long, Map<String, String>> attributes(long tenantId, Collection<Long> documentIds) {
        var byDocument = new HashMap<Long, Map<String, String>>();
        db.sql().select(DOCUMENT_ATTRIBUTE.DOCUMENT_ID, DOCUMENT_ATTRIBUTE.NAME, DOCUMENT_ATTRIBUTE.VALUE)
                .from(DOCUMENT_ATTRIBUTE.T)
                .join(DOCUMENT.T).on(DOCUMENT.ID.eq(DOCUMENT_ATTRIBUTE.DOCUMENT_ID))
                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT_ATTRIBUTE.DOCUMENT_ID.in(documentIds))
                .forEach(r -> byDocument.computeIfAbsent(r.value1(), id -> new HashMap<>()).put(r.value2(), r.value3()));
        return byDocument;
    }

    private static Document document(Record r, Map<String, String> attributes) {
        return new Document(r.get(DOCUMENT.ID), r.get(DOCUMENT.TENANT_ID), r.get(DOCUMENT.CONTAINER_TYPE), r.get(DOCUMENT.CONTAINER_UID),
                r.get(DOCUMENT.TYPE_ID), r.get(DOCUMENT.SUBJECT), attributes, r.get(DOCUMENT.CURRENT_VERSION), SqlFileRepository.file(r),
                r.get(DOCUMENT.CREATED_BY), r.get(DOCUMENT.CREATED_AT).toInstant(), r.get(DOCUMENT.ENTITY_VERSION));
    }

    // ---- versions, moves and containers of several uids

    @Override
    public List<io.dossier.core.document.DocumentVersion> versions(long tenantId, long documentId) {
        var columns = new ArrayList<SelectField<?>>(List.of(DOCUMENT_VERSION.VERSION, DOCUMENT_VERSION.CREATED_BY, DOCUMENT_VERSION.CREATED_AT));
        columns.addAll(SqlFileRepository.FILE_COLUMNS);
        return db.sql().select(columns).from(DOCUMENT_VERSION.T)
                .join(DOCUMENT.T).on(DOCUMENT.ID.eq(DOCUMENT_VERSION.DOCUMENT_ID))
                .join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID))
                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))
                .orderBy(DOCUMENT_VERSION.VERSION)
                .fetch(r -> new io.dossier.core.document.DocumentVersion(documentId, r.get(DOCUMENT_VERSION.VERSION), SqlFileRepository.file(r),
                        r.get(DOCUMENT_VERSION.CREATED_BY), r.get(DOCUMENT_VERSION.CREATED_AT).toInstant()));
    }

    /** Locks the document first, so two concurrent deletions cannot both leave it without a version. */
    @Override
    public Optional<String> deleteVersion(long tenantId, long documentId, int version, Instant at) {
        return db.inTransaction(() -> {
            if (lock(tenantId, documentId).isEmpty()) {
                return Optional.<String>empty();
            }
            var numbers = db.sql().select(DOCUMENT_VERSION.VERSION).from(DOCUMENT_VERSION.T)
                    .where(ofDocument(tenantId, documentId, DOCUMENT_VERSION.DOCUMENT_ID))
                    .orderBy(DOCUMENT_VERSION.VERSION).fetch(DOCUMENT_VERSION.VERSION);
            if (!numbers.contains(version)) {
                return Optional.<String>empty();
            }
            if (numbers.size() == 1) {
                throw Failure.conflict("You cannot delete the only version of a document");
            }
            var file = db.sql().select(DOCUMENT_VERSION.FILE_OUID).from(DOCUMENT_VERSION.T)
                    .where(ofDocument(tenantId, documentId, DOCUMENT_VERSION.DOCUMENT_ID), DOCUMENT_VERSION.VERSION.eq(version))
                    .fetchSingle(DOCUMENT_VERSION.FILE_OUID);
            db.sql().deleteFrom(DOCUMENT_VERSION.T)
                    .where(ofDocument(tenantId, documentId, DOCUMENT_VERSION.DOCUMENT_ID), DOCUMENT_VERSION.VERSION.eq(version)).execute();
            int newest = numbers.stream().filter(n -> n != version).mapToInt(Integer::intValue).max().orElseThrow();
            tally(tenantId, documentId, -1);
            db.sql().update(DOCUMENT.T)
                    .set(DOCUMENT.CURRENT_VERSION, newest)
                    .set(DOCUMENT.ENTITY_VERSION, DOCUMENT.ENTITY_VERSION.plus(1))
                    .set(DOCUMENT.CHANGED_AT, utc(at))
                    .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId)).execute();
            tally(tenantId, documentId, 1);
            return Optional.of(file);
        });
    }

    @Override
    public boolean move(long tenantId, long documentId, String containerType, String containerUid, Instant at) {
        var type = fit("container type", containerType, 100);
        var uid = fit("container uid", containerUid, 64);
        return db.inTransaction(() -> {
            if (lock(tenantId, documentId).isEmpty()) {
                return false;
            }
            tally(tenantId, documentId, -1);
            db.sql().update(DOCUMENT.T)
                    .set(DOCUMENT.CONTAINER_TYPE, type)
                    .set(DOCUMENT.CONTAINER_UID, uid)
                    .set(DOCUMENT.ENTITY_VERSION, DOCUMENT.ENTITY_VERSION.plus(1))
                    .set(DOCUMENT.CHANGED_AT, utc(at))
                    .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))
                    .execute();
            tally(tenantId, documentId, 1);
            return true;
        });
    }

    /** The tally's slots: this many seconds each, from the epoch. */
    private static final int SLOT_SECONDS = 10;

    /** The slot of a document's latest change, as the tally counts it (V28's expression). */
    private static final Field<Long> SLOT_OF_CHANGE = DSL.field("floor(extract(epoch from {0}) / " + SLOT_SECONDS + ")", Long.class,
            DOCUMENT.CHANGED_AT);

    /**
     * Adds {@code documents} (1 or -1) to the tally of the document's container at the slot of its
     * latest change, as its row says now: -1 before a change (the document locked), 1 after it.
     */
    private void tally(long tenantId, long documentId, long documents) {
        db.execute("document tallied", () -> db.sql().insertInto(DOCUMENT_TALLY.T, DOCUMENT_TALLY.TENANT_ID, DOCUMENT_TALLY.CONTAINER_TYPE,
                                DOCUMENT_TALLY.CONTAINER_UID, DOCUMENT_TALLY.SLOT, DOCUMENT_TALLY.DOCUMENTS)
                        .select(select(DOCUMENT.TENANT_ID, DOCUMENT.CONTAINER_TYPE, DOCUMENT.CONTAINER_UID, SLOT_OF_CHANGE, val(documents))
                                .from(DOCUMENT.T)
                                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.ID.eq(documentId))),
                new Object[] {documents, tenantId, documentId}, "counting a document in its container's tally");
    }

    @Override
    public List<ListedDocument> pageIn(long tenantId, String containerType, Collection<String> containerUids, int offset, int limit) {
        if (limit <= 0 || containerUids.isEmpty()) {
            return List.of();
        }
        var ids = db.sql().select(DOCUMENT.ID).from(DOCUMENT.T)
                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.CONTAINER_TYPE.eq(containerType), DOCUMENT.CONTAINER_UID.in(containerUids))
                .orderBy(DOCUMENT.CREATED_AT.desc(), DOCUMENT.ID.desc())
                .offset(Math.max(0, offset))
                .limit(limit)
                .fetch(DOCUMENT.ID);
        var byId = new HashMap<Long, Document>();
        withAttributes(tenantId, selectDocuments(tenantId, DOCUMENT.ID.in(ids)).fetch()).forEach(d -> byId.put(d.id(), d));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).map(d -> new ListedDocument(d, null, null)).toList();
    }

    @Override
    public long countIn(long tenantId, String containerType, Collection<String> containerUids) {
        if (containerUids.isEmpty()) {
            return 0;
        }
        return db.sql().fetchCount(DOCUMENT.T, DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.CONTAINER_TYPE.eq(containerType),
                DOCUMENT.CONTAINER_UID.in(containerUids));
    }

    /**
     * One statement: the page in the order of the documents' latest change (a folder's read along
     * document_container_changed), joined to their current version's file, with their attributes as
     * two arrays, as {@link #page} reads them; one snapshot, so a page shorter than asked ends the
     * list. A poll sends it on every request: rendered once per number of containers, read over plain JDBC.
     */
    @Override
    public List<ChangedDocument> changedIn(long tenantId, String containerType, Collection<String> containerUids, Instant after,
                                           int offset, int limit) {
        if (limit <= 0 || containerUids.isEmpty()) {
            return List.of();
        }
        var binds = changedInBinds(tenantId, containerType, containerUids, after);
        binds.put("offset", Math.max(0, offset));
        binds.put("limit", limit);
        var out = new ArrayList<ChangedDocument>(Math.min(limit, 1000));
        int uids = containerUids.size();
        db.read(Database.Plan.EACH_RUN, List.of("documents changed in", uids), () -> {
            var columns = new ArrayList<SelectField<?>>(DOCUMENT_COLUMNS);
            columns.add(DOCUMENT.CHANGED_AT);
            columns.add(ATTRIBUTE_PAIRS);
            return DSL.select(columns).from(DOCUMENT.T)
                    .join(DOCUMENT_VERSION.T).on(DOCUMENT_VERSION.DOCUMENT_ID.eq(DOCUMENT.ID), DOCUMENT_VERSION.VERSION.eq(DOCUMENT.CURRENT_VERSION))
                    .join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID))
                    .where(changedIn(uids))
                    .orderBy(DOCUMENT.CHANGED_AT, DOCUMENT.ID)
                    .offset(DSL.param("offset", Integer.class))
                    .limit(DSL.param("limit", Integer.class));
        }, binds, "reading the documents changed after a time", rs -> {
            int changedAt = DOCUMENT_COLUMNS.size() + 1;
            while (rs.next()) {
                var attributes = new HashMap<String, String>();
                var pairs = rs.getArray(changedAt + 1);
                if (pairs != null) {
                    for (var pair : (Object[]) pairs.getArray()) {
                        // PostgreSQL's driver reads a two-dimensional array as arrays, H2's as arrays of java.sql.Array
                        var nameAndValue = (Object[]) (pair instanceof java.sql.Array inner ? inner.getArray() : pair);
                        attributes.put((String) nameAndValue[0], (String) nameAndValue[1]);
                    }
                }
                out.add(new ChangedDocument(document(rs, attributes), rs.getObject(changedAt, java.time.OffsetDateTime.class).toInstant()));
            }
        });
        return out;
    }

    /** A document from the current row of {@code rs}, its {@link #DOCUMENT_COLUMNS} first. */
    private static Document document(java.sql.ResultSet rs, Map<String, String> attributes) throws java.sql.SQLException {
        long createdById = rs.getLong(8);
        Long createdBy = rs.wasNull() ? null : createdById;
        return new Document(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), attributes,
                rs.getInt(7), SqlFileRepository.file(rs, 11), createdBy, rs.getObject(9, java.time.OffsetDateTime.class).toInstant(),
                rs.getLong(10));
    }

    /** The named parameters of {@link #changedIn(int)}. */
    private static Map<String, Object> changedInBinds(long tenantId, String containerType, Collection<String> containerUids, Instant after) {
        var binds = new HashMap<String, Object>();
        binds.put("tenantId", tenantId);
        binds.put("containerType", containerType);
        int i = 0;
        for (var uid : containerUids) {
            binds.put("uid" + i++, uid);
        }
        binds.put("after", utc(after));
        return binds;
    }

    /** Documents of the tenant's containers changed after a time, as named parameters ({@link #changedInBinds}). */
    private static Condition changedIn(int containerUids) {
        return inContainers(containerUids).and(DOCUMENT.CHANGED_AT.gt(DSL.param("after", java.time.OffsetDateTime.class)));
    }

    /** Documents of the tenant's containers, as named parameters ({@link #changedInBinds}). */
    private static Condition inContainers(int containerUids) {
        return DOCUMENT.TENANT_ID.eq(DSL.param("tenantId", Long.class)).and(DOCUMENT.CONTAINER_TYPE.eq(DSL.param("containerType", String.class)))
                .and(DOCUMENT.CONTAINER_UID.in(uidParams(containerUids)));
    }

    /** The named parameters {@code uid0}, {@code uid1}, … that {@link #changedInBinds} binds. */
    private static List<Field<String>> uidParams(int containerUids) {
        var uids = new ArrayList<Field<String>>(containerUids);
        for (int i = 0; i < containerUids; i++) {
            uids.add(DSL.param("uid" + i, String.class));
        }
        return uids;
    }

    @Override
    public long countChangedIn(long tenantId, String containerType, Collection<String> containerUids, Instant after) {
        if (containerUids.isEmpty()) {
            return 0;
        }
        // one statement, one snapshot: the tally of the slots after afterDate's, summed, and the
        // documents of afterDate's own slot counted from the nearer end of the slot: those changed
        // after afterDate when it lies in the slot's later half, else the tally of the slot too less
        // those changed from the slot's start to afterDate (a slot of a busy container holds
        // thousands: half of them on average were counted, a quarter now)
        long slot = Math.floorDiv(after.getEpochSecond(), SLOT_SECONDS);
        var slotStart = Instant.ofEpochSecond(slot * SLOT_SECONDS);
        boolean fromStart = java.time.Duration.between(slotStart, after).compareTo(java.time.Duration.ofSeconds(SLOT_SECONDS).dividedBy(2)) < 0;
        long afterSlot = fromStart ? slot - 1 : slot;
        var binds = changedInBinds(tenantId, containerType, containerUids, after);
        binds.put(fromStart ? "slotStart" : "slotEnd", utc(fromStart ? slotStart : slotStart.plusSeconds(SLOT_SECONDS)));
        binds.put("afterSlot", afterSlot);
        int uids = containerUids.size();
        long[] r = new long[4];
        db.read(Database.Plan.EACH_RUN, List.of("documents changed in, counted", uids, fromStart), () -> {
            var inSlot = fromStart
                    ? DSL.field(select(DSL.count().neg()).from(DOCUMENT.T)
                            .where(inContainers(uids), DOCUMENT.CHANGED_AT.ge(DSL.param("slotStart", java.time.OffsetDateTime.class)),
                                    DOCUMENT.CHANGED_AT.le(DSL.param("after", java.time.OffsetDateTime.class))))
                    : DSL.field(select(DSL.count()).from(DOCUMENT.T)
                            .where(changedIn(uids), DOCUMENT.CHANGED_AT.lt(DSL.param("slotEnd", java.time.OffsetDateTime.class))));
            var slots = DSL.countDistinct(DSL.concat(DOCUMENT_TALLY.CONTAINER_UID, DSL.inline(" "),
                    DOCUMENT_TALLY.SLOT.cast(org.jooq.impl.SQLDataType.VARCHAR(20))));
            return DSL.select(inSlot, DSL.sum(DOCUMENT_TALLY.DOCUMENTS), DSL.count(), slots).from(DOCUMENT_TALLY.T)
                    .where(DOCUMENT_TALLY.TENANT_ID.eq(DSL.param("tenantId", Long.class)),
                            DOCUMENT_TALLY.CONTAINER_TYPE.eq(DSL.param("containerType", String.class)),
                            DOCUMENT_TALLY.CONTAINER_UID.in(uidParams(uids)), DOCUMENT_TALLY.SLOT.gt(DSL.param("afterSlot", Long.class)));
        }, binds, "counting the documents changed after a time", rs -> {
            rs.next();
            for (int i = 0; i < r.length; i++) {
                r[i] = rs.getLong(i + 1);   // a sum over no rows is null: 0
            }
        });
        Tallies.sumIfMany(db, r[2], r[3], DOCUMENT_TALLY.T, DOCUMENT_TALLY.ID,
                List.of(DOCUMENT_TALLY.TENANT_ID, DOCUMENT_TALLY.CONTAINER_TYPE, DOCUMENT_TALLY.CONTAINER_UID, DOCUMENT_TALLY.SLOT),
                DOCUMENT_TALLY.DOCUMENTS, tallied(tenantId, containerType, containerUids, afterSlot));
        return r[0] + r[1];
    }

    private static Condition tallied(long tenantId, String containerType, Collection<String> containerUids, long afterSlot) {
        return DOCUMENT_TALLY.TENANT_ID.eq(tenantId).and(DOCUMENT_TALLY.CONTAINER_TYPE.eq(containerType))
                .and(DOCUMENT_TALLY.CONTAINER_UID.in(containerUids)).and(DOCUMENT_TALLY.SLOT.gt(afterSlot));
    }

    private static Condition changedIn(long tenantId, String containerType, Collection<String> containerUids, Instant after) {
        return DOCUMENT.TENANT_ID.eq(tenantId).and(DOCUMENT.CONTAINER_TYPE.eq(containerType)).and(DOCUMENT.CONTAINER_UID.in(containerUids))
                .and(DOCUMENT.CHANGED_AT.gt(utc(after)));
    }

    @Override
    public boolean containsContent(long tenantId, String containerType, Collection<String> containerUids, String sha256) {
        if (containerUids.isEmpty()) {
            return false;
        }
        return db.sql().fetchExists(select(DOCUMENT.ID).from(DOCUMENT.T)
                .join(DOCUMENT_VERSION.T).on(DOCUMENT_VERSION.DOCUMENT_ID.eq(DOCUMENT.ID))
                .join(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID))
                .where(DOCUMENT.TENANT_ID.eq(tenantId), DOCUMENT.CONTAINER_TYPE.eq(containerType), DOCUMENT.CONTAINER_UID.in(containerUids),
                        STORED_FILE.SHA256.eq(sha256)));
    }

    @Override
    public List<Document> findAll(long tenantId, Collection<Long> documentIds) {
        if (documentIds.isEmpty()) {
            return List.of();
        }
        return withAttributes(tenantId, selectDocuments(tenantId, DOCUMENT.ID.in(documentIds)).fetch());
    }
}
