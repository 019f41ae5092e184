package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.ADMIN_TOKEN;
import static io.dossier.store.sql.Tables.CLIENT;
import static io.dossier.store.sql.Tables.GROUP;
import static io.dossier.store.sql.Tables.MEMBER;
import static io.dossier.store.sql.Tables.USER;

import io.dossier.core.identity.AdminToken;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.Group;
import io.dossier.core.identity.IdentityRepository;
import io.dossier.core.identity.User;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.Record;

public final class SqlIdentityRepository implements IdentityRepository {

    private final Database db;

    public SqlIdentityRepository(Database db) {
        this.db = db;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    // ---- users

    @Override
    public User insertUser(long tenantId, String username, String email, String displayName, String passwordHash) {
        var id = db.sql().insertInto(USER.T)
                .set(USER.TENANT_ID, tenantId)
                .set(USER.USERNAME, username)
                .set(USER.EMAIL, email)
                .set(USER.DISPLAY_NAME, displayName)
                .set(USER.PASSWORD_HASH, passwordHash)
                .set(USER.CREATED_AT, now())
                .returningResult(USER.ID).fetchOne().value1();
        return findUser(tenantId, id).orElseThrow();
    }

    @Override
    public Optional<User> findUser(long tenantId, long userId) {
        return db.sql().selectFrom(USER.T).where(USER.TENANT_ID.eq(tenantId), USER.ID.eq(userId))
                .fetchOptional(SqlIdentityRepository::user);
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        return db.sql().selectFrom(USER.T).where(USER.USERNAME.eq(username)).fetchOptional(SqlIdentityRepository::user);
    }

    @Override
    public Optional<String> passwordHash(long userId) {
        return db.sql().select(USER.PASSWORD_HASH).from(USER.T).where(USER.ID.eq(userId)).fetchOptional(USER.PASSWORD_HASH);
    }

    @Override
    public List<User> listUsers(long tenantId) {
        return db.sql().selectFrom(USER.T).where(USER.TENANT_ID.eq(tenantId)).orderBy(USER.ID).fetch(SqlIdentityRepository::user);
    }

    private static User user(Record r) {
        return new User(r.get(USER.ID), r.get(USER.TENANT_ID), r.get(USER.USERNAME), r.get(USER.EMAIL),
                r.get(USER.DISPLAY_NAME), r.get(USER.CREATED_AT).toInstant());
    }

    // ---- groups

    @Override
    public Group insertGroup(long tenantId, String name) {
        var id = db.sql().insertInto(GROUP.T).set(GROUP.TENANT_ID, tenantId).set(GROUP.NAME, name)
                .returningResult(GROUP.ID).fetchOne().value1();
        return findGroup(tenantId, id).orElseThrow();
    }

    @Override
    public Optional<Group> findGroup(long tenantId, long groupId) {
        return db.sql().selectFrom(GROUP.T).where(GROUP.TENANT_ID.eq(tenantId), GROUP.ID.eq(groupId))
                .fetchOptional(this::group);
    }

    @Override
    public List<Group> listGroups(long tenantId) {
        return db.sql().selectFrom(GROUP.T).where(GROUP.TENANT_ID.eq(tenantId)).orderBy(GROUP.ID).fetch(this::group);
    }

    @Override
    public void addMember(long tenantId, long groupId, long userId) {
        if (!db.sql().fetchExists(MEMBER.T, MEMBER.GROUP_ID.eq(groupId), MEMBER.USER_ID.eq(userId))) {
            db.sql().insertInto(MEMBER.T).set(MEMBER.GROUP_ID, groupId).set(MEMBER.USER_ID, userId).execute();
        }
    }

    @Override
    public boolean removeMember(long tenantId, long groupId, long userId) {
        if (!db.sql().fetchExists(GROUP.T, GROUP.ID.eq(groupId), GROUP.TENANT_ID.eq(tenantId))) {
            return false;
        }
        return db.sql().deleteFrom(MEMBER.T).where(MEMBER.GROUP_ID.eq(groupId), MEMBER.USER_ID.eq(userId)).execute() > 0;
    }

    private Group group(Record r) {
        var members = db.sql().select(MEMBER.USER_ID).from(MEMBER.T).where(MEMBER.GROUP_ID.eq(r.get(GROUP.ID)))
                .orderBy(MEMBER.USER_ID).fetch(MEMBER.USER_ID);
        return new Group(r.get(GROUP.ID), r.get(GROUP.TENANT_ID), r.get(GROUP.NAME), members);
    }

    // ---- clients

    @Override
    public Client insertClient(long tenantId, ClientKind kind, String name, String publicId, Long userId,
                               Set<String> scopes, String secretHash) {
        var id = db.sql().insertInto(CLIENT.T)
                .set(CLIENT.TENANT_ID, tenantId)
                .set(CLIENT.KIND, kind.wireName())
                .set(CLIENT.NAME, name)
                .set(CLIENT.PUBLIC_ID, publicId)
                .set(CLIENT.USER_ID, userId)
                .set(CLIENT.SCOPES, String.join(" ", scopes.stream().sorted().toList()))
                .set(CLIENT.SECRET_HASH, secretHash)
                .set(CLIENT.CREATED_AT, now())
                .returningResult(CLIENT.ID).fetchOne().value1();
        return findClient(tenantId, id).orElseThrow();
    }

    @Override
    public Optional<Client> findClient(long tenantId, long clientId) {
        return db.sql().selectFrom(CLIENT.T).where(CLIENT.TENANT_ID.eq(tenantId), CLIENT.ID.eq(clientId))
                .fetchOptional(SqlIdentityRepository::client);
    }

    @Override
    public Optional<Client> findClientBySecretHash(String secretHash) {
        return db.sql().selectFrom(CLIENT.T).where(CLIENT.SECRET_HASH.eq(secretHash)).fetchOptional(SqlIdentityRepository::client);
    }

    @Override
    public Optional<Client> findClientById(long clientId) {
        return db.sql().selectFrom(CLIENT.T).where(CLIENT.ID.eq(clientId)).fetchOptional(SqlIdentityRepository::client);
    }

    @Override
    public Optional<StoredClient> findClientByPublicId(String publicId) {
        return db.sql().selectFrom(CLIENT.T).where(CLIENT.PUBLIC_ID.eq(publicId))
                .fetchOptional(r -> new StoredClient(client(r), r.get(CLIENT.SECRET_HASH)));
    }

    @Override
    public List<Client> listClients(long tenantId) {
        return db.sql().selectFrom(CLIENT.T).where(CLIENT.TENANT_ID.eq(tenantId)).orderBy(CLIENT.ID)
                .fetch(SqlIdentityRepository::client);
    }

    @Override
    public boolean revokeClient(long tenantId, long clientId) {
        return db.sql().update(CLIENT.T).set(CLIENT.REVOKED_AT, now())
                .where(CLIENT.TENANT_ID.eq(tenantId), CLIENT.ID.eq(clientId), CLIENT.REVOKED_AT.isNull()).execute() > 0;
    }

    /** The columns {@link #client(java.sql.ResultSet)} reads, in its order, from the first. */
    static final List<Field<?>> CLIENT_COLUMNS = List.of(CLIENT.ID, CLIENT.TENANT_ID, CLIENT.KIND, CLIENT.NAME, CLIENT.PUBLIC_ID,
            CLIENT.USER_ID, CLIENT.SCOPES, CLIENT.CREATED_AT, CLIENT.REVOKED_AT);

    /** A client from the current row of {@code rs}, its {@link #CLIENT_COLUMNS} first. */
    static Client client(java.sql.ResultSet rs) throws java.sql.SQLException {
        long userId = rs.getLong(6);
        Long user = rs.wasNull() ? null : userId;
        return client(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), user,
                rs.getString(7), rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class));
    }

    static Client client(Record r) {
        return client(r.get(CLIENT.ID), r.get(CLIENT.TENANT_ID), r.get(CLIENT.KIND), r.get(CLIENT.NAME), r.get(CLIENT.PUBLIC_ID),
                r.get(CLIENT.USER_ID), r.get(CLIENT.SCOPES), r.get(CLIENT.CREATED_AT), r.get(CLIENT.REVOKED_AT));
    }

    private static Client client(long id, long tenantId, String kind, String name, String publicId, Long userId, String scopeList,
                                 OffsetDateTime createdAt, OffsetDateTime revoked) {
        var scopes = scopeList.isBlank() ? Set.<String>of() : Arrays.stream(scopeList.split(" ")).collect(Collectors.toSet());
        return new Client(id, tenantId, ClientKind.fromWireName(kind).orElseThrow(), name, publicId, userId, scopes,
                createdAt.toInstant(), revoked == null ? null : revoked.toInstant());
    }

    // ---- admin tokens

    @Override
    public AdminToken insertAdminToken(String name, String secretHash) {
        var id = db.sql().insertInto(ADMIN_TOKEN.T).set(ADMIN_TOKEN.NAME, name).set(ADMIN_TOKEN.SECRET_HASH, secretHash)
                .set(ADMIN_TOKEN.CREATED_AT, now()).returningResult(ADMIN_TOKEN.ID).fetchOne().value1();
        return db.sql().selectFrom(ADMIN_TOKEN.T).where(ADMIN_TOKEN.ID.eq(id)).fetchOne(SqlIdentityRepository::adminToken);
    }

    @Override
    public Optional<AdminToken> findAdminTokenBySecretHash(String secretHash) {
        return db.sql().selectFrom(ADMIN_TOKEN.T).where(ADMIN_TOKEN.SECRET_HASH.eq(secretHash))
                .fetchOptional(SqlIdentityRepository::adminToken);
    }

    @Override
    public List<AdminToken> listAdminTokens() {
        return db.sql().selectFrom(ADMIN_TOKEN.T).orderBy(ADMIN_TOKEN.ID).fetch(SqlIdentityRepository::adminToken);
    }

    @Override
    public boolean revokeAdminToken(long id) {
        return db.sql().update(ADMIN_TOKEN.T).set(ADMIN_TOKEN.REVOKED_AT, now())
                .where(ADMIN_TOKEN.ID.eq(id), ADMIN_TOKEN.REVOKED_AT.isNull()).execute() > 0;
    }

    private static AdminToken adminToken(Record r) {
        var revoked = r.get(ADMIN_TOKEN.REVOKED_AT);
        return new AdminToken(r.get(ADMIN_TOKEN.ID), r.get(ADMIN_TOKEN.NAME), r.get(ADMIN_TOKEN.CREATED_AT).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
