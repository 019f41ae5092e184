package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The foundation tables and columns, typed once so repositories read as SQL. */
final class Tables {

    private Tables() {
    }

    static final class TENANT {
        static final Table<Record> T = table(name("tenant"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<String> SLUG = field(name("slug"), String.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> CONTENT_LANGUAGES = field(name("content_languages"), String.class);
        static final Field<String> DEFAULT_LANGUAGE = field(name("default_language"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    }

    static final class USER {
        static final Table<Record> T = table(name("app_user"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("tenant_id"), Long.class);
        static final Field<String> USERNAME = field(name("username"), String.class);
        static final Field<String> EMAIL = field(name("email"), String.class);
        static final Field<String> DISPLAY_NAME = field(name("display_name"), String.class);
        static final Field<String> PASSWORD_HASH = field(name("password_hash"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    }

    static final class GROUP {
        static final Table<Record> T = table(name("user_group"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("tenant_id"), Long.class);
        static final Field<String> NAME = field(name("name"), String.class);
    }

    static final class MEMBER {
        static final Table<Record> T = table(name("group_member"));
        static final Field<Long> GROUP_ID = field(name("group_id"), Long.class);
        static final Field<Long> USER_ID = field(name("user_id"), Long.class);
    }

    static final class CLIENT {
        static final Table<Record> T = table(name("client"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("tenant_id"), Long.class);
        static final Field<String> KIND = field(name("kind"), String.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> PUBLIC_ID = field(name("public_id"), String.class);
        static final Field<Long> USER_ID = field(name("user_id"), Long.class);
        static final Field<String> SCOPES = field(name("scopes"), String.class);
        static final Field<String> SECRET_HASH = field(name("secret_hash"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> REVOKED_AT = field(name("revoked_at"), OffsetDateTime.class);
    }

    static final class ADMIN_TOKEN {
        static final Table<Record> T = table(name("admin_token"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> SECRET_HASH = field(name("secret_hash"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> REVOKED_AT = field(name("revoked_at"), OffsetDateTime.class);
    }

    static final class SESSION {
        static final Table<Record> T = table(name("user_session"));
        static final Field<String> TOKEN_HASH = field(name("token_hash"), String.class);
        static final Field<Long> TENANT_ID = field(name("tenant_id"), Long.class);
        static final Field<Long> USER_ID = field(name("user_id"), Long.class);
        static final Field<Long> CLIENT_ID = field(name("client_id"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> LAST_SEEN_AT = field(name("last_seen_at"), OffsetDateTime.class);
        static final Field<Long> IDLE_SECONDS = field(name("idle_seconds"), Long.class);
        static final Field<OffsetDateTime> REVOKED_AT = field(name("revoked_at"), OffsetDateTime.class);
    }

    static final class SESSION_ATTRIBUTE {
        static final Table<Record> T = table(name("session_attribute"));
        static final Field<String> TOKEN_HASH = field(name("token_hash"), String.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> VALUE = field(name("attr_value"), String.class);
    }
}
