package io.dossier.core.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Port: users, groups, clients and admin tokens. Every tenant-owned lookup takes the tenant. */
public interface IdentityRepository {

    User insertUser(long tenantId, String username, String email, String displayName, String passwordHash);

    Optional<User> findUser(long tenantId, long userId);

    /** Usernames are unique across tenants, so a login needs no tenant. */
    Optional<User> findUserByUsername(String username);

    Optional<String> passwordHash(long userId);

    List<User> listUsers(long tenantId);

    Group insertGroup(long tenantId, String name);

    Optional<Group> findGroup(long tenantId, long groupId);

    List<Group> listGroups(long tenantId);

    void addMember(long tenantId, long groupId, long userId);

    /** Takes the user out of the group of the tenant; false when the user was not in it. */
    boolean removeMember(long tenantId, long groupId, long userId);

    Client insertClient(long tenantId, ClientKind kind, String name, String publicId, Long userId, Set<String> scopes,
                        String secretHash);

    Optional<Client> findClient(long tenantId, long clientId);

    Optional<Client> findClientBySecretHash(String secretHash);

    /** A client by its internal id, whatever its tenant (for tokens, which name the client). */
    Optional<Client> findClientById(long clientId);

    /** The client with this public id, with its stored secret hash. */
    Optional<StoredClient> findClientByPublicId(String publicId);

    List<Client> listClients(long tenantId);

    boolean revokeClient(long tenantId, long clientId);

    AdminToken insertAdminToken(String name, String secretHash);

    Optional<AdminToken> findAdminTokenBySecretHash(String secretHash);

    List<AdminToken> listAdminTokens();

    boolean revokeAdminToken(long id);

    record StoredClient(Client client, String secretHash) {
    }
}
