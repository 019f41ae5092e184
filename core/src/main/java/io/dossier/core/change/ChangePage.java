package io.dossier.core.change;

import java.util.List;

/**
 * A page of a tenant's change feed, in feed order ({@link ChangeFeed}), and the cursor to read on from: after the
 * last change of this page, or where the reader stood when the page is empty (read again later).
 *
 * @param changes entities created or updated, and tombstones of deleted ones
 * @param next    an opaque cursor for {@link ChangeFeed#changes}
 */
public record ChangePage(List<Change> changes, String next) {

    public ChangePage {
        changes = List.copyOf(changes);
    }
}
