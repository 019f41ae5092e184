package io.dossier.it.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random choices of one request, from one seeded source, and the values the grammars share:
 * hostile strings and numbers, and JSON written from plain Java values ({@link Raw} for tokens a
 * JSON library would refuse to write, such as {@code 1e400} or a truncated document).
 */
final class Gen {

    /** JSON text written as is. */
    record Raw(String text) {
    }

    static final List<String> HOSTILE_STRINGS = List.of("", " ", "'", "\"", "%", "_", "\\", "' OR 1=1 --", "%' OR '1'='1",
            "Zoë Ørsted-Ünal", "😀👍🏽", "\u0000", "a\u0000b", "\u202Eevil", "null", "true", "1e309", "-1", "2026-13-45",
            "0000-00-00 00:00:00", "2024-02-30", "9999-12-31 23:59:59", "<script>alert(1)</script>", "${jndi:ldap://x}",
            "../../etc/passwd", "CON", "a,b;c", "\t\n\r", "%00", "%zz", "+", "=", "&", "日本語テキスト");

    private final SplittableRandom random;

    Gen(long seed) {
        this.random = new SplittableRandom(seed);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int between(int lowInclusive, int highInclusive) {
        return random.nextInt(lowInclusive, highInclusive + 1);
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    String hostileString() {
        return switch (random.nextInt(6)) {
            case 0 -> "x".repeat(between(200, 20_000));
            case 1 -> pick("é", "ß", "字", "🙂").repeat(between(50, 400));
            default -> pick(HOSTILE_STRINGS);
        };
    }

    Object hostileNumber() {
        return pick(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1.5, -0.0, 1e308,
                new Raw("1e400"), new Raw("-1e400"), new Raw("9223372036854775808"), new Raw("123456789012345678901234567890"),
                new Raw("-0"), new Raw("1E2"), new Raw("0.000000000000000000000000001"), new Raw("2147483648"));
    }

    /** A text field's value for a JSON body: mostly plain, sometimes hostile, now and then any JSON value. */
    Object text() {
        return chance(0.6) ? "fuzz" + between(0, 1_000_000) : chance(0.7) ? hostileString() : anyValue(1);
    }

    /** A JSON object of these keys and values, each now and then left out or given any value, sometimes with a key too many. */
    Map<String, Object> fields(Object... keysAndValues) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (chance(0.9)) {
                map.put((String) keysAndValues[i], chance(0.93) ? keysAndValues[i + 1] : anyValue(1));
            }
        }
        if (chance(0.05)) {
            map.put(pick("nope", "id", "createdAt", ""), anyValue(1));
        }
        return map;
    }

    /** Any JSON value, nested up to {@code depth}. */
    Object anyValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> hostileNumber();
            case 3 -> hostileString();
            case 4 -> between(-3, 400);
            case 5 -> pick("1", "true", "0", "abc", "EQ", "nl", "2024-01-01");
            case 6, 7 -> {
                var map = new LinkedHashMap<String, Object>();
                for (int i = between(0, 3); i > 0; i--) {
                    map.put(pick("0", "1", "uid", "type", "items", "field", "op", "param", "what", "method", "args", hostileString()), anyValue(depth - 1));
                }
                yield map;
            }
            default -> {
                var list = new ArrayList<Object>();
                for (int i = between(0, 3); i > 0; i--) {
                    list.add(anyValue(depth - 1));
                }
                yield list;
            }
        };
    }

    /** {@code [[[…]]]} or {@code {"a":{"a":…}}} nested {@code depth} deep (unbalanced when {@code close} is false). */
    static Raw deep(int depth, boolean object, boolean close) {
        var open = object ? "{\"a\":" : "[";
        var out = new StringBuilder(open.repeat(depth)).append("1");
        if (close) {
            out.append((object ? "}" : "]").repeat(depth));
        }
        return new Raw(out.toString());
    }

    /** A map of {@code key, value, …} pairs that, unlike {@code Map.of}, takes nulls and keeps the order. */
    static Map<String, Object> map(Object... keysAndValues) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return map;
    }

    static String json(Object value) {
        var out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Raw raw -> out.append(raw.text());
            case String s -> quote(out, s);
            case Double d when d.isNaN() || d.isInfinite() -> out.append("1e999");
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (var entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, list.get(i));
                }
                out.append(']');
            }
            default -> quote(out, value.toString());
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Small structural damage to a JSON text: cut it, drop or double a character, or add junk. */
    String breakJson(String text) {
        if (text.isEmpty()) {
            return "{";
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(7)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + text.substring(at + 1);
            case 2 -> text.substring(0, at) + text.charAt(at) + text.substring(at);
            case 3 -> text.substring(0, at) + pick("{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "NaN", "//", "/*") + text.substring(at);
            case 4 -> text + pick("garbage", "}", "]", ",{}", "\n\n", "\u0000");
            case 5 -> "\uFEFF" + text;
            default -> text.replace("\"", "'");
        };
    }
}
