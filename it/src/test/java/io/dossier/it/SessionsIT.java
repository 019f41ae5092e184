package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.session.SessionService;
import io.dossier.it.support.TestServer;
import io.dossier.store.sql.SqlSessionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions and client credentials on real storage: idle expiry, logout, revocation seen by another
 * node within the cache time, wrong and revoked client secrets.
 */
class SessionsIT {

    TestServer server;
    long tenantId;
    long userId;

    @BeforeEach
    void start() {
        server = TestServer.shared();
        var dossier = server.server().dossier();
        var tenant = dossier.tenants().create("s-" + java.util.UUID.randomUUID().toString().substring(0, 8), "Sessions");
        tenantId = tenant.id();
        userId = dossier.identities().createUser(tenantId, tenant.slug() + ".user", null, null, "password for sessions").user().id();
    }

    /** A second "node": its own session service and cache over the same database. */
    SessionService node(Clock clock, Duration cacheTtl) {
        return new SessionService(new SqlSessionRepository(server.server().dossier().database()), clock, cacheTtl);
    }

    @Test
    void anIdleSessionExpires() {
        var now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:00Z"));
        var clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        var sessions = node(clock, Duration.ofSeconds(2));
        var opened = sessions.open(tenantId, userId, null, Duration.ofMinutes(30));

        now.set(now.get().plus(Duration.ofMinutes(29)));
        assertThat(sessions.resolve(opened.token()).userId()).isEqualTo(userId);   // use keeps it alive
        now.set(now.get().plus(Duration.ofMinutes(29)));
        assertThat(sessions.resolve(opened.token()).userId()).isEqualTo(userId);
        now.set(now.get().plus(Duration.ofMinutes(31)));
        assertThatThrownBy(() -> sessions.resolve(opened.token()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAUTHENTICATED));
        // another node reading the database agrees
        assertThatThrownBy(() -> node(clock, Duration.ofSeconds(2)).resolve(opened.token())).isInstanceOf(Failure.class);
    }

    @Test
    void logoutOnOneNodeReachesAnotherWithinTheCacheTime() throws Exception {
        var cacheTtl = Duration.ofMillis(300);
        var nodeA = node(Clock.systemUTC(), cacheTtl);
        var nodeB = node(Clock.systemUTC(), cacheTtl);
        var opened = nodeA.open(tenantId, userId, null, Duration.ofMinutes(30));
        assertThat(nodeB.resolve(opened.token()).tenantId()).isEqualTo(tenantId);

        nodeA.revoke(nodeA.resolve(opened.token()));
        assertThatThrownBy(() -> nodeA.resolve(opened.token())).isInstanceOf(Failure.class);
        Thread.sleep(cacheTtl.toMillis() + 100);
        assertThatThrownBy(() -> nodeB.resolve(opened.token())).isInstanceOf(Failure.class);
    }

    /**
     * A node keeps the access tokens it has read and their clients for the cache time (no query per
     * call); a client revoked on another node is refused here once that time has passed, and one
     * revoked here (the admin API forgets it in the node's callers) at once.
     */
    @Test
    void anAccessTokensClientRevokedOnAnotherNodeIsRefusedWithinTheCacheTime() throws Exception {
        var dossier = server.server().dossier();
        var cacheTtl = Duration.ofMillis(300);
        var database = dossier.database();
        var identityRepository = new io.dossier.store.sql.SqlIdentityRepository(database);
        var tenantRepository = new io.dossier.store.sql.SqlTenantRepository(database);
        var callersB = new io.dossier.core.access.Callers(identityRepository, new io.dossier.store.sql.SqlRecordFilterRepository(database),
                name -> java.util.Optional.empty(), cacheTtl);
        var identitiesB = new io.dossier.core.identity.IdentityService(identityRepository, tenantRepository,
                io.dossier.core.identity.PasswordHasher.standard());
        var nodeB = new io.dossier.core.token.TokenService(identitiesB, new io.dossier.core.tenant.TenantService(tenantRepository),
                new io.dossier.store.sql.SqlTokenRepository(database), callersB, Clock.systemUTC(), Duration.ofHours(1), cacheTtl);
        var tenant = dossier.tenants().byId(tenantId);
        var client = dossier.identities().createClient(tenantId, io.dossier.core.identity.ClientKind.OAUTH, "app", null, Set.of("Get_Basic"));
        var token = dossier.tokens().issue(client.client().publicId(), client.secret(), tenant.slug()).token();
        assertThat(nodeB.resolve(token, null).clientId()).isEqualTo(client.client().id());

        dossier.identities().revokeClient(tenantId, client.client().id());   // on "node A", through the database
        assertThat(nodeB.resolve(token, null).clientId()).as("kept for the cache time").isEqualTo(client.client().id());
        Thread.sleep(cacheTtl.toMillis() + 100);
        assertThatThrownBy(() -> nodeB.resolve(token, null))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAUTHENTICATED));
        assertThatThrownBy(() -> nodeB.resolve(token + "x", null)).isInstanceOf(Failure.class);
    }

    @Test
    void unknownAndMalformedTokensAreRefused() {
        var sessions = server.server().dossier().sessions();
        for (var token : new String[] {null, "", "nope", "x".repeat(5000), "' OR 1=1 --"}) {
            assertThatThrownBy(() -> sessions.resolve(token))
                    .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAUTHENTICATED));
        }
    }

    @Test
    void sessionSettingsAreKeptWithTheSession() {
        var sessions = server.server().dossier().sessions();
        var opened = sessions.open(tenantId, userId, null, Duration.ofMinutes(30));
        sessions.setAttribute(opened.session(), "language", "nl");
        assertThat(node(Clock.systemUTC(), Duration.ofSeconds(1)).resolve(opened.token()).attributes()).containsEntry("language", "nl");
    }

    @Test
    void wrongAndRevokedClientSecretsAreRefused() {
        var identities = server.server().dossier().identities();
        var oauth = identities.createClient(tenantId, io.dossier.core.identity.ClientKind.OAUTH, "app", null, Set.of("Get_Basic"));
        var key = identities.createClient(tenantId, io.dossier.core.identity.ClientKind.OWS_API_KEY, "key", userId, Set.of());

        assertThat(identities.authenticateOAuth(oauth.client().publicId(), oauth.secret()).id()).isEqualTo(oauth.client().id());
        assertThat(identities.authenticateKey(io.dossier.core.identity.ClientKind.OWS_API_KEY, key.secret()).userId()).isEqualTo(userId);

        assertThatThrownBy(() -> identities.authenticateOAuth(oauth.client().publicId(), oauth.secret() + "x")).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> identities.authenticateOAuth("unknown", oauth.secret())).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> identities.authenticateKey(io.dossier.core.identity.ClientKind.API_TOKEN, key.secret()))
                .as("a key of another kind").isInstanceOf(Failure.class);
        assertThatThrownBy(() -> identities.authenticatePassword("nobody", "password for sessions")).isInstanceOf(Failure.class);

        identities.revokeClient(tenantId, oauth.client().id());
        identities.revokeClient(tenantId, key.client().id());
        assertThatThrownBy(() -> identities.authenticateOAuth(oauth.client().publicId(), oauth.secret())).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> identities.authenticateKey(io.dossier.core.identity.ClientKind.OWS_API_KEY, key.secret()))
                .isInstanceOf(Failure.class);
    }
}
