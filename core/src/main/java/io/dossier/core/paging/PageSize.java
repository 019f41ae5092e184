package io.dossier.core.paging;

/**
 * A dialect's page sizes: the size a list gets when the client asks for none, and the most rows
 * one page may hold. Each dialect declares its own (they differ per published API); core knows
 * none of them.
 *
 * @param standard rows per page when none is asked for
 * @param maximum  rows per page at most
 */
public record PageSize(int standard, int maximum) {

    public PageSize {
        if (standard < 1 || maximum < standard) {
            throw new IllegalArgumentException("page sizes need 1 <= standard <= maximum, got " + standard + " and " + maximum);
        }
    }

    /** The size a client gets for {@code asked} (null: none asked) when larger asks are cut to the maximum and negative ones to 0. */
    public int capped(Integer asked) {
        if (asked == null) {
            return standard;
        }
        return Math.min(Math.max(asked, 0), maximum);
    }

    /** Whether {@code size} is a size a client may ask for, where asks outside it are refused. */
    public boolean allows(long size) {
        return size >= 1 && size <= maximum;
    }
}
