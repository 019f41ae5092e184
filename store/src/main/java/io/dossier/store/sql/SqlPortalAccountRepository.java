package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.dossier.core.Failure;
import io.dossier.core.portal.PortalAccount;
import io.dossier.core.portal.PortalAccountRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Portal accounts in {@code portal_account} (V16). */
public final class SqlPortalAccountRepository implements PortalAccountRepository {

    private static final Table<Record> T = table(name("portal_account"));
    private static final Field<Long> ID = field(name("portal_account", "id"), Long.class);
    private static final Field<Long> TENANT_ID = field(name("portal_account", "tenant_id"), Long.class);
    private static final Field<String> UID = field(name("portal_account", "uid"), String.class);
    private static final Field<String> USERNAME = field(name("portal_account", "username"), String.class);
    private static final Field<String> USERNAME_KEY = field(name("portal_account", "username_key"), String.class);
    private static final Field<String> PASSWORD_HASH = field(name("portal_account", "password_hash"), String.class);
    private static final Field<Boolean> ALLOW_LOGIN = field(name("portal_account", "allow_login"), Boolean.class);
    private static final Field<String> RECORD_TYPE = field(name("portal_account", "record_type"), String.class);
    private static final Field<String> RECORD_UID = field(name("portal_account", "record_uid"), String.class);
    private static final Field<OffsetDateTime> CREATED_AT = field(name("portal_account", "created_at"), OffsetDateTime.class);
    private static final List<Field<?>> COLUMNS = List.of(ID, TENANT_ID, UID, USERNAME, PASSWORD_HASH, ALLOW_LOGIN, RECORD_TYPE, RECORD_UID, CREATED_AT);

    private final Database db;

    public SqlPortalAccountRepository(Database db) {
        this.db = db;
    }

    @Override
    public PortalAccount insert(long tenantId, String uid, String username, String usernameKey, boolean allowLogin, String recordType,
                                String recordUid, Instant at) {
        try {
            var id = db.sql().insertInto(T)
                    .set(TENANT_ID, tenantId)
                    .set(UID, uid)
                    .set(USERNAME, username)
                    .set(USERNAME_KEY, usernameKey)
                    .set(ALLOW_LOGIN, allowLogin)
                    .set(RECORD_TYPE, recordType)
                    .set(RECORD_UID, SqlFileRepository.fit("record uid", recordUid, 100))
                    .set(CREATED_AT, SqlFileRepository.utc(at))
                    .returningResult(ID)
                    .fetchOne(ID);
            return new PortalAccount(id, tenantId, uid, username, allowLogin, false, recordType, recordUid, at);
        } catch (IntegrityConstraintViolationException taken) {
            throw Failure.conflict("the username '" + username + "' is taken");
        }
    }

    @Override
    public Optional<Stored> byUsernameKey(long tenantId, String usernameKey) {
        return one(TENANT_ID.eq(tenantId).and(USERNAME_KEY.eq(usernameKey)));
    }

    @Override
    public Optional<Stored> byUid(long tenantId, String uid) {
        return one(TENANT_ID.eq(tenantId).and(UID.eq(uid)));
    }

    @Override
    public List<PortalAccount> byRecord(long tenantId, String recordUid) {
        return db.sql().select(COLUMNS).from(T).where(TENANT_ID.eq(tenantId), RECORD_UID.eq(recordUid)).orderBy(ID)
                .fetch(r -> stored(r).account());
    }

    @Override
    public List<PortalAccount> search(long tenantId, String fragment, int offset, int limit) {
        return db.sql().select(COLUMNS).from(T).where(matching(tenantId, fragment)).orderBy(ID.desc()).offset(offset).limit(limit)
                .fetch(r -> stored(r).account());
    }

    @Override
    public long count(long tenantId, String fragment) {
        return db.sql().selectCount().from(T).where(matching(tenantId, fragment)).fetchOne(0, Long.class);
    }

    @Override
    public void setPasswordHash(long tenantId, long id, String passwordHash) {
        db.sql().update(T).set(PASSWORD_HASH, passwordHash).where(TENANT_ID.eq(tenantId), ID.eq(id)).execute();
    }

    private static Condition matching(long tenantId, String fragment) {
        var condition = TENANT_ID.eq(tenantId);
        return fragment == null ? condition : condition.and(DSL.position(USERNAME_KEY, DSL.val(fragment)).gt(0));
    }

    private Optional<Stored> one(Condition where) {
        return db.sql().select(COLUMNS).from(T).where(where).fetchOptional(SqlPortalAccountRepository::stored);
    }

    private static Stored stored(Record r) {
        var hash = r.get(PASSWORD_HASH);
        return new Stored(new PortalAccount(r.get(ID), r.get(TENANT_ID), r.get(UID), r.get(USERNAME), r.get(ALLOW_LOGIN), hash != null,
                r.get(RECORD_TYPE), r.get(RECORD_UID), r.get(CREATED_AT).toInstant()), hash);
    }
}
