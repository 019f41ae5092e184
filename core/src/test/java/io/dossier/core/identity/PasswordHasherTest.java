package io.dossier.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void aHashMatchesItsPasswordOnly() {
        var stored = hasher.hash("correct horse");
        assertTrue(hasher.matches("correct horse", stored));
        assertFalse(hasher.matches("correct horsE", stored));
        assertFalse(hasher.matches(null, stored));
    }

    @Test
    void aDecoyHasTheShapeAndCostOfAHashButMatchesNothing() {
        var decoy = hasher.decoy();
        var parts = decoy.split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1000", parts[1], "a check against it derives with the same iterations as a real one");
        assertEquals(hasher.hash("x").split("\\$")[3].length(), parts[3].length());
        for (var guess : new String[] {"", "password", "decoy", parts[2], parts[3]}) {
            assertFalse(hasher.matches(guess, decoy));
        }
        assertNotEquals(decoy, hasher.decoy());
    }
}
