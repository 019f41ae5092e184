package io.dossier.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SharedKeyMapTest {

    private static final SharedKeyMap.Keys KEYS = new SharedKeyMap.Keys(List.of("uid", "firstName", "lastName", "birthDate"));

    @Test
    void startsWithEveryKeyMappedToNullInTheirOrder() {
        var map = new SharedKeyMap(KEYS);
        assertThat(map).hasSize(4).containsKey("lastName");
        assertThat(map.keySet()).containsExactly("uid", "firstName", "lastName", "birthDate");
        assertThat(map.get("firstName")).isNull();
        assertThat(map.containsKey("other")).isFalse();
        map.set(1, "Anna");
        assertThat(map.get("firstName")).isEqualTo("Anna");
    }

    /** Random puts, removes, entry writes and removals through the iterator, the same on a LinkedHashMap: equal at every step. */
    @Test
    void behavesAsALinkedHashMapThatStartsWithItsKeys() {
        var random = new Random(42);
        var names = List.of("uid", "firstName", "lastName", "birthDate", "extra", "more");
        for (int run = 0; run < 200; run++) {
            var map = new SharedKeyMap(KEYS);
            var same = new LinkedHashMap<String, Object>();
            KEYS_IN_ORDER.forEach(k -> same.put(k, null));
            for (int step = 0; step < 30; step++) {
                var key = names.get(random.nextInt(names.size()));
                switch (random.nextInt(5)) {
                    case 0, 1 -> assertThat(map.put(key, "v" + step)).isEqualTo(same.put(key, "v" + step));
                    case 2 -> assertThat(map.remove(key)).isEqualTo(same.remove(key));
                    case 3 -> {
                        var it = map.entrySet().iterator();
                        var other = same.entrySet().iterator();
                        while (it.hasNext()) {
                            var entry = it.next();
                            var expected = other.next();
                            assertThat(entry.getKey()).isEqualTo(expected.getKey());
                            if (entry.getKey().equals(key)) {
                                it.remove();
                                other.remove();
                            }
                        }
                        assertThat(other.hasNext()).isFalse();
                    }
                    default -> {
                        for (var m : List.<java.util.Map<String, Object>>of(map, same)) {
                            m.entrySet().forEach(e -> {
                                if (e.getKey().equals(key)) {
                                    e.setValue("set" + key);
                                }
                            });
                        }
                    }
                }
                assertThat(map).isEqualTo(same);
                assertThat(same).isEqualTo(map);
                assertThat(map.hashCode()).isEqualTo(same.hashCode());
                assertThat(new ArrayList<>(map.keySet())).isEqualTo(new ArrayList<>(same.keySet()));
                for (var name : names) {
                    assertThat(map.containsKey(name)).as(name).isEqualTo(same.containsKey(name));
                    assertThat(map.get(name)).as(name).isEqualTo(same.get(name));
                }
            }
        }
    }

    private static final List<String> KEYS_IN_ORDER = List.of("uid", "firstName", "lastName", "birthDate");

    @Test
    void keysAreDistinct() {
        assertThatThrownBy(() -> new SharedKeyMap.Keys(List.of("a", "b", "a"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryAlreadyRemovedCannotBeRemovedAgain() {
        var map = new SharedKeyMap(KEYS);
        var it = map.entrySet().iterator();
        it.next();
        it.remove();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        assertThat(map).doesNotContainKey("uid").hasSize(3);
    }
}
