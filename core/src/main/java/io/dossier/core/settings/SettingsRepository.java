package io.dossier.core.settings;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Port: stored setting values, as canonical text. A value belongs to a tenant and a scope key:
 * {@link #TENANT_LEVEL} for the tenant itself, else a container's resource key ({@code Candidate/42}).
 * Every call takes the tenant.
 */
public interface SettingsRepository {

    /** The scope key of values set on the tenant itself. */
    String TENANT_LEVEL = "";

    /** The values stored under the given scope keys for one setting key: scope key → text, absent when unset. One query. */
    Map<String, String> values(long tenantId, Collection<String> scopeKeys, String key);

    /** Every value stored under one scope key: setting key → text. */
    Map<String, String> all(long tenantId, String scopeKey);

    /** Sets (inserts or replaces) a value. */
    void put(long tenantId, String scopeKey, String key, String text, Instant at);

    /** Removes a value; false when none was set. */
    boolean remove(long tenantId, String scopeKey, String key);
}
