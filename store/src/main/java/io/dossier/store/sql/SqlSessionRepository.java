package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.SESSION;
import static io.dossier.store.sql.Tables.SESSION_ATTRIBUTE;

import io.dossier.core.session.Session;
import io.dossier.core.session.SessionRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;

public final class SqlSessionRepository implements SessionRepository {

    private final Database db;

    public SqlSessionRepository(Database db) {
        this.db = db;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public void insert(Session s) {
        db.sql().insertInto(SESSION.T)
                .set(SESSION.TOKEN_HASH, s.tokenHash())
                .set(SESSION.TENANT_ID, s.tenantId())
                .set(SESSION.USER_ID, s.userId())
                .set(SESSION.CLIENT_ID, s.clientId())
                .set(SESSION.CREATED_AT, utc(s.createdAt()))
                .set(SESSION.LAST_SEEN_AT, utc(s.lastSeenAt()))
                .set(SESSION.IDLE_SECONDS, s.idleTimeout().toSeconds())
                .execute();
    }

    @Override
    public Optional<Session> find(String tokenHash) {
        return db.sql().selectFrom(SESSION.T)
                .where(SESSION.TOKEN_HASH.eq(tokenHash), SESSION.REVOKED_AT.isNull())
                .fetchOptional(this::session);
    }

    private Session session(Record r) {
        var hash = r.get(SESSION.TOKEN_HASH);
        Map<String, String> attributes = db.sql().select(SESSION_ATTRIBUTE.NAME, SESSION_ATTRIBUTE.VALUE)
                .from(SESSION_ATTRIBUTE.T).where(SESSION_ATTRIBUTE.TOKEN_HASH.eq(hash))
                .fetchMap(SESSION_ATTRIBUTE.NAME, SESSION_ATTRIBUTE.VALUE);
        return new Session(hash, r.get(SESSION.TENANT_ID), r.get(SESSION.USER_ID), r.get(SESSION.CLIENT_ID),
                r.get(SESSION.CREATED_AT).toInstant(), r.get(SESSION.LAST_SEEN_AT).toInstant(),
                Duration.ofSeconds(r.get(SESSION.IDLE_SECONDS)), attributes);
    }

    @Override
    public void touch(String tokenHash, Instant lastSeenAt) {
        db.sql().update(SESSION.T).set(SESSION.LAST_SEEN_AT, utc(lastSeenAt))
                .where(SESSION.TOKEN_HASH.eq(tokenHash), SESSION.LAST_SEEN_AT.lt(utc(lastSeenAt))).execute();
    }

    @Override
    public void setAttribute(String tokenHash, String name, String value) {
        // ON CONFLICT DO UPDATE on PostgreSQL is atomic; H2's MERGE is not: when requests on one
        // session race to insert the row, all but one fail on the key. The row is there (committed)
        // by then, so the next attempt updates it.
        for (int attempt = 1; ; attempt++) {
            try {
                db.sql().insertInto(SESSION_ATTRIBUTE.T)
                        .set(SESSION_ATTRIBUTE.TOKEN_HASH, tokenHash)
                        .set(SESSION_ATTRIBUTE.NAME, name)
                        .set(SESSION_ATTRIBUTE.VALUE, value)
                        .onConflict(SESSION_ATTRIBUTE.TOKEN_HASH, SESSION_ATTRIBUTE.NAME).doUpdate()
                        .set(SESSION_ATTRIBUTE.VALUE, value)
                        .execute();
                return;
            } catch (IntegrityConstraintViolationException raced) {
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    @Override
    public void revoke(String tokenHash, Instant when) {
        db.sql().update(SESSION.T).set(SESSION.REVOKED_AT, utc(when))
                .where(SESSION.TOKEN_HASH.eq(tokenHash), SESSION.REVOKED_AT.isNull()).execute();
    }

    @Override
    public int purgeExpired(Instant now, Instant revokedBefore) {
        // Each row has its own idle timeout; comparing last_seen + timeout in SQL needs vendor date
        // arithmetic, so fetch a bounded batch of candidates and decide here.
        var candidates = db.sql().select(SESSION.TOKEN_HASH, SESSION.LAST_SEEN_AT, SESSION.IDLE_SECONDS, SESSION.REVOKED_AT)
                .from(SESSION.T)
                .where(SESSION.LAST_SEEN_AT.lt(utc(now.minus(Duration.ofMinutes(1)))).or(SESSION.REVOKED_AT.lt(utc(revokedBefore))))
                .limit(10_000)
                .fetch();
        var expired = candidates.stream()
                .filter(r -> r.value4() != null || r.value2().toInstant().plusSeconds(r.value3()).isBefore(now))
                .map(r -> r.value1())
                .toList();
        if (expired.isEmpty()) {
            return 0;
        }
        return db.inTransaction(() -> {
            db.sql().deleteFrom(SESSION_ATTRIBUTE.T).where(SESSION_ATTRIBUTE.TOKEN_HASH.in(expired)).execute();
            return db.sql().deleteFrom(SESSION.T).where(SESSION.TOKEN_HASH.in(expired)).execute();
        });
    }
}
