package io.dossier.core.settings;

import io.dossier.core.Failure;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The value types a setting can have. A value is stored as canonical text ({@link #format}) and read
 * back with {@link #parse}; {@link #accept} takes a value as it came from JSON (a boolean, a number,
 * a string) and refuses anything of another type.
 */
public enum SettingType {

    BOOLEAN(Boolean.class, "a boolean (true or false)"),
    INTEGER(Long.class, "an integer"),
    STRING(String.class, "a string"),
    /** An ISO-8601 duration such as {@code PT15M}. */
    DURATION(Duration.class, "a duration (ISO-8601, such as PT15M)");

    /** The longest stored text of a value. */
    public static final int MAX_TEXT = 1000;

    private final Class<?> javaType;
    private final String description;

    SettingType(Class<?> javaType, String description) {
        this.javaType = javaType;
        this.description = description;
    }

    public Class<?> javaType() {
        return javaType;
    }

    /** How the type is named in messages: {@code a boolean (true or false)}. */
    public String description() {
        return description;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A value as JSON gave it (Boolean, a Number, a String): the typed value, or INVALID naming {@code key}. */
    public Object accept(String key, Object raw) {
        var value = switch (this) {
            case BOOLEAN -> raw instanceof Boolean b ? b : null;
            case INTEGER -> raw instanceof Number n ? integral(n) : null;
            case STRING -> raw instanceof String s ? s : null;
            case DURATION -> raw instanceof String s ? duration(s) : null;
        };
        if (value == null) {
            throw wrongType(key);
        }
        if (value instanceof String s && s.length() > MAX_TEXT) {
            throw Failure.invalid("setting '" + key + "' takes at most " + MAX_TEXT + " characters");
        }
        return value;
    }

    /** A value typed as text (the CLI, the stored form): the typed value, or INVALID naming {@code key}. */
    public Object parse(String key, String text) {
        if (text == null) {
            throw wrongType(key);
        }
        var value = switch (this) {
            case BOOLEAN -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> null;
            };
            case INTEGER -> {
                try {
                    yield Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case STRING -> text;
            case DURATION -> duration(text.strip());
        };
        if (value == null) {
            throw wrongType(key);
        }
        return accept(key, value instanceof Duration d ? d.toString() : value);
    }

    /** The canonical text of a value of this type. */
    public String format(Object value) {
        return value.toString();
    }

    private Failure wrongType(String key) {
        return Failure.invalid("setting '" + key + "' takes " + description);
    }

    private static Long integral(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof java.math.BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (n instanceof java.math.BigDecimal dec) {
            try {
                return dec.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static Duration duration(String text) {
        try {
            var d = Duration.parse(text);
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
