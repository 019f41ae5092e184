package io.dossier.core.tenant;

import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

public final class TenantService {

    /** The content languages OWS knows (manual §2.6). */
    public static final List<String> LANGUAGES = List.of("cs", "de", "en", "es", "fr", "nl", "us");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final TenantRepository tenants;
    /**
     * Tenants by id, as every authenticated request of a dialect asks for its tenant: a tenant row
     * never changes once inserted (no update or delete exists), so an entry is never stale; the
     * ceiling bounds the heap, the time to live only frees memory.
     */
    private final BoundedCache<Long, Tenant> byId = new BoundedCache<>(10_000, Duration.ofMinutes(10));

    public TenantService(TenantRepository tenants) {
        this.tenants = tenants;
    }

    public Tenant create(String slug, String name) {
        return create(slug, name, List.of("en"), "en");
    }

    public Tenant create(String slug, String name, List<String> languages, String defaultLanguage) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw Failure.invalid("tenant slug must be 1-63 of a-z, 0-9, '-' or '_', starting with a letter or digit");
        }
        // A JSON [null] arrives as a list holding null, which Set.containsAll cannot look up.
        if (languages != null && languages.stream().anyMatch(java.util.Objects::isNull)) {
            throw Failure.invalid("content languages must not contain null");
        }
        if (languages == null || languages.isEmpty() || !LANGUAGES.containsAll(languages)) {
            throw Failure.invalid("content languages must be a non-empty subset of " + LANGUAGES);
        }
        if (Set.copyOf(languages).size() != languages.size()) {
            throw Failure.invalid("content languages must not repeat");
        }
        if (defaultLanguage == null || !languages.contains(defaultLanguage)) {
            throw Failure.invalid("default language must be one of the tenant's content languages");
        }
        if (name != null && name.length() > 200) {
            throw Failure.invalid("tenant name must have at most 200 characters");
        }
        if (tenants.findBySlug(slug).isPresent()) {
            throw Failure.conflict("tenant '" + slug + "' already exists");
        }
        return tenants.insert(slug, name == null || name.isBlank() ? slug : name, languages, defaultLanguage);
    }

    public Tenant bySlug(String slug) {
        return tenants.findBySlug(slug).orElseThrow(() -> Failure.notFound("no tenant '" + slug + "'"));
    }

    public java.util.Optional<Tenant> findBySlug(String slug) {
        return slug == null ? java.util.Optional.empty() : tenants.findBySlug(slug);
    }

    public Tenant byId(long id) {
        var cached = byId.get(id);
        if (cached.isPresent()) {
            return cached.get();
        }
        var tenant = tenants.findById(id).orElseThrow(() -> Failure.notFound("no tenant " + id));
        byId.put(id, tenant);
        return tenant;
    }

    public List<Tenant> list() {
        return tenants.list();
    }
}
