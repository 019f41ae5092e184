package io.dossier.core.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.paging.Cursor.Position;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static final byte[] KEY = new byte[32];
    private final Cursor cursors = new Cursor(() -> KEY);

    @Test
    void aCursorOpensToItsPositionAndIsShortAndUrlSafe() {
        for (var position : new Position[] {Position.START, new Position(0, 1), new Position(4711, 12), new Position(Long.MAX_VALUE, Long.MAX_VALUE)}) {
            var token = cursors.seal("changes", 7, position);
            assertThat(token).matches("[A-Za-z0-9_-]{44}");
            assertThat(cursors.open("changes", 7, token)).isEqualTo(position);
        }
    }

    /** A token of the first format (one number, as sealed before positions had two parts) opens to that number as minor. */
    @Test
    void aOnePartCursorOfTheFirstFormatStillOpens() throws Exception {
        var token = onePartToken(KEY, "changes", 7, 4711);
        assertThat(cursors.open("changes", 7, token)).isEqualTo(new Position(0, 4711));
        refused(() -> cursors.open("changes", 8, token));
        var bytes = Base64.getUrlDecoder().decode(token);
        bytes[8] ^= 1;
        refused(() -> cursors.open("changes", 7, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
    }

    @Test
    void anAlteredForgedOrMisusedCursorIsInvalid() {
        var token = cursors.seal("changes", 7, new Position(3, 100));
        var bytes = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < bytes.length; i++) {
            var altered = bytes.clone();
            altered[i] ^= 0x10;
            refused(() -> cursors.open("changes", 7, Base64.getUrlEncoder().withoutPadding().encodeToString(altered)));
        }
        refused(() -> cursors.open("changes", 8, token));                       // another tenant
        refused(() -> cursors.open("records", 7, token));                       // another sequence
        var otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 1);
        refused(() -> new Cursor(() -> otherKey).open("changes", 7, token));    // another installation
        refused(() -> cursors.open("changes", 7, "x".repeat(1000)));
        refused(() -> cursors.open("changes", 7, "%%%"));
        refused(() -> cursors.open("changes", 7, ""));
        refused(() -> cursors.open("changes", 7, null));
    }

    /** The first format, written out here as it was: format byte 1, the number, 16 bytes of HMAC-SHA256. */
    private static String onePartToken(byte[] key, String purpose, long tenantId, long position) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((byte) 1);
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(ByteBuffer.allocate(16).putLong(tenantId).putLong(position).array());
        var token = ByteBuffer.allocate(25).put((byte) 1).putLong(position).put(mac.doFinal(), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    private static void refused(Runnable call) {
        var failure = catchThrowableOfType(Failure.class, call::run);
        assertThat(failure).isNotNull();
        assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID);
    }
}
