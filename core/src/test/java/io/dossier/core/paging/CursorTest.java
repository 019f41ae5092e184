package io.dossier.core.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static final byte[] KEY = new byte[32];
    private final Cursor cursors = new Cursor(() -> KEY);

    @Test
    void aCursorOpensToItsPositionAndIsShortAndUrlSafe() {
        for (long position : new long[] {0, 1, 4711, Long.MAX_VALUE}) {
            var token = cursors.seal("changes", 7, position);
            assertThat(token).matches("[A-Za-z0-9_-]{34}");
            assertThat(cursors.open("changes", 7, token)).isEqualTo(position);
        }
    }

    @Test
    void anAlteredForgedOrMisusedCursorIsInvalid() {
        var token = cursors.seal("changes", 7, 100);
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
        refused(() -> cursors.open("changes", 7, null));
    }

    private static void refused(Runnable call) {
        var failure = catchThrowableOfType(Failure.class, call::run);
        assertThat(failure).isNotNull();
        assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID);
    }
}
