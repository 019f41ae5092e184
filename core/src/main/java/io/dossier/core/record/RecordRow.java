package io.dossier.core.record;

import java.util.Map;

/**
 * A record as storage holds it.
 *
 * @param values       row fields by path ({@code Person.firstName}), typed: String, Long, Double, Boolean,
 *                     LocalDate, Instant. On reads, translatable fields appear here in the language asked for.
 * @param translations on writes: language → translatable field path → value
 * @param collections  collection path → item key ({@code "1"}, {@code "2"}) → child field name → value
 * @param version      on reads, the record's version as it was read (1 when inserted, raised by each update;
 *                     0 from a store that keeps none); ignored on writes
 */
public record RecordRow(String uid, Map<String, Object> values, Map<String, Map<String, Object>> translations,
                        Map<String, Map<String, Map<String, Object>>> collections, long version) {

    public RecordRow(String uid, Map<String, Object> values, Map<String, Map<String, Object>> translations,
                     Map<String, Map<String, Map<String, Object>>> collections) {
        this(uid, values, translations, collections, 0);
    }
}
