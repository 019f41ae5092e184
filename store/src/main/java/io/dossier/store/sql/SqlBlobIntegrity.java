package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.utc;
import static io.dossier.store.sql.Tables.STORED_FILE;
import static io.dossier.store.sql.Tables.TENANT;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;

import io.dossier.core.content.BlobIntegrity;
import io.dossier.core.content.StoredFile;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;

/** Damaged blobs in {@code damaged_blob} and the scrub's position in {@code blob_scrub} (V23). */
public final class SqlBlobIntegrity implements BlobIntegrity {

    private static final Table<Record> DAMAGED = table(name("damaged_blob"));
    private static final Field<String> BLOB_ID = field(name("damaged_blob", "blob_id"), String.class);
    private static final Field<OffsetDateTime> FIRST_FOUND_AT = field(name("damaged_blob", "first_found_at"), OffsetDateTime.class);
    private static final Field<OffsetDateTime> LAST_FOUND_AT = field(name("damaged_blob", "last_found_at"), OffsetDateTime.class);
    private static final Field<String> FOUND_BY = field(name("damaged_blob", "found_by"), String.class);
    private static final Field<String> REASON = field(name("damaged_blob", "reason"), String.class);

    private static final Table<Record> SCRUB = table(name("blob_scrub"));
    private static final Field<Integer> SCRUB_ID = field(name("blob_scrub", "id"), Integer.class);
    private static final Field<String> AFTER = field(name("blob_scrub", "after_blob_id"), String.class);
    private static final Field<OffsetDateTime> PASS_STARTED_AT = field(name("blob_scrub", "pass_started_at"), OffsetDateTime.class);
    private static final Field<OffsetDateTime> LAST_PASS_ENDED_AT = field(name("blob_scrub", "last_pass_ended_at"), OffsetDateTime.class);

    private static final String DELETED = StoredFile.State.DELETED.name();

    private final Database db;

    public SqlBlobIntegrity(Database db) {
        this.db = db;
    }

    @Override
    public void recordDamaged(String blobId, String foundBy, String reason, Instant at) {
        var text = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        db.inTransaction(() -> {
            int updated = db.sql().update(DAMAGED).set(LAST_FOUND_AT, utc(at)).set(FOUND_BY, foundBy).set(REASON, text)
                    .where(BLOB_ID.eq(blobId)).execute();
            if (updated == 0) {
                try {
                    db.sql().insertInto(DAMAGED).set(BLOB_ID, blobId).set(FIRST_FOUND_AT, utc(at)).set(LAST_FOUND_AT, utc(at))
                            .set(FOUND_BY, foundBy).set(REASON, text).execute();
                } catch (IntegrityConstraintViolationException recordedMeanwhile) {
                    // another request or node found it at the same moment: recorded either way
                }
            }
            return null;
        });
    }

    @Override
    public List<Damaged> damaged(int limit) {
        var rows = db.sql().select(BLOB_ID, FIRST_FOUND_AT, LAST_FOUND_AT, FOUND_BY, REASON).from(DAMAGED)
                .orderBy(LAST_FOUND_AT.desc(), BLOB_ID).limit(limit).fetch();
        var result = new ArrayList<Damaged>();
        for (var row : rows) {
            var files = db.sql().select(TENANT.SLUG, STORED_FILE.OUID, STORED_FILE.NAME).from(STORED_FILE.T)
                    .join(TENANT.T).on(TENANT.ID.eq(STORED_FILE.TENANT_ID))
                    .where(STORED_FILE.BLOB_ID.eq(row.get(BLOB_ID)), STORED_FILE.STATE.ne(DELETED))
                    .orderBy(TENANT.SLUG, STORED_FILE.OUID).limit(100)
                    .fetch(r -> new FileOf(r.get(TENANT.SLUG), r.get(STORED_FILE.OUID), r.get(STORED_FILE.NAME)));
            result.add(new Damaged(row.get(BLOB_ID), row.get(FIRST_FOUND_AT).toInstant(), row.get(LAST_FOUND_AT).toInstant(),
                    row.get(FOUND_BY), row.get(REASON), files));
        }
        return result;
    }

    @Override
    public List<Checked> filesAfter(String afterBlobId, int limit) {
        return db.sql().select(STORED_FILE.BLOB_ID, max(STORED_FILE.SHA256), max(STORED_FILE.SIZE)).from(STORED_FILE.T)
                .where(STORED_FILE.BLOB_ID.gt(afterBlobId), STORED_FILE.STATE.ne(DELETED))
                .groupBy(STORED_FILE.BLOB_ID).orderBy(STORED_FILE.BLOB_ID).limit(limit)
                .fetch(r -> new Checked(r.value1(), r.value2(), r.value3()));
    }

    @Override
    public long totalBytes() {
        BigDecimal total = db.sql().select(sum(STORED_FILE.SIZE)).from(STORED_FILE.T).where(STORED_FILE.STATE.ne(DELETED)).fetchOne().value1();
        return total == null ? 0 : total.longValue();
    }

    @Override
    public Position position(Instant now) {
        var row = db.sql().select(AFTER, PASS_STARTED_AT, LAST_PASS_ENDED_AT).from(SCRUB).where(SCRUB_ID.eq(1)).fetchOne();
        if (row == null) {
            return new Position("", now, Optional.empty());
        }
        return new Position(row.value1(), row.value2().toInstant(), Optional.ofNullable(row.value3()).map(OffsetDateTime::toInstant));
    }

    @Override
    public void savePosition(String afterBlobId, Instant passStartedAt, Instant passEndedAt) {
        db.inTransaction(() -> {
            var update = db.sql().update(SCRUB).set(AFTER, afterBlobId).set(PASS_STARTED_AT, utc(passStartedAt));
            int updated = (passEndedAt == null ? update : update.set(LAST_PASS_ENDED_AT, utc(passEndedAt))).where(SCRUB_ID.eq(1)).execute();
            if (updated == 0) {
                try {
                    db.sql().insertInto(SCRUB).set(SCRUB_ID, 1).set(AFTER, afterBlobId).set(PASS_STARTED_AT, utc(passStartedAt))
                            .set(LAST_PASS_ENDED_AT, utc(passEndedAt)).execute();
                } catch (IntegrityConstraintViolationException savedMeanwhile) {
                    // another node's run saved it first; the next run goes on from there
                }
            }
            return null;
        });
    }
}
