package io.dossier.core.tenant;

import java.util.List;
import java.util.Optional;

/** Port: where tenants live. */
public interface TenantRepository {
    Tenant insert(String slug, String name, List<String> contentLanguages, String defaultLanguage);

    Optional<Tenant> findById(long id);

    Optional<Tenant> findBySlug(String slug);

    List<Tenant> list();
}
