package io.dossier.core.portal;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.identity.PasswordHasher;
import io.dossier.core.identity.Secrets;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Portal accounts: the logins of the people behind records (a candidate on the tenant's job site).
 * An account is bound to a record the caller can see; its password is kept only as a slow hash;
 * usernames are unique per tenant, compared without case.
 */
public final class PortalAccountService {

    public static final int MAX_USERNAME = 320;
    public static final int MAX_PASSWORD = 200;
    public static final int MAX_PAGE = 200;

    private final PortalAccountRepository accounts;
    private final RecordService records;
    private final Schemas schemas;
    private final PasswordHasher passwords;
    private final Clock clock;
    /** Checked against when a username is unknown, so that a login takes as long either way. */
    private final String decoy;

    public PortalAccountService(PortalAccountRepository accounts, RecordService records, Schemas schemas, PasswordHasher passwords,
                                Clock clock) {
        this.accounts = accounts;
        this.records = records;
        this.schemas = schemas;
        this.passwords = passwords;
        this.clock = clock;
        this.decoy = passwords.decoy();
    }

    /** Creates an account bound to the record {@code recordUid} of {@code type}, without a password yet. */
    public PortalAccount create(Caller caller, RecordType type, String recordUid, String username, boolean allowLogin) {
        if (username == null || username.isBlank()) {
            throw Failure.invalid("an account needs a username");
        }
        if (username.length() > MAX_USERNAME) {
            throw Failure.invalid("a username may have at most " + MAX_USERNAME + " characters");
        }
        requireRecord(caller, type, recordUid);
        return accounts.insert(caller.tenantId(), Secrets.randomHex(16), username.strip(), key(username), allowLogin,
                type.qualifiedName(), recordUid, clock.instant());
    }

    /**
     * The account {@code ref} names: an account's uid, or the uid of a record bound to exactly one
     * account. Not found when neither, or when the caller cannot see the bound record.
     */
    public PortalAccount find(Caller caller, String ref) {
        if (ref == null || ref.isBlank()) {
            throw Failure.notFound("no account ''");
        }
        var account = accounts.byUid(caller.tenantId(), ref).map(PortalAccountRepository.Stored::account).orElse(null);
        if (account == null) {
            var bound = accounts.byRecord(caller.tenantId(), ref);
            if (bound.size() > 1) {
                throw Failure.conflict("record " + ref + " has " + bound.size() + " accounts: name one by its uid");
            }
            account = bound.isEmpty() ? null : bound.getFirst();
        }
        if (account == null || !visible(caller, account)) {
            throw Failure.notFound("no account " + ref);
        }
        return account;
    }

    public void setPassword(Caller caller, String ref, String password) {
        if (password == null || password.isEmpty()) {
            throw Failure.invalid("a password may not be empty");
        }
        if (password.length() > MAX_PASSWORD) {
            throw Failure.invalid("a password may have at most " + MAX_PASSWORD + " characters");
        }
        var account = find(caller, ref);
        accounts.setPasswordHash(caller.tenantId(), account.id(), passwords.hash(password));
    }

    /**
     * The account of this username and password, if both are right, the account may log in and
     * the caller can see its record; otherwise empty, the same for each reason.
     */
    public Optional<PortalAccount> login(Caller caller, String username, String password) {
        var stored = username == null ? Optional.<PortalAccountRepository.Stored>empty() : accounts.byUsernameKey(caller.tenantId(), key(username));
        var hash = stored.map(PortalAccountRepository.Stored::passwordHash).orElse(null);
        var matches = passwords.matches(password == null ? "" : password, hash != null ? hash : decoy);
        if (stored.isEmpty() || hash == null || !matches || !stored.get().account().allowLogin() || !visible(caller, stored.get().account())) {
            return Optional.empty();
        }
        return Optional.of(stored.get().account());
    }

    /** Accounts whose username contains {@code fragment} (any when null or empty), newest first, that the caller can see. */
    public Page list(Caller caller, String fragment, int offset, int limit, boolean count) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw Failure.invalid("limit must be between 1 and " + MAX_PAGE);
        }
        var wanted = fragment == null || fragment.isEmpty() ? null : key(fragment);
        var items = accounts.search(caller.tenantId(), wanted, Math.max(0, offset), limit).stream().filter(a -> visible(caller, a)).toList();
        return new Page(items, count ? accounts.count(caller.tenantId(), wanted) : -1);
    }

    public record Page(List<PortalAccount> items, long totalCount) {
    }

    private boolean visible(Caller caller, PortalAccount account) {
        return schemas.type(account.recordType()).map(t -> records.exists(caller, t, account.recordUid())).orElse(false);
    }

    private void requireRecord(Caller caller, RecordType type, String uid) {
        if (uid == null || !records.exists(caller, type, uid)) {
            throw Failure.notFound("no " + type.name() + " with uid " + uid);
        }
    }

    private static String key(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }
}
