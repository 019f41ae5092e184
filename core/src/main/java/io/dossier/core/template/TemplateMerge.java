package io.dossier.core.template;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a text template: {@code {{Candidate.Person.firstName}}} takes a field of
 * a record the text is about (named by its record type's name), {@code {{answers.password}}} a value
 * the caller gives. A placeholder with nothing to fill becomes empty. A question's code in guillemets
 * ({@code «password»}, in HTML also {@code &laquo;password&raquo;}) takes the caller's value of that
 * name; where the caller gives none it stays as it is (guillemets are ordinary quotes in French). In
 * HTML every value is escaped, so a record's data cannot add markup.
 */
public final class TemplateMerge {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9_]*)((?:\\.[A-Za-z0-9_]+)+)\\s*}}");
    private static final Pattern QUESTION = Pattern.compile("(?:«|&laquo;)([A-Za-z][A-Za-z0-9_]{0,99})(?:»|&raquo;)");
    private static final Pattern ANY = Pattern.compile(PLACEHOLDER.pattern() + "|" + QUESTION.pattern());
    /** The name under which the caller's own values are found. */
    public static final String ANSWERS = "answers";

    private TemplateMerge() {
    }

    /**
     * @param sources record type name → the record's fields as plain values (containers as maps);
     *                {@link #ANSWERS} → the caller's values
     */
    public static String merge(String template, Map<String, Map<String, Object>> sources, boolean html) {
        if (template == null || template.isEmpty()) {
            return template == null ? "" : template;
        }
        // one pass over the template, so a value filled in is never read as a placeholder itself
        var matcher = ANY.matcher(template);
        var answers = sources.getOrDefault(ANSWERS, Map.of());
        var out = new StringBuilder(template.length() + 64);
        while (matcher.find()) {
            String text;
            if (matcher.group(1) != null) {
                var source = sources.get(matcher.group(1));
                var value = source == null ? null : lookup(source, List.of(matcher.group(2).substring(1).split("\\.")));
                text = value == null || value instanceof Map<?, ?> || value instanceof List<?> ? "" : html ? escape(String.valueOf(value))
                        : String.valueOf(value);
            } else {
                var value = answers.get(matcher.group(3));
                text = value == null || value instanceof Map<?, ?> || value instanceof List<?> ? matcher.group()
                        : html ? escape(String.valueOf(value)) : String.valueOf(value);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static Object lookup(Map<String, Object> source, List<String> path) {
        Object current = source;
        for (var step : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
