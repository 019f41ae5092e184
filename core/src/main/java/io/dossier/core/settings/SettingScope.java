package io.dossier.core.settings;

/**
 * Where a setting is set. A {@link #TENANT} setting has one value per tenant. A {@link #CONTAINER}
 * setting has a value per container, and may also be set on the tenant: that value is the default of
 * the tenant's containers.
 */
public enum SettingScope { TENANT, CONTAINER }
