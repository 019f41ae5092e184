package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.utc;
import static io.dossier.store.sql.Tables.ACCESS_TOKEN;
import static io.dossier.store.sql.Tables.CLIENT_TENANT_GRANT;

import io.dossier.core.token.AccessToken;
import io.dossier.core.token.TokenRepository;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Access tokens by the SHA-256 of the token, and the tenants a client has been granted. A token
 * names its client and (unless legacy) its tenant; it is looked up by its hash alone, before any
 * tenant is known.
 */
public final class SqlTokenRepository implements TokenRepository {

    private final Database db;

    public SqlTokenRepository(Database db) {
        this.db = db;
    }

    @Override
    public void insert(AccessToken token) {
        db.sql().insertInto(ACCESS_TOKEN.T)
                .set(ACCESS_TOKEN.TOKEN_HASH, token.tokenHash())
                .set(ACCESS_TOKEN.CLIENT_ID, token.clientId())
                .set(ACCESS_TOKEN.TENANT_ID, token.tenantId())
                .set(ACCESS_TOKEN.EXPIRES_AT, utc(token.expiresAt()))
                .execute();
    }

    @Override
    public Optional<AccessToken> find(String tokenHash) {
        // rendered once and read over plain JDBC: a token is read again whenever its cached copy is
        // older than the session cache time, and rendering the select through jOOQ cost more than it
        AccessToken[] found = new AccessToken[1];
        db.read(Database.Plan.REUSED, "access token by hash",
                () -> db.sql().select(ACCESS_TOKEN.TOKEN_HASH, ACCESS_TOKEN.CLIENT_ID, ACCESS_TOKEN.TENANT_ID, ACCESS_TOKEN.EXPIRES_AT)
                        .from(ACCESS_TOKEN.T)
                        .where(ACCESS_TOKEN.TOKEN_HASH.eq(tokenHash)),
                new Object[] {tokenHash}, "reading an access token", rs -> {
                    if (rs.next()) {
                        long tenant = rs.getLong(3);
                        Long tenantId = rs.wasNull() ? null : tenant;   // a legacy token's: its tenant comes with each call
                        found[0] = new AccessToken(rs.getString(1), rs.getLong(2), tenantId,
                                rs.getObject(4, java.time.OffsetDateTime.class).toInstant());
                    }
                });
        return Optional.ofNullable(found[0]);
    }

    /** Tokens expire at {@code expires_at}: one that expires exactly now is no longer valid, so it goes too. */
    @Override
    public int purgeExpired(Instant now) {
        return db.sql().deleteFrom(ACCESS_TOKEN.T).where(ACCESS_TOKEN.EXPIRES_AT.le(utc(now))).execute();
    }

    @Override
    public Set<Long> grantedTenants(long clientId) {
        return new HashSet<>(db.sql().select(CLIENT_TENANT_GRANT.TENANT_ID).from(CLIENT_TENANT_GRANT.T)
                .where(CLIENT_TENANT_GRANT.CLIENT_ID.eq(clientId))
                .fetch(CLIENT_TENANT_GRANT.TENANT_ID));
    }

    /** Granting a tenant twice is granting it once. */
    @Override
    public void grantTenant(long clientId, long tenantId) {
        db.sql().insertInto(CLIENT_TENANT_GRANT.T, CLIENT_TENANT_GRANT.CLIENT_ID, CLIENT_TENANT_GRANT.TENANT_ID)
                .values(clientId, tenantId)
                .onConflict(CLIENT_TENANT_GRANT.CLIENT_ID, CLIENT_TENANT_GRANT.TENANT_ID).doNothing()
                .execute();
    }
}
