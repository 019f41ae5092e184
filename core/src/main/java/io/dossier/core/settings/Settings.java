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

    /** Whether the tenant asks candidates for consent to keep their data (GDPR) at all. */
    public static final Setting<Boolean> GDPR_CONSENT = Setting.flag("gdpr.consent", false, SettingScope.TENANT,
            "Whether candidates are asked for consent to keep their data (GDPR)");

    /** Whether the consent question is asked with an application for a vacancy. */
    public static final Setting<Boolean> GDPR_CONSENT_ON_APPLICATION = Setting.flag("gdpr.consent-on-application", false,
            SettingScope.TENANT, "Whether the consent question is asked when a candidate applies for a vacancy");

    /** Whether the consent question is asked with an open application (one for no vacancy). */
    public static final Setting<Boolean> GDPR_CONSENT_ON_OPEN_APPLICATION = Setting.flag("gdpr.consent-on-open-application", false,
            SettingScope.TENANT, "Whether the consent question is asked with an open application");

    /** How long the data of a candidate who gave consent is kept. */
    public static final Setting<Long> GDPR_KEEP_MONTHS_WITH_CONSENT = Setting.integer("gdpr.keep-months-with-consent", 24,
            SettingScope.TENANT, "Months the data of a candidate who consented is kept");

    /** How long the data of a candidate who declined is kept. */
    public static final Setting<Long> GDPR_KEEP_DAYS_WITHOUT_CONSENT = Setting.integer("gdpr.keep-days-without-consent", 30,
            SettingScope.TENANT, "Days the data of a candidate who did not consent is kept");

    /**
     * Whether the tenant's webhooks may post to loopback, private and link-local addresses (a
     * receiver on the same network, a test); off, so that webhooks cannot reach the server's own network.
     */
    public static final Setting<Boolean> WEBHOOKS_ALLOW_PRIVATE_TARGETS = Setting.flag("webhooks.allow-private-targets", false,
            SettingScope.TENANT, "Whether webhooks may post to loopback, private and link-local addresses");

    /**
     * Whether the tenant's personal file store takes documents now: an operator's (and the tests')
     * fault switch; while off, documents taken in for personal files wait and are retried.
     */
    public static final Setting<Boolean> PERSONAL_FILE_AVAILABLE = Setting.flag("hr.personal-file-available", true, SettingScope.TENANT,
            "Whether the personal file store takes documents now (off: uploads wait and are retried)");

    public static final List<Setting<?>> ALL = List.of(API_ACCESS_ALLOWED, DOCUMENTS_DOWNLOAD_VIA_API, GDPR_CONSENT,
            GDPR_CONSENT_ON_APPLICATION, GDPR_CONSENT_ON_OPEN_APPLICATION, GDPR_KEEP_MONTHS_WITH_CONSENT, GDPR_KEEP_DAYS_WITHOUT_CONSENT,
            WEBHOOKS_ALLOW_PRIVATE_TARGETS, PERSONAL_FILE_AVAILABLE);

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
