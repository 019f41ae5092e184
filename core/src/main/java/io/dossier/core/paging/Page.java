package io.dossier.core.paging;

import io.dossier.core.Failure;

/**
 * One offset page of a list: where it starts, how many rows it holds at most, and whether the
 * total number of matches is wanted as well. A dialect builds it from its own parameters, after
 * applying its own {@link PageSize}; core takes it as given and never caps it.
 *
 * @param offset rows to skip, 0 or more
 * @param limit  rows to return at most, 0 or more (0: an empty page, e.g. for a count alone)
 * @param count  whether to count every match too
 */
public record Page(int offset, int limit, boolean count) {

    public Page {
        if (offset < 0) {
            throw Failure.invalid("offset may not be negative");
        }
        if (limit < 0) {
            throw Failure.invalid("limit may not be negative");
        }
    }

    /** The page at {@code offset}; refused when either number is negative or beyond an int. */
    public static Page of(long offset, long limit, boolean count) {
        if (offset > Integer.MAX_VALUE) {
            throw Failure.invalid("offset may be at most " + Integer.MAX_VALUE);
        }
        if (limit > Integer.MAX_VALUE) {
            throw Failure.invalid("limit may be at most " + Integer.MAX_VALUE);
        }
        return new Page((int) Math.max(offset, Integer.MIN_VALUE), (int) Math.max(limit, Integer.MIN_VALUE), count);
    }

    /**
     * Page number {@code index} (from 0) of pages of {@code size} rows. Its offset is computed
     * without overflow and refused when it does not fit an int.
     */
    public static Page number(long index, int size, boolean count) {
        if (index < 0) {
            throw Failure.invalid("page number may not be negative");
        }
        if (size < 0) {
            throw Failure.invalid("limit may not be negative");
        }
        long offset;
        try {
            offset = Math.multiplyExact(index, (long) size);
        } catch (ArithmeticException e) {
            offset = Long.MAX_VALUE;
        }
        if (offset > Integer.MAX_VALUE) {
            throw Failure.invalid("page " + index + " of " + size + " rows starts beyond row " + Integer.MAX_VALUE);
        }
        return new Page((int) offset, size, count);
    }

    /** The first {@code limit} rows. */
    public static Page first(int limit) {
        return new Page(0, limit, false);
    }

    /** This page, also counting every match. */
    public Page counted() {
        return new Page(offset, limit, true);
    }
}
