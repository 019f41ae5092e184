package io.dossier.core.schema;

/**
 * The flags of OWS manual §2.4, plus {@code translatable} (the field is kept per content language).
 * In definition files each flag is one letter: L listable, F filterable, S sortable, U updatable,
 * O obligatory, D deletable, I insertable, H has options, N not empty, B in list by default,
 * T translatable, X searchable (a text field kept in the full-text index, for {@link
 * io.dossier.core.query.Condition.Matches}).
 */
public record FieldFlags(boolean listable, boolean filterable, boolean sortable, boolean updatable, boolean obligatory,
                         boolean deletable, boolean insertable, boolean hasOptions, boolean notEmpty,
                         boolean inListByDefault, boolean translatable, boolean searchable) {

    public static final String LETTERS = "LFSUODIHNBTX";

    public static FieldFlags parse(String letters) {
        for (char c : letters.toCharArray()) {
            if (LETTERS.indexOf(c) < 0 && c != '-') {
                throw new IllegalArgumentException("unknown flag '" + c + "' (flags are " + LETTERS + ", or - for none)");
            }
        }
        return new FieldFlags(has(letters, 'L'), has(letters, 'F'), has(letters, 'S'), has(letters, 'U'), has(letters, 'O'),
                has(letters, 'D'), has(letters, 'I'), has(letters, 'H'), has(letters, 'N'), has(letters, 'B'), has(letters, 'T'),
                has(letters, 'X'));
    }

    private static boolean has(String letters, char flag) {
        return letters.indexOf(flag) >= 0;
    }
}
