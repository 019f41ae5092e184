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
 * to a client as a short token it can only pass back. The position has two parts ({@link Position}:
 * a sequence ordered by one number uses only {@code minor}). The token holds the position and an
 * HMAC-SHA256 (cut to 128 bits) over it, the tenant and what the cursor pages through, under the
 * installation's {@link CursorKey}; a token that was altered, forged, made for another tenant or
 * for another sequence is refused as {@code INVALID}. The position is not secret (it only counts
 * a tenant's own changes), so it is not encrypted, only made opaque by the encoding.
 *
 * <p>Tokens of the first format held one number; they are still accepted, and open to that number
 * as {@code minor} with a {@code major} of 0.
 */
public final class Cursor {

    /** A place in an ordered sequence: ordered by {@code major}, then {@code minor}; both 0 or more. */
    public record Position(long major, long minor) {

        public static final Position START = new Position(0, 0);
    }

    private static final byte ONE_PART = 1;
    private static final byte TWO_PARTS = 2;
    private static final int MAC_BYTES = 16;
    private static final int ONE_PART_BYTES = 1 + Long.BYTES + MAC_BYTES;
    private static final int TWO_PARTS_BYTES = 1 + 2 * Long.BYTES + MAC_BYTES;
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
    public String seal(String purpose, long tenantId, Position position) {
        var token = ByteBuffer.allocate(TWO_PARTS_BYTES);
        token.put(TWO_PARTS).putLong(position.major()).putLong(position.minor())
                .put(mac(TWO_PARTS, purpose, tenantId, position.major(), position.minor()), 0, MAC_BYTES);
        return ENCODER.encodeToString(token.array());
    }

    /** The position a token of {@link #seal} holds; {@code INVALID} for anything else. */
    public Position open(String purpose, long tenantId, String token) {
        if (token == null || token.length() > 64) {
            throw refused();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        byte format = bytes.length == 0 ? 0 : bytes[0];
        if (!(format == ONE_PART && bytes.length == ONE_PART_BYTES) && !(format == TWO_PARTS && bytes.length == TWO_PARTS_BYTES)) {
            throw refused();
        }
        var buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long major = format == TWO_PARTS ? buffer.getLong() : 0;
        long minor = buffer.getLong();
        var given = new byte[MAC_BYTES];
        buffer.get(given);
        var expected = java.util.Arrays.copyOf(mac(format, purpose, tenantId, major, minor), MAC_BYTES);
        if (!MessageDigest.isEqual(given, expected) || major < 0 || minor < 0) {
            throw refused();
        }
        return new Position(major, minor);
    }

    /** The MAC of a token; a one-part token's covers its one number only, as it always did. */
    private byte[] mac(byte format, String purpose, long tenantId, long major, long minor) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(spec());
            mac.update(format);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            var numbers = format == ONE_PART
                    ? ByteBuffer.allocate(2 * Long.BYTES).putLong(tenantId).putLong(minor)
                    : ByteBuffer.allocate(3 * Long.BYTES).putLong(tenantId).putLong(major).putLong(minor);
            mac.update(numbers.array());
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
