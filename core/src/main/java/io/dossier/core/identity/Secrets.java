package io.dossier.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random secrets and their stored form. High-entropy secrets (API keys, client secrets, tokens) are
 * stored as their SHA-256: a slow hash adds nothing when the secret itself has 128+ random bits.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MessageDigest SHA_256 = lookUpSha256();

    private Secrets() {
    }

    /** A URL-safe random secret of {@code bytes} random bytes (at least 16). */
    public static String random(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("a secret needs at least 128 bits");
        }
        var buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }

    /** A random lowercase hex string of {@code bytes} random bytes (at least 16). */
    public static String randomHex(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("a secret needs at least 128 bits");
        }
        var buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }

    /** The stored form of a high-entropy secret: lowercase hex SHA-256. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares two stored hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh SHA-256 digest, cloned from one looked up once (the provider lookup costs more than hashing a token). */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return lookUpSha256();
        }
    }

    private static MessageDigest lookUpSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
