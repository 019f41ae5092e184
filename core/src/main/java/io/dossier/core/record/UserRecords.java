package io.dossier.core.record;

import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.User;
import io.dossier.core.schema.RecordType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a read-only record type ({@code directory.User}) in step with the tenant's user accounts,
 * so users can be listed and filtered like any record while identities stay the one source.
 * A user's record uid is its numeric id, the same id option lists ({@code userId}) use.
 */
public final class UserRecords {

    private final IdentityService identities;
    private final RecordRepository records;
    private final RecordType type;

    public UserRecords(IdentityService identities, RecordRepository records, RecordType type) {
        this.identities = identities;
        this.records = records;
        this.type = type;
    }

    public RecordType type() {
        return type;
    }

    /** Adds missing user records and refreshes existing ones. */
    public void sync(long tenantId) {
        for (var user : identities.listUsers(tenantId)) {
            var uid = Long.toString(user.id());
            var values = values(user);
            if (records.exists(tenantId, type, uid)) {
                values.remove("uid");
                records.update(tenantId, type, uid, new RecordChanges(values, null, Map.of(), Map.of()));
            } else {
                records.insert(tenantId, type, new RecordRow(uid, values, Map.of(), Map.of()));
            }
        }
    }

    private Map<String, Object> values(User user) {
        var names = user.displayName().strip().split("\\s+", 2);
        var candidates = new LinkedHashMap<String, Object>();
        candidates.put("uid", Long.toString(user.id()));
        candidates.put("id", user.id());
        candidates.put("username", user.username());
        candidates.put("email", user.email());
        candidates.put("displayName", user.displayName());
        candidates.put("firstName", names[0]);
        candidates.put("lastName", names.length > 1 ? names[1] : "");
        candidates.put("active", true);
        candidates.put("entryDateTime", user.createdAt());
        var values = new LinkedHashMap<String, Object>();
        candidates.forEach((path, value) -> {
            if (type.field(path).isPresent()) {
                values.put(path, value);
            }
        });
        return values;
    }
}
