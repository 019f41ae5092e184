package io.dossier.core.query;

/** One key of a sort: a field path, ascending or descending. */
public record SortKey(String path, boolean descending) {
}
