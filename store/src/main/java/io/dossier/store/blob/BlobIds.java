package io.dossier.store.blob;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Blob ids: 128 random bits as 32 lowercase hex characters. Stores accept only ids of this exact
 * shape, so an id can never name a path or key outside the store; any other string is simply unknown.
 */
final class BlobIds {

    static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private BlobIds() {
    }

    static String random() {
        var bytes = new byte[LENGTH / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
