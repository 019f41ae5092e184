package io.dossier.core.query;

import io.dossier.core.paging.Page;
import java.util.List;
import java.util.Set;

/**
 * A list request in core terms: which records ({@code condition}, null for all), in which order,
 * which fields ({@code fields}: dotted paths; a container or collection path means all its listable
 * fields), which page (and whether to count all matches), and in which content language. The page
 * is the dialect's: core applies no default or maximum of its own.
 */
public record Query(Condition condition, List<SortKey> sort, Set<String> fields, Page page, String language) {

    public Query {
        sort = List.copyOf(sort);
        fields = Set.copyOf(fields);
        if (page == null) {
            throw new IllegalArgumentException("a query needs a page");
        }
    }
}
