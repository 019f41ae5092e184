package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.DOCUMENT_VERSION;
import static io.dossier.store.sql.Tables.STORED_FILE;
import static org.jooq.impl.DSL.notExists;
import static org.jooq.impl.DSL.selectOne;

import io.dossier.core.Failure;
import io.dossier.core.content.FileRepository;
import io.dossier.core.content.StoredFile;
import io.dossier.core.content.StoredFile.State;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;

public final class SqlFileRepository implements FileRepository {

    /** The columns of a stored file, selected explicitly so that a join can carry them too. */
    static final List<SelectField<?>> FILE_COLUMNS = List.of(STORED_FILE.OUID, STORED_FILE.TENANT_ID, STORED_FILE.BLOB_ID,
            STORED_FILE.NAME, STORED_FILE.MEDIA_TYPE, STORED_FILE.SIZE, STORED_FILE.SHA256, STORED_FILE.UPLOADED_BY,
            STORED_FILE.UPLOADED_AT, STORED_FILE.EXPIRES_AT, STORED_FILE.STATE);

    private final Database db;

    public SqlFileRepository(Database db) {
        this.db = db;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    @Override
    public void insert(StoredFile file) {
        insert(db, file);
    }

    static void insert(Database db, StoredFile file) {
        var values = new Object[] {file.ouid(), file.tenantId(), file.blobId(), fit("file name", file.name(), 255),
                fit("media type", file.mediaType(), 255), file.size(), file.sha256(), file.uploadedBy(), utc(file.uploadedAt()),
                utc(file.expiresAt()), file.state().name()};
        db.execute("stored file inserted", () -> db.sql().insertInto(STORED_FILE.T, STORED_FILE.OUID, STORED_FILE.TENANT_ID,
                        STORED_FILE.BLOB_ID, STORED_FILE.NAME, STORED_FILE.MEDIA_TYPE, STORED_FILE.SIZE, STORED_FILE.SHA256,
                        STORED_FILE.UPLOADED_BY, STORED_FILE.UPLOADED_AT, STORED_FILE.EXPIRES_AT, STORED_FILE.STATE)
                .values(java.util.Arrays.asList(values)), values, "storing a file");
    }

    @Override
    public Optional<StoredFile> find(long tenantId, String ouid) {
        return db.sql().select(FILE_COLUMNS).from(STORED_FILE.T)
                .where(STORED_FILE.TENANT_ID.eq(tenantId), STORED_FILE.OUID.eq(ouid))
                .fetchOptional(SqlFileRepository::file);
    }

    /**
     * One conditional update that returns the file it bound: of two concurrent binds of a file, the
     * second finds it no longer UPLOADED.
     */
    @Override
    public Optional<StoredFile> bind(long tenantId, String ouid) {
        var bound = new StoredFile[1];
        db.read(Database.Plan.REUSED, "stored file bound", () -> db.sql().update(STORED_FILE.T)
                .set(STORED_FILE.STATE, DSL.inline(State.BOUND.name()))
                .set(STORED_FILE.EXPIRES_AT, DSL.inline(null, STORED_FILE.EXPIRES_AT))
                .where(STORED_FILE.TENANT_ID.eq(tenantId), STORED_FILE.OUID.eq(ouid), STORED_FILE.STATE.eq(DSL.inline(State.UPLOADED.name())))
                .returningResult(FILE_COLUMNS), new Object[] {tenantId, ouid}, "binding a file", rs -> {
                    if (rs.next()) {
                        bound[0] = file(rs, 1);
                    }
                });
        return Optional.ofNullable(bound[0]);
    }

    /** Keeps the first deletion time of a file deleted twice, so its grace period is not extended. */
    @Override
    public boolean markDeleted(long tenantId, String ouid, Instant when) {
        var changed = db.sql().update(STORED_FILE.T)
                .set(STORED_FILE.STATE, State.DELETED.name())
                .set(STORED_FILE.DELETED_AT, utc(when))
                .where(STORED_FILE.TENANT_ID.eq(tenantId), STORED_FILE.OUID.eq(ouid), STORED_FILE.STATE.ne(State.DELETED.name()))
                .execute() > 0;
        return changed || db.sql().fetchExists(STORED_FILE.T, STORED_FILE.TENANT_ID.eq(tenantId), STORED_FILE.OUID.eq(ouid));
    }

    /**
     * Two claims, one per index: expired uploads first, then deleted files past the grace period.
     * A file some document version still points at is never claimed (an UPLOADED file never had
     * one, a DELETED one has none once its document is gone), so such rows cannot crowd out the rest.
     */
    @Override
    public List<StoredFile> claimCollectable(Instant expiredBefore, Instant deletedBefore, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return db.inTransaction(() -> {
            var claimed = new ArrayList<>(claim(State.UPLOADED, STORED_FILE.EXPIRES_AT, expiredBefore, limit));
            if (claimed.size() < limit) {
                claimed.addAll(claim(State.DELETED, STORED_FILE.DELETED_AT, deletedBefore, limit - claimed.size()));
            }
            if (!claimed.isEmpty()) {
                db.sql().deleteFrom(STORED_FILE.T).where(STORED_FILE.OUID.in(claimed.stream().map(StoredFile::ouid).toList())).execute();
            }
            return claimed;
        });
    }

    /** Locks up to {@code limit} rows in {@code state} with {@code time} before {@code before}, skipping rows other nodes hold. */
    private List<StoredFile> claim(State state, Field<OffsetDateTime> time, Instant before, int limit) {
        Condition unreferenced = notExists(selectOne().from(DOCUMENT_VERSION.T).where(DOCUMENT_VERSION.FILE_OUID.eq(STORED_FILE.OUID)));
        return db.sql().select(FILE_COLUMNS).from(STORED_FILE.T)
                .where(STORED_FILE.STATE.eq(state.name()), time.lt(utc(before)), unreferenced)
                .orderBy(time, STORED_FILE.OUID)
                .limit(limit)
                .forUpdate().skipLocked()
                .fetch(SqlFileRepository::file);
    }

    /** Both tables that hold blob ids, each searched through its blob index (V5). */
    @Override
    public java.util.Set<String> referencedBlobs(java.util.Collection<String> blobIds) {
        if (blobIds.isEmpty()) {
            return java.util.Set.of();
        }
        return db.sql().select(STORED_FILE.BLOB_ID).from(STORED_FILE.T).where(STORED_FILE.BLOB_ID.in(blobIds))
                .unionAll(db.sql().select(Tables.UPLOAD_CHUNK.BLOB_ID).from(Tables.UPLOAD_CHUNK.T).where(Tables.UPLOAD_CHUNK.BLOB_ID.in(blobIds)))
                .fetchSet(0, String.class);
    }

    /** A file from the current row of {@code rs}, its {@link #FILE_COLUMNS} from {@code column} on. */
    static StoredFile file(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long uploadedById = rs.getLong(column + 7);
        Long uploadedBy = rs.wasNull() ? null : uploadedById;
        return new StoredFile(rs.getString(column), rs.getLong(column + 1), rs.getString(column + 2), rs.getString(column + 3),
                rs.getString(column + 4), rs.getLong(column + 5), rs.getString(column + 6), uploadedBy,
                instant(rs.getObject(column + 8, OffsetDateTime.class)), instant(rs.getObject(column + 9, OffsetDateTime.class)),
                State.valueOf(rs.getString(column + 10)));
    }

    /** A stored file from a row holding {@link #FILE_COLUMNS}. */
    static StoredFile file(Record r) {
        return new StoredFile(r.get(STORED_FILE.OUID), r.get(STORED_FILE.TENANT_ID), r.get(STORED_FILE.BLOB_ID), r.get(STORED_FILE.NAME),
                r.get(STORED_FILE.MEDIA_TYPE), r.get(STORED_FILE.SIZE), r.get(STORED_FILE.SHA256), r.get(STORED_FILE.UPLOADED_BY),
                instant(r.get(STORED_FILE.UPLOADED_AT)), instant(r.get(STORED_FILE.EXPIRES_AT)), State.valueOf(r.get(STORED_FILE.STATE)));
    }

    /**
     * Refuses a value longer than its column, as bad input rather than a database error. Counted in
     * chars, as H2 counts a column's length and core checks lengths; PostgreSQL counts characters,
     * never more than chars (an emoji is one character, two chars), so what passes fits both
     * databases alike. Counted in characters, a file name of 185 emoji passed and overflowed H2.
     */
    static String fit(String what, String value, int maxCharacters) {
        if (value != null && value.length() > maxCharacters) {
            throw Failure.invalid(what + " is longer than " + maxCharacters + " characters");
        }
        return value;
    }
}
