package io.dossier.api.ows;

import io.dossier.core.session.Session;
import io.dossier.core.settings.Setting;
import io.dossier.core.settings.Settings;
import io.dossier.core.settings.SettingsService;
import io.dossier.core.tenant.TenantService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CsmService.getValue}: client settings by OTYS's setting codes, read from core's settings
 * of the session's tenant. {@code getValue(session, ["DB103","SE2995"], clientId)} answers
 * {@code {"DB103":{"value":…},"SE2995":{"value":…}}}; one code as a string answers
 * {@code {"value":…}}. The client id a caller passes is not read: a session sees its own tenant only.
 */
final class OwsClientSettings {

    /** The client code: the tenant's slug. */
    static final String CLIENT_CODE = "DB103";

    /** OTYS setting codes and the core settings they read. */
    static final Map<String, Setting<?>> CODES = Map.of(
            "SE2995", Settings.GDPR_CONSENT,
            "SE3004", Settings.GDPR_CONSENT_ON_APPLICATION,
            "SE3348", Settings.GDPR_CONSENT_ON_OPEN_APPLICATION,
            "SE2999", Settings.GDPR_KEEP_MONTHS_WITH_CONSENT,
            "SE2997", Settings.GDPR_KEEP_DAYS_WITHOUT_CONSENT);

    private final SettingsService settings;
    private final TenantService tenants;

    OwsClientSettings(SettingsService settings, TenantService tenants) {
        this.settings = settings;
        this.tenants = tenants;
    }

    Object call(String method, Session session, Params params) {
        if (!method.equals("getValue")) {
            throw new OwsError(OwsError.METHOD_NOT_FOUND, "Method not found: " + OwsService.SERVICE_PREFIX + "CsmService." + method);
        }
        var codes = params.get(1);
        if (codes instanceof String code) {
            return value(session, code);
        }
        if (!(codes instanceof List<?> list) || list.isEmpty()) {
            throw OwsError.invalidParams(params.method() + ": parameter 2 (codes) must be a setting code or a list of them");
        }
        var out = new LinkedHashMap<String, Object>();
        for (var code : list) {
            if (!(code instanceof String text)) {
                throw OwsError.invalidParams(params.method() + ": setting codes are strings");
            }
            out.put(text, value(session, text));
        }
        return out;
    }

    private Map<String, Object> value(Session session, String code) {
        Object value;
        if (code.equals(CLIENT_CODE)) {
            value = tenants.byId(session.tenantId()).slug();
        } else {
            var setting = CODES.get(code);
            if (setting == null) {
                throw OwsError.invalidParams("unknown setting code " + code + " (known: " + CLIENT_CODE + ", "
                        + String.join(", ", CODES.keySet().stream().sorted().toList()) + ")");
            }
            value = settings.get(session.tenantId(), setting);
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("value", value);
        return out;
    }
}
