package io.dossier.api.fileapi;

import io.dossier.core.cache.BoundedCache;
import io.dossier.core.query.Condition;
import io.dossier.core.query.SortKey;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The File API's {@code $filter} and {@code $orderBy} query strings ("Search for files", "Sort
 * files"), parsed into the core query model.
 *
 * <p>Grammar ({@code and} binds tighter than {@code or}; keywords, functions and fields are
 * case-insensitive; whitespace is allowed between any two tokens):
 *
 * <pre>
 * filter     := or
 * or         := and ( 'or' and )*
 * and        := unary ( 'and' unary )*
 * unary      := '(' or ')' | function [ ('eq'|'ne') ('true'|'false') ] | field op value
 * function   := ('startsWith'|'endsWith'|'contains') '(' 'fileName' ',' string ')'
 * op         := 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
 * value      := string | 'datetime' string | integer | datetime | 'true' | 'false'
 * string     := "'" ( any character but "'" | "''" )* "'"
 * </pre>
 *
 * <p>Fields are {@code uploadDate}, {@code businessType}, {@code status} and {@code fileName}, given
 * back in that spelling. Date-time values stay strings (core types them against the definition) but
 * are checked here so a bad one is reported with its position. Every error is a {@link
 * FilterException} carrying the 0-based position in the string it was found in.
 */
public final class FileFilter {

    /** Longest {@code $filter} or {@code $orderBy} accepted, in characters. */
    public static final int MAX_LENGTH = 4096;
    /** Deepest nesting of parentheses accepted in a {@code $filter}. */
    public static final int MAX_DEPTH = 50;
    /** The order when none is asked for: "By default, files are sorted by UploadDate desc." */
    public static final List<SortKey> DEFAULT_ORDER = List.of(new SortKey("uploadDate", true));

    public static final String UPLOAD_DATE = "uploadDate";
    public static final String BUSINESS_TYPE = "businessType";
    public static final String STATUS = "status";
    public static final String FILE_NAME = "fileName";

    private static final Map<String, String> FIELDS = Map.of(
            "uploaddate", UPLOAD_DATE,
            "businesstype", BUSINESS_TYPE,
            "status", STATUS,
            "filename", FILE_NAME);

    private static final Map<String, Condition.Op> FUNCTIONS = Map.of(
            "startswith", Condition.Op.STARTS_WITH,
            "endswith", Condition.Op.ENDS_WITH,
            "contains", Condition.Op.CONTAINS);

    private static final Map<String, Condition.Op> OPERATORS = Map.of(
            "eq", Condition.Op.EQ,
            "ne", Condition.Op.NE,
            "gt", Condition.Op.GT,
            "ge", Condition.Op.GE,
            "lt", Condition.Op.LT,
            "le", Condition.Op.LE);

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DATE_LIKE = Pattern.compile("[0-9]{4}-.*");

    private FileFilter() {
    }

    /** A {@code $filter} or {@code $orderBy} that cannot be understood, with where it went wrong. */
    public static final class FilterException extends RuntimeException {
        private final int position;

        FilterException(String parameter, String problem, int position) {
            super(parameter + ": " + problem + " at position " + position);
            this.position = position;
        }

        /** The 0-based index into the query string where the problem was found. */
        public int position() {
            return position;
        }
    }

    // ---------------------------------------------------------------- $filter

    /**
     * Parses a {@code $filter}: a single {@link Condition.Compare}, a {@link Condition.Not} of a
     * function, or {@link Condition.And}/{@link Condition.Or} trees (nested runs of the same
     * operator are flattened into one node). Returns null when the filter is null or blank (no
     * condition).
     */
    public static Condition parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        if (filter.length() > MAX_LENGTH) {
            throw filterError("longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        var kept = PARSED.get(filter);
        if (kept.isPresent()) {
            return kept.get();
        }
        var parsed = parseAnew(filter);
        PARSED.put(filter, parsed);
        return parsed;
    }

    /**
     * Filters parsed lately, by their text: a subscriber polls with the same {@code $filter} until
     * a new file moves its date on, and parsing one (the date above all) was 7.5% of a list
     * request's handler time (bench/fileapi.sh, async-profiler). A condition is immutable, so one
     * tree serves every request that sends the same text; a filter that fails to parse is not kept
     * and fails again with the same error. At most 256 texts of at most {@link #MAX_LENGTH}
     * characters.
     */
    private static final BoundedCache<String, Condition> PARSED = new BoundedCache<>(256, Duration.ofMinutes(10));

    private static Condition parseAnew(String filter) {
        var parser = new Parser(lex(filter));
        var condition = parser.or(0);
        var rest = parser.peek();
        if (rest.kind != Kind.END) {
            throw filterError("unexpected " + rest.quoted(), rest.pos);
        }
        return condition;
    }

    private enum Kind { LPAREN, RPAREN, COMMA, STRING, DATETIME, WORD, END }

    private record Token(Kind kind, String text, String value, int pos) {
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        String lower() {
            return text.toLowerCase(Locale.ROOT);
        }

        String quoted() {
            return switch (kind) {
                case END -> "end of filter";
                case STRING, DATETIME -> text;
                default -> "'" + text + "'";
            };
        }
    }

    private static boolean space(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static List<Token> lex(String s) {
        var tokens = new ArrayList<Token>();
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && space(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                tokens.add(new Token(Kind.END, "", null, n));
                return tokens;
            }
            char c = s.charAt(i);
            switch (c) {
                case '(' -> tokens.add(new Token(Kind.LPAREN, "(", null, i++));
                case ')' -> tokens.add(new Token(Kind.RPAREN, ")", null, i++));
                case ',' -> tokens.add(new Token(Kind.COMMA, ",", null, i++));
                case '\'' -> {
                    var end = stringEnd(s, i);
                    tokens.add(new Token(Kind.STRING, s.substring(i, end), unquote(s, i, end), i));
                    i = end;
                }
                default -> {
                    int start = i;
                    while (i < n && !space(s.charAt(i)) && "(),'".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    var word = s.substring(start, i);
                    if (word.equalsIgnoreCase("datetime") && i < n && s.charAt(i) == '\'') {
                        var end = stringEnd(s, i);
                        tokens.add(new Token(Kind.DATETIME, s.substring(start, end), unquote(s, i, end), start));
                        i = end;
                    } else {
                        tokens.add(new Token(Kind.WORD, word, word, start));
                    }
                }
            }
        }
    }

    /** The index just past the closing quote of the string opening at {@code open}. */
    private static int stringEnd(String s, int open) {
        int j = open + 1;
        while (j < s.length()) {
            if (s.charAt(j) == '\'') {
                if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        throw filterError("unterminated string", open);
    }

    private static String unquote(String s, int open, int end) {
        return s.substring(open + 1, end - 1).replace("''", "'");
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int next;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(next);
        }

        Token peek(int ahead) {
            return tokens.get(Math.min(next + ahead, tokens.size() - 1));
        }

        Token take() {
            var token = tokens.get(next);
            if (token.kind != Kind.END) {
                next++;
            }
            return token;
        }

        Condition or(int depth) {
            var items = new ArrayList<Condition>();
            items.add(and(depth));
            while (peek().is("or")) {
                var or = take();
                items.add(unaryAfter(or, depth, true));
            }
            return combine(items, false);
        }

        private Condition unaryAfter(Token keyword, int depth, boolean thenAnd) {
            if (peek().kind == Kind.END || peek().kind == Kind.RPAREN) {
                throw filterError("expected a condition after '" + keyword.text + "'", peek().pos);
            }
            return thenAnd ? and(depth) : unary(depth);
        }

        Condition and(int depth) {
            var items = new ArrayList<Condition>();
            items.add(unary(depth));
            while (peek().is("and")) {
                var and = take();
                items.add(unaryAfter(and, depth, false));
            }
            return combine(items, true);
        }

        Condition unary(int depth) {
            var token = peek();
            switch (token.kind) {
                case LPAREN -> {
                    if (depth >= MAX_DEPTH) {
                        throw filterError("parentheses nested deeper than " + MAX_DEPTH, token.pos);
                    }
                    take();
                    if (peek().kind == Kind.RPAREN) {
                        throw filterError("expected a condition after '('", peek().pos);
                    }
                    var inner = or(depth + 1);
                    close(token);
                    return inner;
                }
                case WORD -> {
                    if (FUNCTIONS.containsKey(token.lower())) {
                        return function();
                    }
                    if (peek(1).kind == Kind.LPAREN && !FIELDS.containsKey(token.lower())) {
                        throw filterError("unknown function '" + token.text + "'", token.pos);
                    }
                    return comparison();
                }
                case END -> throw filterError("expected a condition", token.pos);
                default -> throw filterError("unexpected " + token.quoted(), token.pos);
            }
        }

        /** Takes the ')' closing {@code open}. */
        private void close(Token open) {
            var token = peek();
            if (token.kind == Kind.END) {
                throw filterError("unclosed parenthesis opened", open.pos);
            }
            if (token.kind != Kind.RPAREN) {
                throw filterError("unexpected " + token.quoted(), token.pos);
            }
            take();
        }

        private Condition function() {
            var name = take();
            var op = FUNCTIONS.get(name.lower());
            var open = take();
            if (open.kind != Kind.LPAREN) {
                throw filterError("expected '(' after '" + name.text + "'", open.pos);
            }
            var fieldToken = take();
            if (fieldToken.kind != Kind.WORD) {
                throw filterError("expected a field after '" + name.text + "('", fieldToken.pos);
            }
            var field = field(fieldToken);
            if (!field.equals(FILE_NAME)) {
                throw filterError("function '" + name.text + "' applies only to fileName, not '" + fieldToken.text + "'",
                        fieldToken.pos);
            }
            var comma = take();
            if (comma.kind != Kind.COMMA) {
                throw filterError(comma.kind == Kind.END
                        ? "unclosed parenthesis opened"
                        : "expected ',' after '" + fieldToken.text + "'", comma.kind == Kind.END ? open.pos : comma.pos);
            }
            var text = take();
            if (text.kind != Kind.STRING) {
                throw filterError("expected a quoted string after ','", text.pos);
            }
            close(open);
            Condition condition = new Condition.Compare(FILE_NAME, op, text.value);
            var after = peek();
            if (after.kind == Kind.WORD && OPERATORS.containsKey(after.lower())) {
                var compare = take();
                var cmp = OPERATORS.get(compare.lower());
                if (cmp != Condition.Op.EQ && cmp != Condition.Op.NE) {
                    throw filterError("function '" + name.text + "' can only be compared with eq or ne, not '"
                            + compare.text + "'", compare.pos);
                }
                var bool = take();
                if (!bool.is("true") && !bool.is("false")) {
                    throw filterError("expected true or false after '" + compare.text + "'", bool.pos);
                }
                boolean wanted = bool.is("true") == (cmp == Condition.Op.EQ);
                if (!wanted) {
                    condition = new Condition.Not(condition);
                }
            }
            return condition;
        }

        private Condition comparison() {
            var fieldToken = take();
            var field = field(fieldToken);
            var opToken = take();
            if (opToken.kind != Kind.WORD || !OPERATORS.containsKey(opToken.lower())) {
                throw filterError("expected an operator (eq, ne, gt, ge, lt, le) after '" + fieldToken.text + "'",
                        opToken.pos);
            }
            var op = OPERATORS.get(opToken.lower());
            var valueToken = take();
            return new Condition.Compare(field, op, value(field, opToken, valueToken));
        }

        private Object value(String field, Token op, Token token) {
            return switch (token.kind) {
                case STRING -> field.equals(UPLOAD_DATE) ? date(token.value, token.pos) : token.value;
                case DATETIME -> date(token.value, token.pos);
                case WORD -> {
                    var text = token.text;
                    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                        yield Boolean.valueOf(text.equalsIgnoreCase("true"));
                    }
                    if (INTEGER.matcher(text).matches()) {
                        try {
                            yield Long.valueOf(text.startsWith("+") ? text.substring(1) : text);
                        } catch (NumberFormatException tooLarge) {
                            throw filterError("invalid number '" + text + "'", token.pos);
                        }
                    }
                    if (DATE_LIKE.matcher(text).matches()) {
                        yield date(text, token.pos);
                    }
                    char first = text.charAt(0);
                    if (Character.isDigit(first) || first == '-' || first == '+' || first == '.') {
                        throw filterError("invalid number '" + text + "'", token.pos);
                    }
                    throw filterError("expected a value after '" + op.text + "' but found '" + text
                            + "' (quote text, as in '" + text + "')", token.pos);
                }
                default -> throw filterError("expected a value after '" + op.text + "'", token.pos);
            };
        }

    }

    private static String field(Token token) {
        var field = FIELDS.get(token.lower());
        if (field == null) {
            throw filterError("unknown field '" + token.text + "'", token.pos);
        }
        return field;
    }

    /**
     * Checks a date-time the way core reads it (ISO 8601 with or without offset, or a bare date;
     * no offset means UTC) and gives it back unchanged.
     */
    private static String date(String text, int pos) {
        var s = text.strip();
        try {
            if (s.length() == 10) {
                LocalDate.parse(s);
                return text;
            }
            var iso = s.replace(' ', 'T');
            try {
                OffsetDateTime.parse(iso);
            } catch (DateTimeParseException noOffset) {
                LocalDateTime.parse(iso);
            }
            return text;
        } catch (DateTimeParseException e) {
            throw filterError("invalid date '" + text + "'", pos);
        }
    }

    private static Condition combine(List<Condition> items, boolean and) {
        if (items.size() == 1) {
            return items.getFirst();
        }
        var flat = new ArrayList<Condition>();
        for (var item : items) {
            if (and && item instanceof Condition.And inner) {
                flat.addAll(inner.items());
            } else if (!and && item instanceof Condition.Or inner) {
                flat.addAll(inner.items());
            } else {
                flat.add(item);
            }
        }
        return and ? new Condition.And(flat) : new Condition.Or(flat);
    }

    private static FilterException filterError(String problem, int position) {
        return new FilterException("$filter", problem, position);
    }

    // ---------------------------------------------------------------- $orderBy

    /**
     * Parses an {@code $orderBy}: {@code field [asc|desc]}, comma-separated for several keys;
     * ascending unless {@code desc}. Returns {@link #DEFAULT_ORDER} when null or blank.
     */
    public static List<SortKey> parseOrderBy(String orderBy) {
        if (orderBy == null || orderBy.isBlank()) {
            return DEFAULT_ORDER;
        }
        if (orderBy.length() > MAX_LENGTH) {
            throw orderError("longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        var keys = new ArrayList<SortKey>();
        var seen = new HashSet<String>();
        int n = orderBy.length();
        int start = 0;
        while (true) {
            int comma = orderBy.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            var words = words(orderBy, start, end);
            if (words.isEmpty()) {
                int at = start;
                while (at < end && space(orderBy.charAt(at))) {
                    at++;
                }
                throw orderError("expected a field", at);
            }
            var fieldWord = words.getFirst();
            var field = FIELDS.get(fieldWord.text.toLowerCase(Locale.ROOT));
            if (field == null) {
                throw orderError("unknown field '" + fieldWord.text + "'", fieldWord.pos);
            }
            if (!seen.add(field)) {
                throw orderError("field '" + fieldWord.text + "' is sorted on twice", fieldWord.pos);
            }
            boolean descending = false;
            if (words.size() > 1) {
                var direction = words.get(1);
                if (direction.text.equalsIgnoreCase("desc")) {
                    descending = true;
                } else if (!direction.text.equalsIgnoreCase("asc")) {
                    throw orderError("unknown direction '" + direction.text + "' (asc or desc)", direction.pos);
                }
            }
            if (words.size() > 2) {
                throw orderError("unexpected '" + words.get(2).text + "'", words.get(2).pos);
            }
            keys.add(new SortKey(field, descending));
            if (comma < 0) {
                return List.copyOf(keys);
            }
            start = comma + 1;
        }
    }

    private record Word(String text, int pos) {
    }

    private static List<Word> words(String s, int from, int to) {
        var words = new ArrayList<Word>();
        int i = from;
        while (i < to) {
            while (i < to && space(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < to && !space(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(new Word(s.substring(start, i), start));
            }
        }
        return words;
    }

    private static FilterException orderError(String problem, int position) {
        return new FilterException("$orderBy", problem, position);
    }
}
