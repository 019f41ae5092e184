package io.dossier.core.identity;

import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.tenant.TenantRepository;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Users, groups, application clients and admin tokens: creating them, issuing their secrets once,
 * and recognising those secrets later.
 */
public final class IdentityService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final IdentityRepository identities;
    private final TenantRepository tenants;
    private final PasswordHasher passwords;
    /**
     * Users by tenant and id, as sessions name their user on every request: a user row never changes
     * once inserted (no update or delete exists), so an entry is never stale; only users found are kept.
     */
    private final BoundedCache<UserKey, User> users = new BoundedCache<>(100_000, Duration.ofMinutes(10));
    /** This process's own admin token, if one was issued; see {@link #issueProcessAdminToken}. */
    private volatile ProcessToken processToken;

    private record ProcessToken(AdminToken token, String secretHash) {
    }

    private record UserKey(long tenantId, long userId) {
    }

    public IdentityService(IdentityRepository identities, TenantRepository tenants, PasswordHasher passwords) {
        this.identities = identities;
        this.tenants = tenants;
        this.passwords = passwords;
    }

    // ---- users

    /** Creates a user; when {@code password} is null one is generated. The password is returned once. */
    public IssuedUser createUser(long tenantId, String username, String email, String displayName, String password) {
        if (password != null && password.length() < 8) {
            throw Failure.invalid("password must have at least 8 characters");
        }
        return createUserHashed(tenantId, username, email, displayName, () -> password != null ? new PasswordHasher.Hashed(password, passwords.hash(password))
                : passwords.generate());
    }

    /**
     * Creates a user with a password hashed beforehand ({@link PasswordHasher#generate}, possibly on
     * another thread: {@code password} is asked for once the user's name has been checked).
     */
    public IssuedUser createUserHashed(long tenantId, String username, String email, String displayName,
                                       java.util.function.Supplier<PasswordHasher.Hashed> password) {
        requireTenant(tenantId);
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw Failure.invalid("username must be 1-128 of letters, digits, '.', '_', '@' or '-'");
        }
        requireLength("email", email, 320);
        requireLength("displayName", displayName, 200);
        if (identities.findUserByUsername(username).isPresent()) {
            throw Failure.conflict("username '" + username + "' is taken");
        }
        var hashed = password.get();
        var user = identities.insertUser(tenantId, username, email == null ? "" : email,
                displayName == null || displayName.isBlank() ? username : displayName, hashed.hash());
        return new IssuedUser(user, hashed.password());
    }

    public List<User> listUsers(long tenantId) {
        requireTenant(tenantId);
        return identities.listUsers(tenantId);
    }

    /** The user {@code userId} of the tenant, if there is one. */
    public java.util.Optional<User> findUser(long tenantId, long userId) {
        var key = new UserKey(tenantId, userId);
        var cached = users.get(key);
        if (cached.isPresent()) {
            return cached;
        }
        var found = identities.findUser(tenantId, userId);
        found.ifPresent(user -> users.put(key, user));
        return found;
    }

    public User user(long tenantId, long userId) {
        return findUser(tenantId, userId).orElseThrow(() -> Failure.notFound("no user " + userId));
    }

    /** The user with this username and password; the same refusal for an unknown name or a wrong password. */
    public User authenticatePassword(String username, String password) {
        var user = username == null ? null : identities.findUserByUsername(username).orElse(null);
        var stored = user == null ? null : identities.passwordHash(user.id()).orElse(null);
        if (!passwords.matches(password, stored)) {
            throw Failure.unauthenticated("wrong username or password");
        }
        return user;
    }

    // ---- groups

    public Group createGroup(long tenantId, String name) {
        requireTenant(tenantId);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw Failure.invalid("group name must have 1-200 characters");
        }
        if (identities.listGroups(tenantId).stream().anyMatch(g -> g.name().equals(name))) {
            throw Failure.conflict("group '" + name + "' already exists");
        }
        return identities.insertGroup(tenantId, name);
    }

    public List<Group> listGroups(long tenantId) {
        requireTenant(tenantId);
        return identities.listGroups(tenantId);
    }

    public Group addMember(long tenantId, long groupId, long userId) {
        identities.findGroup(tenantId, groupId).orElseThrow(() -> Failure.notFound("no group " + groupId));
        user(tenantId, userId);
        identities.addMember(tenantId, groupId, userId);
        return identities.findGroup(tenantId, groupId).orElseThrow();
    }

    /** Takes the user out of the group; NOT_FOUND when the group, the user or the membership is not there. */
    public Group removeMember(long tenantId, long groupId, long userId) {
        identities.findGroup(tenantId, groupId).orElseThrow(() -> Failure.notFound("no group " + groupId));
        user(tenantId, userId);
        if (!identities.removeMember(tenantId, groupId, userId)) {
            throw Failure.notFound("user " + userId + " is not in group " + groupId);
        }
        return identities.findGroup(tenantId, groupId).orElseThrow();
    }

    /** The group {@code groupId} of the tenant, if there is one. */
    public java.util.Optional<Group> findGroup(long tenantId, long groupId) {
        return identities.findGroup(tenantId, groupId);
    }

    /** The user of the tenant with this e-mail address (compared ignoring case), if there is one. */
    public java.util.Optional<User> userByEmail(long tenantId, String email) {
        if (email == null || email.isBlank()) {
            return java.util.Optional.empty();
        }
        return identities.listUsers(tenantId).stream().filter(u -> u.email() != null && u.email().equalsIgnoreCase(email.strip())).findFirst();
    }

    // ---- clients

    /** Issues a client of {@code kind}; its secret is in the result and nowhere else. */
    public IssuedClient createClient(long tenantId, ClientKind kind, String name, Long userId, Set<String> scopes) {
        requireTenant(tenantId);
        if (kind.ownedByUser()) {
            if (userId == null) {
                throw Failure.invalid("a client of kind " + kind.wireName() + " acts as a user: name one");
            }
            user(tenantId, userId);
        } else if (userId != null) {
            user(tenantId, userId);
        }
        if (name != null && name.length() > 200) {
            throw Failure.invalid("client name must have at most 200 characters");
        }
        for (var scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw Failure.invalid("scope '" + scope + "' is not a valid scope name");
            }
        }
        // The scopes are stored in one column of 2000 characters, separated by spaces.
        if (String.join(" ", scopes).length() > 2000) {
            throw Failure.invalid("scopes must fit in 2000 characters in all");
        }
        var secret = Secrets.random(kind == ClientKind.OAUTH ? 24 : 30);
        var publicId = kind == ClientKind.OAUTH ? Secrets.randomHex(16) : kind.wireName() + "-" + Secrets.randomHex(16).substring(0, 12);
        var client = identities.insertClient(tenantId, kind, name == null || name.isBlank() ? kind.wireName() : name,
                publicId, userId, scopes, Secrets.hash(secret));
        return new IssuedClient(client, secret);
    }

    /** A client by its internal id, whatever its tenant. */
    public java.util.Optional<Client> clientById(long clientId) {
        return identities.findClientById(clientId);
    }

    /** A client by its public id (the OAuth client id), whatever its tenant. */
    public java.util.Optional<Client> clientByPublicId(String publicId) {
        return publicId == null ? java.util.Optional.empty() : identities.findClientByPublicId(publicId).map(IdentityRepository.StoredClient::client);
    }

    public List<Client> listClients(long tenantId) {
        requireTenant(tenantId);
        return identities.listClients(tenantId);
    }

    public void revokeClient(long tenantId, long clientId) {
        identities.findClient(tenantId, clientId).orElseThrow(() -> Failure.notFound("no client " + clientId));
        identities.revokeClient(tenantId, clientId);
    }

    /** The live client of {@code kind} whose whole secret is {@code secret} (API keys, API tokens). */
    public Client authenticateKey(ClientKind kind, String secret) {
        if (secret == null || secret.isEmpty()) {
            throw Failure.unauthenticated("no credential");
        }
        return identities.findClientBySecretHash(Secrets.hash(secret))
                .filter(c -> c.kind() == kind && !c.revoked())
                .orElseThrow(() -> Failure.unauthenticated("unknown or revoked credential"));
    }

    /** The live OAuth client with this client id and secret. */
    public Client authenticateOAuth(String clientId, String secret) {
        var stored = clientId == null ? null : identities.findClientByPublicId(clientId).orElse(null);
        var given = Secrets.hash(secret == null ? "" : secret);
        if (stored == null || !Secrets.sameHash(stored.secretHash(), given)
                || stored.client().kind() != ClientKind.OAUTH || stored.client().revoked()) {
            throw Failure.unauthenticated("unknown client or wrong secret");
        }
        return stored.client();
    }

    // ---- admin tokens

    public IssuedAdminToken createAdminToken(String name) {
        requireLength("name", name, 200);
        var secret = Secrets.random(30);
        var token = identities.insertAdminToken(name == null || name.isBlank() ? "admin" : name, Secrets.hash(secret));
        return new IssuedAdminToken(token, secret);
    }

    public List<AdminToken> listAdminTokens() {
        return identities.listAdminTokens();
    }

    public void revokeAdminToken(long id) {
        if (!identities.revokeAdminToken(id)) {
            throw Failure.notFound("no admin token " + id);
        }
    }

    /**
     * Issues an admin token that only this process accepts, until it ends. It is never stored: the
     * process keeps its hash in memory, so a restart or a kill makes it worthless. {@code dossier dev}
     * hands it to the admin commands of the same machine.
     */
    public String issueProcessAdminToken(java.time.Instant now) {
        var secret = Secrets.random(30);
        processToken = new ProcessToken(new AdminToken(0, "this server process", now, null), Secrets.hash(secret));
        return secret;
    }

    public AdminToken authenticateAdmin(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw Failure.unauthenticated("no admin token");
        }
        var hash = Secrets.hash(secret);
        var own = processToken;
        if (own != null && Secrets.sameHash(own.secretHash(), hash)) {
            return own.token();
        }
        return identities.findAdminTokenBySecretHash(hash)
                .filter(t -> t.revokedAt() == null)
                .orElseThrow(() -> Failure.unauthenticated("unknown or revoked admin token"));
    }

    /** What the storage holds at most, refused here with the field's name rather than by the database. */
    private static void requireLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw Failure.invalid(field + " must have at most " + max + " characters");
        }
    }

    private void requireTenant(long tenantId) {
        tenants.findById(tenantId).orElseThrow(() -> Failure.notFound("no tenant " + tenantId));
    }
}
