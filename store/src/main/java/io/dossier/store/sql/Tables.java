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

    /** Qualified by table: the upsert that sets an attribute is a MERGE on H2, whose source has the same column names. */
    static final class SESSION_ATTRIBUTE {
        static final Table<Record> T = table(name("session_attribute"));
        static final Field<String> TOKEN_HASH = field(name("session_attribute", "token_hash"), String.class);
        static final Field<String> NAME = field(name("session_attribute", "name"), String.class);
        static final Field<String> VALUE = field(name("session_attribute", "attr_value"), String.class);
    }

    // Files and documents. Their columns are qualified by table, because find and list join them
    // and both sides have a tenant_id and a created_at.

    static final class STORED_FILE {
        static final Table<Record> T = table(name("stored_file"));
        static final Field<String> OUID = field(name("stored_file", "ouid"), String.class);
        static final Field<Long> TENANT_ID = field(name("stored_file", "tenant_id"), Long.class);
        static final Field<String> BLOB_ID = field(name("stored_file", "blob_id"), String.class);
        static final Field<String> NAME = field(name("stored_file", "name"), String.class);
        static final Field<String> MEDIA_TYPE = field(name("stored_file", "media_type"), String.class);
        static final Field<Long> SIZE = field(name("stored_file", "byte_size"), Long.class);
        static final Field<String> SHA256 = field(name("stored_file", "sha256"), String.class);
        static final Field<Long> UPLOADED_BY = field(name("stored_file", "uploaded_by"), Long.class);
        static final Field<OffsetDateTime> UPLOADED_AT = field(name("stored_file", "uploaded_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> EXPIRES_AT = field(name("stored_file", "expires_at"), OffsetDateTime.class);
        static final Field<String> STATE = field(name("stored_file", "state"), String.class);
        static final Field<OffsetDateTime> DELETED_AT = field(name("stored_file", "deleted_at"), OffsetDateTime.class);
    }

    static final class DOCUMENT {
        static final Table<Record> T = table(name("document"));
        static final Field<Long> ID = field(name("document", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("document", "tenant_id"), Long.class);
        static final Field<String> CONTAINER_TYPE = field(name("document", "container_type"), String.class);
        static final Field<String> CONTAINER_UID = field(name("document", "container_uid"), String.class);
        static final Field<String> TYPE_ID = field(name("document", "type_id"), String.class);
        static final Field<String> SUBJECT = field(name("document", "subject"), String.class);
        static final Field<Integer> CURRENT_VERSION = field(name("document", "current_version"), Integer.class);
        static final Field<Long> CREATED_BY = field(name("document", "created_by"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("document", "created_at"), OffsetDateTime.class);
        static final Field<Long> ENTITY_VERSION = field(name("document", "entity_version"), Long.class);
        static final Field<OffsetDateTime> CHANGED_AT = field(name("document", "changed_at"), OffsetDateTime.class);
    }

    static final class DOCUMENT_TALLY {
        static final Table<Record> T = table(name("document_tally"));
        static final Field<Long> ID = field(name("document_tally", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("document_tally", "tenant_id"), Long.class);
        static final Field<String> CONTAINER_TYPE = field(name("document_tally", "container_type"), String.class);
        static final Field<String> CONTAINER_UID = field(name("document_tally", "container_uid"), String.class);
        static final Field<Long> SLOT = field(name("document_tally", "change_slot"), Long.class);
        static final Field<Long> DOCUMENTS = field(name("document_tally", "documents"), Long.class);
    }

    static final class DOCUMENT_ATTRIBUTE {
        static final Table<Record> T = table(name("document_attribute"));
        static final Field<Long> DOCUMENT_ID = field(name("document_attribute", "document_id"), Long.class);
        static final Field<String> NAME = field(name("document_attribute", "name"), String.class);
        static final Field<String> VALUE = field(name("document_attribute", "attr_value"), String.class);
    }

    static final class DOCUMENT_VERSION {
        static final Table<Record> T = table(name("document_version"));
        static final Field<Long> DOCUMENT_ID = field(name("document_version", "document_id"), Long.class);
        static final Field<Integer> VERSION = field(name("document_version", "version"), Integer.class);
        static final Field<String> FILE_OUID = field(name("document_version", "file_ouid"), String.class);
        static final Field<Long> CREATED_BY = field(name("document_version", "created_by"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("document_version", "created_at"), OffsetDateTime.class);
    }

    // Tokens and deliveries. Delivery columns are qualified by table, because search joins the
    // delivery to its file, its publisher and the subscriber's state.

    static final class ACCESS_TOKEN {
        static final Table<Record> T = table(name("access_token"));
        static final Field<String> TOKEN_HASH = field(name("access_token", "token_hash"), String.class);
        static final Field<Long> CLIENT_ID = field(name("access_token", "client_id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("access_token", "tenant_id"), Long.class);
        static final Field<OffsetDateTime> EXPIRES_AT = field(name("access_token", "expires_at"), OffsetDateTime.class);
    }

    static final class CLIENT_TENANT_GRANT {
        static final Table<Record> T = table(name("client_tenant_grant"));
        static final Field<Long> CLIENT_ID = field(name("client_tenant_grant", "client_id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("client_tenant_grant", "tenant_id"), Long.class);
    }

    static final class DELIVERY {
        static final Table<Record> T = table(name("delivery"));
        static final Field<String> FILE_ID = field(name("delivery", "file_id"), String.class);
        static final Field<Long> TENANT_ID = field(name("delivery", "tenant_id"), Long.class);
        static final Field<Long> BUSINESS_TYPE = field(name("delivery", "business_type"), Long.class);
        static final Field<Long> PUBLISHER_CLIENT_ID = field(name("delivery", "publisher_client_id"), Long.class);
        static final Field<String> FILE_OUID = field(name("delivery", "file_ouid"), String.class);
        static final Field<OffsetDateTime> UPLOAD_DATE = field(name("delivery", "upload_date"), OffsetDateTime.class);
        static final Field<Long> ENTITY_VERSION = field(name("delivery", "entity_version"), Long.class);
    }

    /** The client table under the alias {@code publisher}, for joins where another table has an {@code id} too. */
    static final class PUBLISHER {
        static final Table<Record> T = table(name("client")).as(name("publisher"));
        static final Field<Long> ID = field(name("publisher", "id"), Long.class);
        static final Field<String> PUBLIC_ID = field(name("publisher", "public_id"), String.class);
    }

    static final class DELIVERY_STATE {
        static final Table<Record> T = table(name("delivery_state"));
        static final Field<String> FILE_ID = field(name("delivery_state", "file_id"), String.class);
        static final Field<Long> SUBSCRIBER_CLIENT_ID = field(name("delivery_state", "subscriber_client_id"), Long.class);
        static final Field<String> STATE = field(name("delivery_state", "state"), String.class);
        static final Field<OffsetDateTime> CHANGED_AT = field(name("delivery_state", "changed_at"), OffsetDateTime.class);
    }

    static final class DELIVERY_TALLY {
        static final Table<Record> T = table(name("delivery_tally"));
        static final Field<Long> ID = field(name("delivery_tally", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("delivery_tally", "tenant_id"), Long.class);
        static final Field<Long> SUBSCRIBER_CLIENT_ID = field(name("delivery_tally", "subscriber_client_id"), Long.class);
        static final Field<Long> BUSINESS_TYPE = field(name("delivery_tally", "business_type"), Long.class);
        static final Field<Long> DAY = field(name("delivery_tally", "upload_day"), Long.class);
        static final Field<Long> DELIVERIES = field(name("delivery_tally", "deliveries"), Long.class);
    }

    static final class DELIVERY_AUTHORIZATION {
        static final Table<Record> T = table(name("delivery_authorization"));
        static final Field<Long> CLIENT_ID = field(name("delivery_authorization", "client_id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("delivery_authorization", "tenant_id"), Long.class);
        static final Field<String> ROLE = field(name("delivery_authorization", "role"), String.class);
        static final Field<Long> BUSINESS_TYPE = field(name("delivery_authorization", "business_type"), Long.class);
    }

    static final class UPLOAD_TICKET {
        static final Table<Record> T = table(name("upload_ticket"));
        static final Field<String> TOKEN_HASH = field(name("upload_ticket", "token_hash"), String.class);
        static final Field<Long> TENANT_ID = field(name("upload_ticket", "tenant_id"), Long.class);
        static final Field<Long> PUBLISHER_CLIENT_ID = field(name("upload_ticket", "publisher_client_id"), Long.class);
        static final Field<Long> BUSINESS_TYPE = field(name("upload_ticket", "business_type"), Long.class);
        static final Field<String> FILE_NAME = field(name("upload_ticket", "file_name"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("upload_ticket", "created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> EXPIRES_AT = field(name("upload_ticket", "expires_at"), OffsetDateTime.class);
        static final Field<String> PUBLISHED_FILE_ID = field(name("upload_ticket", "published_file_id"), String.class);
        static final Field<Integer> CLOSING_POSITION = field(name("upload_ticket", "closing_position"), Integer.class);
        static final Field<Long> CLOSING_SIZE = field(name("upload_ticket", "closing_size"), Long.class);
        static final Field<String> CLOSING_SHA256 = field(name("upload_ticket", "closing_sha256"), String.class);
    }

    static final class UPLOAD_CHUNK {
        static final Table<Record> T = table(name("upload_chunk"));
        static final Field<String> TOKEN_HASH = field(name("upload_chunk", "token_hash"), String.class);
        static final Field<Integer> POSITION = field(name("upload_chunk", "position"), Integer.class);
        static final Field<String> BLOB_ID = field(name("upload_chunk", "blob_id"), String.class);
        static final Field<Long> SIZE = field(name("upload_chunk", "byte_size"), Long.class);
        static final Field<String> SHA256 = field(name("upload_chunk", "sha256"), String.class);
    }

    static final class ACCESS_GRANT {
        static final Table<Record> T = table(name("access_grant"));
        static final Field<Long> TENANT_ID = field(name("access_grant", "tenant_id"), Long.class);
        static final Field<String> RESOURCE_KIND = field(name("access_grant", "resource_kind"), String.class);
        static final Field<String> RESOURCE_KEY = field(name("access_grant", "resource_key"), String.class);
        static final Field<String> SUBJECT_KIND = field(name("access_grant", "subject_kind"), String.class);
        static final Field<Long> SUBJECT_ID = field(name("access_grant", "subject_id"), Long.class);
        static final Field<Long> PERMISSIONS = field(name("access_grant", "permissions"), Long.class);
        static final Field<Long> ENTITY_VERSION = field(name("access_grant", "entity_version"), Long.class);
    }

    static final class CLIENT_RECORD_FILTER {
        static final Table<Record> T = table(name("client_record_filter"));
        static final Field<Long> TENANT_ID = field(name("client_record_filter", "tenant_id"), Long.class);
        static final Field<Long> CLIENT_ID = field(name("client_record_filter", "client_id"), Long.class);
        static final Field<String> RECORD_TYPE = field(name("client_record_filter", "record_type"), String.class);
        static final Field<String> CONDITION = field(name("client_record_filter", "condition"), String.class);
    }

    static final class TOMBSTONE_AUDIENCE {
        static final Table<Record> T = table(name("tombstone_audience"));
        static final Field<Long> TENANT_ID = field(name("tombstone_audience", "tenant_id"), Long.class);
        static final Field<Long> CLIENT_ID = field(name("tombstone_audience", "client_id"), Long.class);
        static final Field<String> ENTITY_TYPE = field(name("tombstone_audience", "entity_type"), String.class);
        static final Field<String> ENTITY_ID = field(name("tombstone_audience", "entity_id"), String.class);
        static final Field<Long> VERSION = field(name("tombstone_audience", "version"), Long.class);
        static final Field<OffsetDateTime> DELETED_AT = field(name("tombstone_audience", "deleted_at"), OffsetDateTime.class);
    }

    static final class METADATA_SCHEMA {
        static final Table<Record> T = table(name("metadata_schema"));
        static final Field<Long> ID = field(name("metadata_schema", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("metadata_schema", "tenant_id"), Long.class);
        static final Field<String> KIND = field(name("metadata_schema", "kind"), String.class);
        static final Field<String> NAME = field(name("metadata_schema", "name"), String.class);
        static final Field<String> LABEL = field(name("metadata_schema", "label"), String.class);
        static final Field<String> DESCRIPTION = field(name("metadata_schema", "description"), String.class);
        static final Field<OffsetDateTime> LAST_MODIFIED = field(name("metadata_schema", "last_modified"), OffsetDateTime.class);
        static final Field<Long> ENTITY_VERSION = field(name("metadata_schema", "entity_version"), Long.class);
    }

    static final class METADATA_ATTRIBUTE {
        static final Table<Record> T = table(name("metadata_attribute"));
        static final Field<Long> SCHEMA_ID = field(name("metadata_attribute", "schema_id"), Long.class);
        static final Field<String> NAME = field(name("metadata_attribute", "name"), String.class);
        static final Field<String> LABEL = field(name("metadata_attribute", "label"), String.class);
        static final Field<String> TYPE = field(name("metadata_attribute", "value_type"), String.class);
        static final Field<Boolean> MANDATORY = field(name("metadata_attribute", "mandatory"), Boolean.class);
        static final Field<Boolean> HIDDEN = field(name("metadata_attribute", "hidden"), Boolean.class);
        static final Field<Boolean> MULTIPLE = field(name("metadata_attribute", "multiple"), Boolean.class);
        static final Field<Integer> POSITION = field(name("metadata_attribute", "position"), Integer.class);
        static final Field<Boolean> PRESET = field(name("metadata_attribute", "preset"), Boolean.class);
        static final Field<Boolean> READONLY = field(name("metadata_attribute", "readonly"), Boolean.class);
        static final Field<String> PARENT = field(name("metadata_attribute", "parent"), String.class);
        static final Field<Long> SET_ID = field(name("metadata_attribute", "set_id"), Long.class);
        static final Field<String> VALIDATION = field(name("metadata_attribute", "validation"), String.class);
        static final Field<String> INITIALIZATION = field(name("metadata_attribute", "initialization"), String.class);
        static final Field<String> DEPENDS_ON = field(name("metadata_attribute", "depends_on"), String.class);
    }

    static final class METADATA_OPTION {
        static final Table<Record> T = table(name("metadata_option"));
        static final Field<Long> SCHEMA_ID = field(name("metadata_option", "schema_id"), Long.class);
        static final Field<String> ATTRIBUTE = field(name("metadata_option", "attribute"), String.class);
        static final Field<Integer> POSITION = field(name("metadata_option", "position"), Integer.class);
        static final Field<String> VALUE = field(name("metadata_option", "text_value"), String.class);
        static final Field<String> CATEGORY = field(name("metadata_option", "category"), String.class);
    }

    static final class METADATA_VALUE {
        static final Table<Record> T = table(name("metadata_value"));
        static final Field<Long> TENANT_ID = field(name("metadata_value", "tenant_id"), Long.class);
        static final Field<String> OWNER = field(name("metadata_value", "owner"), String.class);
        static final Field<Long> TEMPLATE_ID = field(name("metadata_value", "template_id"), Long.class);
        static final Field<String> ATTRIBUTE = field(name("metadata_value", "attribute"), String.class);
        static final Field<Integer> POSITION = field(name("metadata_value", "position"), Integer.class);
        static final Field<String> VALUE = field(name("metadata_value", "text_value"), String.class);
    }

    static final class CHANGE_COUNTER {
        static final Table<Record> T = table(name("change_counter"));
        static final Field<Long> TENANT_ID = field(name("change_counter", "tenant_id"), Long.class);
        static final Field<Long> LAST_POSITION = field(name("change_counter", "last_position"), Long.class);
    }

    static final class CHANGE_LOG {
        static final Table<Record> T = table(name("change_log"));
        static final Field<Long> TENANT_ID = field(name("change_log", "tenant_id"), Long.class);
        static final Field<Long> POSITION = field(name("change_log", "position"), Long.class);
        static final Field<Long> TRANSACTION = field(name("change_log", "writer_transaction"), Long.class);
        static final Field<String> ENTITY_TYPE = field(name("change_log", "entity_type"), String.class);
        static final Field<String> ENTITY_ID = field(name("change_log", "entity_id"), String.class);
        static final Field<String> OPERATION = field(name("change_log", "operation"), String.class);
        static final Field<Long> VERSION = field(name("change_log", "entity_version"), Long.class);
        static final Field<OffsetDateTime> CHANGED_AT = field(name("change_log", "changed_at"), OffsetDateTime.class);
    }

    static final class INSTALLATION_SECRET {
        static final Table<Record> T = table(name("installation_secret"));
        static final Field<String> NAME = field(name("installation_secret", "name"), String.class);
        static final Field<String> VALUE = field(name("installation_secret", "secret_value"), String.class);
    }
}
