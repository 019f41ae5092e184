package io.dossier.core.query;

import java.util.List;
import java.util.Set;

/**
 * A list request in core terms: which records ({@code condition}, null for all), in which order,
 * which fields ({@code fields}: dotted paths; a container or collection path means all its listable
 * fields), which page, whether to count all matches, and in which content language.
 */
public record Query(Condition condition, List<SortKey> sort, Set<String> fields, int offset, int limit,
                    boolean totalCount, String language) {

    public Query {
        sort = List.copyOf(sort);
        fields = Set.copyOf(fields);
    }
}
