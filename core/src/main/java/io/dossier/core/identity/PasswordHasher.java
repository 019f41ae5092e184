package io.dossier.core.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Passwords are chosen by people, so they get a slow, salted hash: PBKDF2-HMAC-SHA256. The stored
 * form names its parameters ({@code pbkdf2-sha256$iterations$salt$hash}) so they can be raised
 * later without breaking existing hashes.
 */
public final class PasswordHasher {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public PasswordHasher(int iterations) {
        this.iterations = iterations;
    }

    public static PasswordHasher standard() {
        return new PasswordHasher(210_000);
    }

    /**
     * A password and its stored form, hashed ahead of the user it is for: a hash costs a few hundred
     * ms of a core, so a caller that knows it will create users (the demo seed) can have them made
     * on another thread while it does other work.
     */
    public record Hashed(String password, String hash) {
    }

    /** Generates a password (as {@link IdentityService#createUser} does for none given) and hashes it. */
    public Hashed generate() {
        var password = Secrets.random(18);
        return new Hashed(password, hash(password));
    }

    public String hash(String password) {
        var salt = new byte[16];
        RANDOM.nextBytes(salt);
        var b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * A stored form that no password matches but that costs a check as long as a real one: random
     * salt and random hash bytes with this hasher's parameters. Checked against when an account is
     * unknown, so that a login takes as long either way; it costs nothing to make, unlike a real
     * hash (a few hundred ms of a core, which used to be paid on every start).
     */
    public String decoy() {
        var salt = new byte[16];
        var hash = new byte[32];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(hash);
        var b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    public boolean matches(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        var parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        var b64 = Base64.getDecoder();
        var expected = b64.decode(parts[3]);
        var actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (java.security.NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256", e);
        }
    }
}
