package io.dossier.core.settings;

import io.dossier.core.Failure;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A declared setting: a key, a value type, a default and a scope. Settings are declared in core
 * ({@link Settings}); a dialect reads them, it does not add keys of its own.
 *
 * @param <T> the Java type of the value ({@code Boolean}, {@code Long}, {@code String}, {@code Duration})
 */
public record Setting<T>(String key, SettingType type, Class<T> javaType, T defaultValue, SettingScope scope, String description) {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    public Setting {
        if (key == null || key.length() > 100 || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a setting key is dotted lower-case words: " + key);
        }
        Objects.requireNonNull(defaultValue, "default");
        if (javaType != type.javaType() || !javaType.isInstance(defaultValue)) {
            throw new IllegalArgumentException(key + ": type and default do not agree");
        }
    }

    public static Setting<Boolean> flag(String key, boolean defaultValue, SettingScope scope, String description) {
        return new Setting<>(key, SettingType.BOOLEAN, Boolean.class, defaultValue, scope, description);
    }

    public static Setting<Long> integer(String key, long defaultValue, SettingScope scope, String description) {
        return new Setting<>(key, SettingType.INTEGER, Long.class, defaultValue, scope, description);
    }

    public static Setting<String> text(String key, String defaultValue, SettingScope scope, String description) {
        return new Setting<>(key, SettingType.STRING, String.class, defaultValue, scope, description);
    }

    public static Setting<java.time.Duration> duration(String key, java.time.Duration defaultValue, SettingScope scope,
                                                       String description) {
        return new Setting<>(key, SettingType.DURATION, java.time.Duration.class, defaultValue, scope, description);
    }

    /**
     * The value in force from stored texts (null where none is stored): a container's, else the
     * tenant's, else the default (a tenant setting ignores a container's text).
     */
    public T inForce(String containerText, String tenantText) {
        if (containerText != null && scope == SettingScope.CONTAINER) {
            return read(containerText);
        }
        return tenantText != null ? read(tenantText) : defaultValue;
    }

    /** The stored text read back as a value; a value that no longer parses (a changed type) reads as the default. */
    T read(String text) {
        try {
            return javaType.cast(type.parse(key, text));
        } catch (Failure stale) {
            return defaultValue;
        }
    }
}
