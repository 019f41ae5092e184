package io.dossier.core.settings;

/**
 * A setting's value where it was read, and where that value comes from.
 *
 * @param source {@code CONTAINER} or {@code TENANT} when set there, {@code DEFAULT} when nothing is set
 */
public record SettingValue(Setting<?> setting, Object value, Source source) {

    public enum Source { CONTAINER, TENANT, DEFAULT }
}
