package io.dossier.core.query;

import java.util.List;

/**
 * The one condition tree of every dialect: OWS {@code condition} objects and File API
 * {@code $filter} strings both parse into it. Values are typed by the field they compare once the
 * query has been checked against a definition ({@link QueryCheck}).
 */
public sealed interface Condition {

    record And(List<Condition> items) implements Condition {
        public And {
            items = List.copyOf(items);
        }
    }

    record Or(List<Condition> items) implements Condition {
        public Or {
            items = List.copyOf(items);
        }
    }

    /** The opposite of {@code item} (File API: {@code startsWith(fileName,'x') eq false}). */
    record Not(Condition item) implements Condition {
    }

    /** {@code path op value}; {@code value} is null for {@link Op#TRUE} and {@link Op#FALSE}. */
    record Compare(String path, Op op, Object value) implements Condition {
    }

    /**
     * Full-text: the record holds the {@code terms} in any of the searchable text fields {@code paths}
     * — every term ({@code all}) or at least one. A term is a word, or a phrase of words that must
     * follow each other; case does not matter. Storage answers it from its full-text index, and
     * ranks by it when the query sorts by {@link SortKey#relevance()}.
     */
    record Matches(List<String> paths, List<String> terms, boolean all) implements Condition {
        public Matches {
            paths = List.copyOf(paths);
            terms = List.copyOf(terms);
        }
    }

    /**
     * A record of another type relates to this one and meets {@code condition}: some record of
     * {@code related} whose {@code relatedPath} equals this record's {@code path} (both row fields).
     * How a record filter on one type reaches the types that hang on it (an HR filter on employments
     * hides the person, its cost allocations and role assignments). {@code condition} is checked
     * against {@code related} already; it may be null (any related record).
     */
    record Related(io.dossier.core.schema.RecordType related, String path, String relatedPath, Condition condition)
            implements Condition {
    }

    enum Op {
        EQ, NE, GE, GT, LE, LT,
        /** boolean field is true / false */
        TRUE, FALSE,
        /** SQL-style pattern: {@code %} any run, {@code _} one character */
        LIKE, NLIKE,
        STARTS_WITH, ENDS_WITH, CONTAINS
    }
}
