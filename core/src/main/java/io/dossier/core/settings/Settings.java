package io.dossier.core.settings;

import io.dossier.core.Failure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The settings core declares. A key not here is unknown: reading or setting it is INVALID. */
public final class Settings {

    /** Whether the tenant's clients and users may use the APIs at all (log in, get a token). */
    public static final Setting<Boolean> API_ACCESS_ALLOWED = Setting.flag("api.access-allowed", true, SettingScope.TENANT,
            "Whether the tenant's users and clients may log in to the APIs and obtain tokens");

    /** Whether a container's documents may be downloaded through the APIs. */
    public static final Setting<Boolean> DOCUMENTS_DOWNLOAD_VIA_API = Setting.flag("documents.download-via-api", true,
            SettingScope.CONTAINER, "Whether the documents of a container may be downloaded through the APIs");

    public static final List<Setting<?>> ALL = List.of(API_ACCESS_ALLOWED, DOCUMENTS_DOWNLOAD_VIA_API);

    private static final Map<String, Setting<?>> BY_KEY = ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::key,
            Function.identity()));

    private Settings() {
    }

    public static Optional<Setting<?>> find(String key) {
        return Optional.ofNullable(key == null ? null : BY_KEY.get(key));
    }

    /** The declared setting named {@code key}; INVALID naming the known keys when there is none. */
    public static Setting<?> byKey(String key) {
        return find(key).orElseThrow(() -> Failure.invalid("unknown setting '" + key + "'; known settings: "
                + String.join(", ", ALL.stream().map(Setting::key).sorted().toList())));
    }
}
