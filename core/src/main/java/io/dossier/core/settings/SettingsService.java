package io.dossier.core.settings;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.Resource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed settings per tenant and per container.
 *
 * <p>The rule for reading: a {@link SettingScope#TENANT} setting is the tenant's value, else its
 * default. A {@link SettingScope#CONTAINER} setting read for a container is the container's value,
 * else the tenant's value (the default of the tenant's containers), else the declared default; read
 * for the tenant alone it is the tenant's value, else the default. A tenant setting cannot be set on
 * a container. A container needs not exist to carry a value: core does not know every kind of
 * container, and a value of a container that is gone is simply never read.
 */
public final class SettingsService {

    private final SettingsRepository repository;
    private final Transactions transactions;
    private final Clock clock;

    public SettingsService(SettingsRepository repository, Transactions transactions, Clock clock) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The tenant's value of {@code setting}, else its default. */
    public <T> T get(long tenantId, Setting<T> setting) {
        return setting.javaType().cast(read(tenantId, null, setting).value());
    }

    /** The container's value of a container setting, else the tenant's, else the default (one query). */
    public <T> T get(long tenantId, Resource container, Setting<T> setting) {
        return setting.javaType().cast(read(tenantId, container(container), setting).value());
    }

    /**
     * Refuses (FORBIDDEN) when the tenant's {@link Settings#API_ACCESS_ALLOWED} is off. Called where a
     * dialect resolves a caller's credential into a session or a token.
     */
    public void requireApiAccess(long tenantId) {
        requireApiAccess(get(tenantId, Settings.API_ACCESS_ALLOWED));
    }

    /** Refuses (FORBIDDEN) unless {@code allowed}: the tenant's {@link Settings#API_ACCESS_ALLOWED} as read along with a credential. */
    public static void requireApiAccess(boolean allowed) {
        if (!allowed) {
            throw Failure.forbidden("API access is switched off for this tenant");
        }
    }

    /** Every declared setting with its value on the tenant. */
    public List<SettingValue> list(long tenantId) {
        var stored = repository.all(tenantId, SettingsRepository.TENANT_LEVEL);
        var out = new ArrayList<SettingValue>();
        for (var setting : Settings.ALL) {
            var text = stored.get(setting.key());
            out.add(text == null ? new SettingValue(setting, setting.defaultValue(), SettingValue.Source.DEFAULT)
                    : new SettingValue(setting, setting.read(text), SettingValue.Source.TENANT));
        }
        return out;
    }

    /** Every container setting with its value on the container (after the fallback). */
    public List<SettingValue> list(long tenantId, Resource container) {
        var key = container(container).key();
        var own = repository.all(tenantId, key);
        var tenant = repository.all(tenantId, SettingsRepository.TENANT_LEVEL);
        var out = new ArrayList<SettingValue>();
        for (var setting : Settings.ALL) {
            if (setting.scope() != SettingScope.CONTAINER) {
                continue;
            }
            out.add(value(setting, own.get(setting.key()), tenant.get(setting.key())));
        }
        return out;
    }

    /** The value of the setting named {@code key} on the tenant; INVALID when the key is unknown. */
    public SettingValue get(long tenantId, String key) {
        return read(tenantId, null, Settings.byKey(key));
    }

    /** The value of the container setting named {@code key} on a container; INVALID when unknown or not a container setting. */
    public SettingValue get(long tenantId, Resource container, String key) {
        return read(tenantId, container(container), containerSetting(key));
    }

    /** Sets a tenant value from a JSON value ({@code Boolean}, a {@code Number}, a {@code String}); INVALID on a wrong type. */
    public SettingValue set(long tenantId, String key, Object raw) {
        var setting = Settings.byKey(key);
        repository.put(tenantId, SettingsRepository.TENANT_LEVEL, key, setting.type().format(setting.type().accept(key, raw)),
                clock.instant());
        return read(tenantId, null, setting);
    }

    /** Sets a container value from a JSON value; INVALID on a wrong type or a tenant setting. */
    public SettingValue set(long tenantId, Resource container, String key, Object raw) {
        var setting = containerSetting(key);
        var scope = container(container);
        repository.put(tenantId, scope.key(), key, setting.type().format(setting.type().accept(key, raw)), clock.instant());
        return read(tenantId, scope, setting);
    }

    /** Sets several tenant values (key → JSON value) all or none: every key and value is checked before any is written. */
    public List<SettingValue> setAll(long tenantId, Map<String, Object> values) {
        var texts = new LinkedHashMap<String, String>();
        values.forEach((key, raw) -> {
            var setting = Settings.byKey(key);
            texts.put(key, setting.type().format(setting.type().accept(key, raw)));
        });
        var at = clock.instant();
        transactions.run(() -> texts.forEach((key, text) -> repository.put(tenantId, SettingsRepository.TENANT_LEVEL, key, text, at)));
        return list(tenantId);
    }

    /** Sets several values of a container all or none. */
    public List<SettingValue> setAll(long tenantId, Resource container, Map<String, Object> values) {
        var scope = container(container);
        var texts = new LinkedHashMap<String, String>();
        values.forEach((key, raw) -> {
            var setting = containerSetting(key);
            texts.put(key, setting.type().format(setting.type().accept(key, raw)));
        });
        var at = clock.instant();
        transactions.run(() -> texts.forEach((key, text) -> repository.put(tenantId, scope.key(), key, text, at)));
        return list(tenantId, scope);
    }

    /** Sets a tenant value typed as text (the CLI). */
    public SettingValue setText(long tenantId, String key, String text) {
        var setting = Settings.byKey(key);
        return set(tenantId, key, textToJson(setting, text));
    }

    /** Sets a container value typed as text (the CLI). */
    public SettingValue setText(long tenantId, Resource container, String key, String text) {
        return set(tenantId, container, key, textToJson(containerSetting(key), text));
    }

    /** Removes the tenant's value, so the default applies again; returns the value now in force. */
    public SettingValue reset(long tenantId, String key) {
        var setting = Settings.byKey(key);
        repository.remove(tenantId, SettingsRepository.TENANT_LEVEL, key);
        return read(tenantId, null, setting);
    }

    /** Removes the container's value, so the tenant's value or the default applies again. */
    public SettingValue reset(long tenantId, Resource container, String key) {
        var setting = containerSetting(key);
        var scope = container(container);
        repository.remove(tenantId, scope.key(), key);
        return read(tenantId, scope, setting);
    }

    private SettingValue read(long tenantId, Resource container, Setting<?> setting) {
        if (container == null || setting.scope() != SettingScope.CONTAINER) {
            var text = repository.values(tenantId, List.of(SettingsRepository.TENANT_LEVEL), setting.key())
                    .get(SettingsRepository.TENANT_LEVEL);
            return value(setting, null, text);
        }
        var found = repository.values(tenantId, List.of(container.key(), SettingsRepository.TENANT_LEVEL), setting.key());
        return value(setting, found.get(container.key()), found.get(SettingsRepository.TENANT_LEVEL));
    }

    private static SettingValue value(Setting<?> setting, String containerText, String tenantText) {
        if (containerText != null) {
            return new SettingValue(setting, setting.read(containerText), SettingValue.Source.CONTAINER);
        }
        if (tenantText != null) {
            return new SettingValue(setting, setting.read(tenantText), SettingValue.Source.TENANT);
        }
        return new SettingValue(setting, setting.defaultValue(), SettingValue.Source.DEFAULT);
    }

    private static Setting<?> containerSetting(String key) {
        var setting = Settings.byKey(key);
        if (setting.scope() != SettingScope.CONTAINER) {
            throw Failure.invalid("setting '" + key + "' is a tenant setting; it cannot be set on a container");
        }
        return setting;
    }

    private static Resource container(Resource resource) {
        if (resource == null || resource.kind() != Resource.Kind.CONTAINER) {
            throw Failure.invalid("settings are kept on tenants and containers only");
        }
        return resource;
    }

    /** Text typed for a setting, as the JSON value {@link SettingType#accept} takes. */
    private static Object textToJson(Setting<?> setting, String text) {
        var value = setting.type().parse(setting.key(), text);
        return value instanceof java.time.Duration d ? d.toString() : value;
    }
}
