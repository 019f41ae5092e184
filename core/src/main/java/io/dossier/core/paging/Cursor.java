package io.dossier.core.paging;

import io.dossier.core.Failure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident keyset cursors: a position in an ordered sequence of one tenant, handed
 * to a client as a short token it can only pass back. The token holds the position and an
 * HMAC-SHA256 (cut to 128 bits) over it, the tenant and what the cursor pages through, under the
 * installation's {@link CursorKey}; a token that was altered, forged, made for another tenant or
 * for another sequence is refused as {@code INVALID}. The position is not secret (it only counts
 * a tenant's own changes), so it is not encrypted, only made opaque by the encoding.
 */
public final class Cursor {

    private static final byte FORMAT = 1;
    private static final int MAC_BYTES = 16;
    private static final int TOKEN_BYTES = 1 + Long.BYTES + MAC_BYTES;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final CursorKey key;
    private volatile SecretKeySpec spec;

    public Cursor(CursorKey key) {
        this.key = key;
    }

    /**
     * The token for {@code position} in the sequence {@code purpose} (a core word, such as
     * {@code "changes"}) of the tenant.
     */
    public String seal(String purpose, long tenantId, long position) {
        var token = ByteBuffer.allocate(TOKEN_BYTES);
        token.put(FORMAT).putLong(position).put(mac(purpose, tenantId, position), 0, MAC_BYTES);
        return ENCODER.encodeToString(token.array());
    }

    /** The position a token of {@link #seal} holds; {@code INVALID} for anything else. */
    public long open(String purpose, long tenantId, String token) {
        if (token == null || token.length() > 64) {
            throw refused();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        if (bytes.length != TOKEN_BYTES || bytes[0] != FORMAT) {
            throw refused();
        }
        var buffer = ByteBuffer.wrap(bytes, 1, TOKEN_BYTES - 1);
        long position = buffer.getLong();
        var given = new byte[MAC_BYTES];
        buffer.get(given);
        var expected = java.util.Arrays.copyOf(mac(purpose, tenantId, position), MAC_BYTES);
        if (!MessageDigest.isEqual(given, expected) || position < 0) {
            throw refused();
        }
        return position;
    }

    private byte[] mac(String purpose, long tenantId, long position) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(spec());
            mac.update(FORMAT);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(ByteBuffer.allocate(2 * Long.BYTES).putLong(tenantId).putLong(position).array());
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The key, read from its port once per process: it never changes. */
    private SecretKeySpec spec() {
        var s = spec;
        if (s == null) {
            var bytes = key.bytes();
            if (bytes.length < 32) {
                throw new IllegalStateException("the cursor key has " + bytes.length + " bytes, 32 or more are needed");
            }
            s = new SecretKeySpec(bytes, "HmacSHA256");
            spec = s;
        }
        return s;
    }

    private static Failure refused() {
        return Failure.invalid("the cursor is not valid here: pass back a cursor exactly as it was received");
    }
}
