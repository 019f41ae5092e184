package io.dossier.core.token;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Callers;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.Secrets;
import io.dossier.core.tenant.TenantService;
import java.time.Clock;
import java.time.Duration;

/**
 * OAuth client-credentials tokens, for every dialect that uses them (File API, Youforce). A client
 * acts in its own tenant and in the tenants it has been granted; the tenant is fixed when the token
 * is issued, or — for legacy clients — named on every call.
 */
public final class TokenService {

    private final IdentityService identities;
    private final TenantService tenants;
    private final TokenRepository tokens;
    private final Callers callers;
    private final Clock clock;
    private final Duration lifetime;
    private final BoundedCache<String, AccessToken> known;

    /**
     * @param cacheTtl how long a node keeps a token it has read (tokens are never changed, only
     *                 issued and expired; their expiry is checked on every call) and, through
     *                 {@code callers}, its client: a client revoked on another node is refused
     *                 here within that time, as its sessions are
     */
    public TokenService(IdentityService identities, TenantService tenants, TokenRepository tokens, Callers callers, Clock clock,
                        Duration lifetime, Duration cacheTtl) {
        this.identities = identities;
        this.tenants = tenants;
        this.tokens = tokens;
        this.callers = callers;
        this.clock = clock;
        this.lifetime = lifetime;
        this.known = new BoundedCache<>(10_000, cacheTtl);
    }

    /** Issues a token for the client; {@code tenantSlug} null means the tenant will come with each call. */
    public IssuedToken issue(String clientId, String secret, String tenantSlug) {
        return issue(clientId, secret, tenantSlug, tenant -> { });
    }

    /**
     * Issues a token after {@code admit} accepted the client's own tenant and the tenant it names (a
     * refusal is thrown by {@code admit}); nothing is stored when it refuses.
     */
    public IssuedToken issue(String clientId, String secret, String tenantSlug, java.util.function.LongConsumer admit) {
        var client = identities.authenticateOAuth(clientId, secret);
        Long tenantId = null;
        if (tenantSlug != null && !tenantSlug.isBlank()) {
            tenantId = tenantOf(client, tenantSlug);
        }
        admit.accept(client.tenantId());
        if (tenantId != null && tenantId != client.tenantId()) {
            admit.accept(tenantId);
        }
        var token = Secrets.random(32);
        tokens.insert(new AccessToken(Secrets.hash(token), client.id(), tenantId, clock.instant().plus(lifetime)));
        return new IssuedToken(token, lifetime, tenantId);
    }

    /**
     * Who calls with {@code token}: its client, in the tenant of the token. {@code tenantHeader} names the tenant for legacy tokens; for a token
     * with a tenant it may repeat that tenant but not name another.
     */
    public Caller.AsClient resolve(String token, String tenantHeader) {
        if (token == null || token.isBlank() || token.length() > 200) {
            throw Failure.unauthenticated("no access token");
        }
        var hash = Secrets.hash(token);
        var found = known.get(hash).or(() -> {
                    var stored = tokens.find(hash);
                    stored.ifPresent(t -> known.put(hash, t));
                    return stored;
                })
                .filter(t -> t.expiresAt().isAfter(clock.instant()))
                .orElseThrow(() -> Failure.unauthenticated("unknown or expired access token"));
        var header = tenantHeader == null || tenantHeader.isBlank() ? null : tenantHeader.strip();
        if (found.tenantId() != null) {
            if (header != null && tenants.findBySlug(header).map(t -> t.id() != found.tenantId()).orElse(true)) {
                throw Failure.forbidden("this token is for another tenant");
            }
            return callers.tokenClient(found.clientId(), found.tenantId());
        }
        if (header == null) {
            throw Failure.unauthenticated("name the tenant in the x-raet-tenant-id header");
        }
        var client = identities.clientById(found.clientId())
                .filter(c -> !c.revoked())
                .orElseThrow(() -> Failure.unauthenticated("the client of this token is revoked"));
        return callers.tokenClient(client.id(), tenantOf(client, header));
    }

    /** Lets a client act in another tenant too. */
    public void grantTenant(Client client, long tenantId) {
        tenants.byId(tenantId);
        if (client.tenantId() != tenantId) {
            tokens.grantTenant(client.id(), tenantId);
        }
    }

    private long tenantOf(Client client, String slug) {
        var tenant = tenants.findBySlug(slug).orElseThrow(() -> Failure.forbidden("unknown tenant or not granted: " + slug));
        if (tenant.id() != client.tenantId() && !tokens.grantedTenants(client.id()).contains(tenant.id())) {
            throw Failure.forbidden("unknown tenant or not granted: " + slug);
        }
        return tenant.id();
    }

    public int purgeExpired() {
        return tokens.purgeExpired(clock.instant());
    }
}
