package io.dossier.core.tenant;

import java.time.Instant;
import java.util.List;

/**
 * An organisation whose data is kept apart from every other's. {@code id} is numeric because OWS
 * shows it as {@code clientId}; {@code slug} is what URLs and tokens name (File API
 * {@code tenantId}, Youforce {@code tenant_id}).
 */
public record Tenant(long id, String slug, String name, List<String> contentLanguages, String defaultLanguage,
                     Instant createdAt) {

    public Tenant {
        contentLanguages = List.copyOf(contentLanguages);
    }
}
