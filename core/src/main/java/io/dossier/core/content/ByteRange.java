package io.dossier.core.content;

import java.util.Optional;

/**
 * One HTTP-style byte range: {@code a-b}, {@code a-} or suffix {@code -n}. Resolving against a size
 * yields an absolute, inclusive range, or nothing when the range cannot be satisfied.
 */
public sealed interface ByteRange {

    record FromTo(long first, long last) implements ByteRange {
    }

    record From(long first) implements ByteRange {
    }

    record Suffix(long length) implements ByteRange {
    }

    /** An absolute range: {@code length} bytes starting at {@code offset}. */
    record Resolved(long offset, long length) {
        public static Resolved whole(long size) {
            return new Resolved(0, size);
        }

        public long last() {
            return offset + length - 1;
        }
    }

    static Optional<Resolved> resolve(ByteRange range, long size) {
        return switch (range) {
            case FromTo(long first, long last) -> first >= size || last < first
                    ? Optional.empty()
                    : Optional.of(new Resolved(first, Math.min(last, size - 1) - first + 1));
            case From(long first) -> first >= size ? Optional.empty() : Optional.of(new Resolved(first, size - first));
            case Suffix(long length) -> length <= 0 || size == 0
                    ? Optional.empty()
                    : Optional.of(new Resolved(size - Math.min(length, size), Math.min(length, size)));
        };
    }
}
