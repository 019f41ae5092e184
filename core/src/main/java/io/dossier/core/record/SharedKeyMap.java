package io.dossier.core.record;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A map of records read a page at a time: the keys, in their order, are held once for the whole
 * page ({@link Keys}), and each map holds only its values, in an array. A page of a walk is a
 * thousand records of some fifty values each; a {@link LinkedHashMap} each made an entry object
 * and a table per record, and every lookup of a field went to those (the largest share of a page's
 * time in the server), where here it goes to one small index the whole page shares.
 *
 * <p>It behaves as a {@link LinkedHashMap} that starts with every key of its {@link Keys}, mapped
 * to null: a key put beyond them comes after them, in the order put; a key removed is absent.
 */
public final class SharedKeyMap extends AbstractMap<String, Object> {

    /**
     * The keys of many maps, in their order, with their positions: an open-addressing table of the
     * keys (linear probing, at most half full), which finds a key that is the very string it holds
     * without comparing characters, and a position without unboxing one.
     */
    public static final class Keys {

        private final String[] names;
        private final String[] table;
        private final int[] positions;
        private final int mask;

        public Keys(List<String> names) {
            this.names = names.toArray(String[]::new);
            int capacity = Integer.highestOneBit(Math.max(4, this.names.length * 2 - 1)) << 1;
            this.table = new String[capacity];
            this.positions = new int[capacity];
            this.mask = capacity - 1;
            for (int i = 0; i < this.names.length; i++) {
                var name = this.names[i];
                int slot = name.hashCode() & mask;
                while (table[slot] != null) {
                    if (table[slot].equals(name)) {
                        throw new IllegalArgumentException("key " + name + " twice");
                    }
                    slot = (slot + 1) & mask;
                }
                table[slot] = name;
                positions[slot] = i;
            }
        }

        public int size() {
            return names.length;
        }

        /** The position of {@code key}, or -1. */
        public int position(Object key) {
            if (!(key instanceof String name)) {
                return -1;
            }
            int slot = name.hashCode() & mask;
            for (var held = table[slot]; held != null; held = table[slot]) {
                if (held == name || held.equals(name)) {
                    return positions[slot];
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }
    }

    /**
     * Reads the same keys from many maps, as the writer of a page does: from maps that share their
     * keys, by the positions it found once for those keys; from any other map, by key. One reader
     * at a time (it keeps the positions of the last keys it met).
     */
    public static final class Lookup {

        /** What {@link #get} gives for a key the map does not hold. */
        public static final Object MISSING = new Object();

        private final String[] names;
        private Keys keys;
        private int[] positions;

        public Lookup(List<String> names) {
            this.names = names.toArray(String[]::new);
        }

        /** The value of the {@code index}th name in {@code map}, or {@link #MISSING}. */
        public Object get(Map<?, ?> map, int index) {
            if (map instanceof SharedKeyMap shared) {
                if (shared.keys != keys) {
                    var found = new int[names.length];
                    for (int i = 0; i < names.length; i++) {
                        found[i] = shared.keys.position(names[i]);
                    }
                    positions = found;
                    keys = shared.keys;
                }
                int position = positions[index];
                if (position >= 0) {
                    return shared.at(position, MISSING);
                }
            }
            var name = names[index];
            var value = map.get(name);
            return value != null || map.containsKey(name) ? value : MISSING;
        }
    }

    private static final Object ABSENT = new Object();

    private final Keys keys;
    private final Object[] values;
    private int removed;
    /** Keys put beyond {@link #keys}, in the order put; null until one is. */
    private LinkedHashMap<String, Object> more;

    /** A map with every key of {@code keys}, each mapped to null. */
    public SharedKeyMap(Keys keys) {
        this.keys = keys;
        this.values = new Object[keys.size()];
    }

    /** Sets the value of the key at {@code position} of its {@link Keys}, while the map is filled (before any key is removed). */
    public void set(int position, Object value) {
        if (removed > 0) {
            throw new IllegalStateException("set while filling only");
        }
        values[position] = value;
    }

    /** The keys this map shares. */
    public Keys keys() {
        return keys;
    }

    /**
     * The value of the key at {@code position} of {@link #keys()}, as {@link #get} gives it (for a
     * reader that looked the positions up once for all the maps of a page), or {@code absent} when
     * the key was removed.
     */
    public Object at(int position, Object absent) {
        var value = values[position];
        if (value != ABSENT) {
            return value;
        }
        var key = keys.names[position];
        return more != null && more.containsKey(key) ? more.get(key) : absent;
    }

    // a shared key removed and put again comes after the others, as in a LinkedHashMap: in more

    @Override
    public Object get(Object key) {
        int position = keys.position(key);
        if (position >= 0 && values[position] != ABSENT) {
            return values[position];
        }
        return more == null ? null : more.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        int position = keys.position(key);
        if (position >= 0 && values[position] != ABSENT) {
            return true;
        }
        return more != null && more.containsKey(key);
    }

    @Override
    public Object put(String key, Object value) {
        int position = keys.position(key);
        if (position >= 0 && values[position] != ABSENT) {
            var old = values[position];
            values[position] = value;
            return old;
        }
        if (more == null) {
            more = new LinkedHashMap<>();
        }
        return more.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        int position = keys.position(key);
        if (position >= 0 && values[position] != ABSENT) {
            var old = values[position];
            values[position] = ABSENT;
            removed++;
            return old;
        }
        return more == null ? null : more.remove(key);
    }

    @Override
    public int size() {
        return values.length - removed + (more == null ? 0 : more.size());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return SharedKeyMap.this.size();
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Entries();
            }
        };
    }

    /** The entries of the shared keys in their order, then those put beyond them. */
    private final class Entries implements Iterator<Entry<String, Object>> {

        private int next = advance(0);
        private int last = -1;
        private Iterator<Entry<String, Object>> beyond;

        private int advance(int from) {
            int at = from;
            while (at < values.length && values[at] == ABSENT) {
                at++;
            }
            return at;
        }

        @Override
        public boolean hasNext() {
            if (next < values.length) {
                return true;
            }
            if (beyond == null && more != null) {
                beyond = more.entrySet().iterator();
            }
            return beyond != null && beyond.hasNext();
        }

        @Override
        public Entry<String, Object> next() {
            if (next < values.length) {
                int at = next;
                last = at;
                next = advance(at + 1);
                return new Slot(at);
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = -1;
            return beyond.next();
        }

        @Override
        public void remove() {
            if (last >= 0) {
                if (values[last] == ABSENT) {
                    throw new IllegalStateException();
                }
                values[last] = ABSENT;
                removed++;
            } else if (beyond != null) {
                beyond.remove();
            } else {
                throw new IllegalStateException();
            }
        }
    }

    /** The entry of a shared key: reads and writes the map's value. */
    private final class Slot implements Entry<String, Object> {

        private final int position;

        Slot(int position) {
            this.position = position;
        }

        @Override
        public String getKey() {
            return keys.names[position];
        }

        @Override
        public Object getValue() {
            var value = values[position];
            return value == ABSENT ? null : value;
        }

        @Override
        public Object setValue(Object value) {
            var old = getValue();
            values[position] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry<?, ?> e && getKey().equals(e.getKey()) && java.util.Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return getKey().hashCode() ^ java.util.Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
