package io.dossier.core.query;

/** One key of a sort: a field path, ascending or descending; or {@link #relevance()}. */
public record SortKey(String path, boolean descending) {

    /** The path of the relevance key: no field is named so. */
    public static final String RELEVANCE = "@relevance";

    /** Best matches of the query's {@link Condition.Matches} first (no order when it has none). */
    public static SortKey relevance() {
        return new SortKey(RELEVANCE, true);
    }

    public boolean isRelevance() {
        return RELEVANCE.equals(path);
    }
}
