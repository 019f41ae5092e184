package io.dossier.core.access;

import io.dossier.core.Failure;
import java.util.EnumSet;
import java.util.Set;

/** An immutable set of {@link Permission}s, held as their bits. */
public record Permissions(long bits) {

    public static final Permissions NONE = new Permissions(0);
    public static final Permissions ALL = new Permissions((1L << Permission.values().length) - 1);

    public Permissions {
        if ((bits & ~((1L << Permission.values().length) - 1)) != 0) {
            throw Failure.invalid("permissions " + bits + " name bits no permission has (valid: 0 to " + ((1L << Permission.values().length) - 1) + ")");
        }
    }

    public static Permissions of(Permission... permissions) {
        long bits = 0;
        for (var permission : permissions) {
            bits |= permission.bit();
        }
        return new Permissions(bits);
    }

    public static Permissions of(Set<Permission> permissions) {
        return of(permissions.toArray(Permission[]::new));
    }

    public boolean contains(Permission permission) {
        return (bits & permission.bit()) != 0;
    }

    public Permissions union(Permissions other) {
        return new Permissions(bits | other.bits);
    }

    public boolean isEmpty() {
        return bits == 0;
    }

    public Set<Permission> toSet() {
        var set = EnumSet.noneOf(Permission.class);
        for (var permission : Permission.values()) {
            if (contains(permission)) {
                set.add(permission);
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return toSet().toString();
    }
}
