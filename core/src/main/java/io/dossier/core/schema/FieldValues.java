package io.dossier.core.schema;

import io.dossier.core.Failure;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns what a client sent for a field into the field's Java type. Clients of these APIs send ids
 * and booleans as strings ({@code "typeId":"1"}, {@code "private":"false"}), so strings are
 * accepted wherever their text is a valid value.
 */
public final class FieldValues {

    private FieldValues() {
    }

    /** The typed value of {@code raw} for {@code field}; null stays null. */
    public static Object coerce(FieldDef field, Object raw) {
        if (raw == null) {
            return null;
        }
        try {
            return switch (field.type()) {
                case STRING, TEXT -> text(field, raw);
                case INT -> integer(raw);
                case DOUBLE -> decimal(raw);
                case BOOLEAN -> bool(raw);
                case DATE -> date(raw);
                case DATETIME -> dateTime(raw);
                case CONTAINER, COLLECTION -> throw new IllegalArgumentException();
            };
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            throw Failure.invalid("field " + field.path() + " expects " + expected(field) + ", got " + shown(raw));
        }
    }

    private static String text(FieldDef field, Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof Number || raw instanceof Boolean) {
            return raw.toString();
        }
        throw new IllegalArgumentException();
    }

    private static Long integer(Object raw) {
        return switch (raw) {
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case BigInteger b -> b.longValueExact();
            case Double d when d == Math.rint(d) && !d.isInfinite() -> d.longValue();
            case BigDecimal b -> b.longValueExact();
            case String s -> Long.parseLong(s.strip());
            default -> throw new IllegalArgumentException();
        };
    }

    private static Double decimal(Object raw) {
        return switch (raw) {
            case Number n -> {
                var d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException();
                }
                yield d;
            }
            case String s -> {
                var d = Double.parseDouble(s.strip());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException();
                }
                yield d;
            }
            default -> throw new IllegalArgumentException();
        };
    }

    private static Boolean bool(Object raw) {
        return switch (raw) {
            case Boolean b -> b;
            case Number n when n.longValue() == 0 || n.longValue() == 1 -> n.longValue() == 1;
            case String s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0", "" -> false;
                default -> throw new IllegalArgumentException();
            };
            default -> throw new IllegalArgumentException();
        };
    }

    private static LocalDate date(Object raw) {
        return switch (raw) {
            case LocalDate d -> d;
            case LocalDateTime dt -> dt.toLocalDate();
            case String s when s.strip().length() >= 10 -> LocalDate.parse(s.strip().substring(0, 10));
            default -> throw new IllegalArgumentException();
        };
    }

    private static Instant dateTime(Object raw) {
        return switch (raw) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            case String s -> parseDateTime(s.strip());
            default -> throw new IllegalArgumentException();
        };
    }

    /** ISO 8601 with or without offset, or {@code yyyy-MM-dd HH:mm:ss}, or a bare date; no offset means UTC. */
    static Instant parseDateTime(String s) {
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        var iso = s.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException noOffset) {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        }
    }

    private static String expected(FieldDef field) {
        return switch (field.type()) {
            case STRING, TEXT -> "a string";
            case INT -> "an integer";
            case DOUBLE -> "a number";
            case BOOLEAN -> "a boolean";
            case DATE -> "a date (yyyy-MM-dd)";
            case DATETIME -> "a date and time (yyyy-MM-dd HH:mm:ss or ISO 8601)";
            case CONTAINER -> "an object of fields";
            case COLLECTION -> "an object of items keyed by position";
        };
    }

    static String shown(Object raw) {
        var text = raw instanceof String s ? "'" + s + "'" : raw instanceof java.util.Map<?, ?> ? "an object"
                : raw instanceof java.util.List<?> ? "a list" : String.valueOf(raw);
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
