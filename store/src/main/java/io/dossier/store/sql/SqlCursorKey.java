package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.INSTALLATION_SECRET;

import io.dossier.core.paging.CursorKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * The cursor key as a row of {@code installation_secret}: the first node that needs it creates it
 * (32 random bytes); every node, then and after restarts, reads the same one.
 */
public final class SqlCursorKey implements CursorKey {

    static final String NAME = "cursor-hmac-sha256";

    private final Database db;

    public SqlCursorKey(Database db) {
        this.db = db;
    }

    @Override
    public byte[] bytes() {
        var stored = read();
        if (stored == null) {
            var fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                db.sql().insertInto(INSTALLATION_SECRET.T, INSTALLATION_SECRET.NAME, INSTALLATION_SECRET.VALUE)
                        .values(NAME, HexFormat.of().formatHex(fresh))
                        .onConflict(INSTALLATION_SECRET.NAME).doNothing()
                        .execute();
            } catch (IntegrityConstraintViolationException createdMeanwhile) {
                // another node created it first (H2 runs "on conflict do nothing" as a MERGE two nodes can both enter)
            }
            stored = read();   // ours, or the one another node created first
        }
        return HexFormat.of().parseHex(stored);
    }

    private String read() {
        return db.sql().select(INSTALLATION_SECRET.VALUE).from(INSTALLATION_SECRET.T)
                .where(INSTALLATION_SECRET.NAME.eq(NAME)).fetchOptional(INSTALLATION_SECRET.VALUE).orElse(null);
    }
}
