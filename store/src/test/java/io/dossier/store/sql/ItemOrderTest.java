package io.dossier.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of collection items, written out by hand for speed, is the order its first definition gave. */
class ItemOrderTest {

    private static final Comparator<String> DEFINED = Comparator
            .comparing((String key) -> !key.chars().allMatch(Character::isDigit) || key.isEmpty())
            .thenComparing(key -> key.chars().allMatch(Character::isDigit) ? key.length() : 0)
            .thenComparing(Comparator.naturalOrder());

    @Test
    void sameAsDefined() {
        var keys = List.of("", "0", "1", "2", "9", "10", "01", "001", "99", "100", "1234567890", "a", "b", "A", "_", "-", "1a", "a1",
                "x-1", "x_2", "\u0661", "1\u0662", "Z9");
        for (var a : keys) {
            for (var b : keys) {
                assertEquals(Integer.signum(DEFINED.compare(a, b)), Integer.signum(SqlRecordRepository.ITEM_ORDER.compare(a, b)), a + " vs " + b);
            }
        }
    }
}
