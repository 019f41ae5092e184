-- OAuth access tokens, the tenants a client may act in, and File API deliveries with each
-- subscriber's state and resumable publications. Portable SQL for H2 and PostgreSQL alike, as in V1.

-- A bearer token, stored as its SHA-256. tenant_id is null for a legacy token whose tenant comes
-- with every call.
CREATE TABLE access_token (
    token_hash VARCHAR(64) PRIMARY KEY,
    client_id  BIGINT      NOT NULL REFERENCES client (id),
    tenant_id  BIGINT      REFERENCES tenant (id),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
-- the purge of expired tokens
CREATE INDEX access_token_expiry ON access_token (expires_at);

-- Tenants other than its own that a client may act in. (Not "client_tenant": V1 gave that name to
-- an index, and PostgreSQL keeps indexes and tables in one namespace.)
CREATE TABLE client_tenant_grant (
    client_id BIGINT NOT NULL REFERENCES client (id),
    tenant_id BIGINT NOT NULL REFERENCES tenant (id),
    PRIMARY KEY (client_id, tenant_id)
);

-- A file published once to a tenant under a business type. Its name is the stored file's.
CREATE TABLE delivery (
    file_id             VARCHAR(36) PRIMARY KEY,
    tenant_id           BIGINT      NOT NULL REFERENCES tenant (id),
    business_type       BIGINT      NOT NULL,
    publisher_client_id BIGINT      NOT NULL REFERENCES client (id),
    file_ouid           VARCHAR(32) NOT NULL UNIQUE REFERENCES stored_file (ouid),
    upload_date         TIMESTAMP WITH TIME ZONE NOT NULL
);
-- a subscriber's list (its business types, newest first) and a publisher's list
CREATE INDEX delivery_business_type ON delivery (tenant_id, business_type, upload_date);
CREATE INDEX delivery_publisher ON delivery (tenant_id, publisher_client_id, upload_date);

-- One subscriber's state of a delivery once it has one (DOWNLOADED, DELETED); no row is AVAILABLE.
-- No tenant column: every statement reaches the tenant through the delivery.
CREATE TABLE delivery_state (
    file_id              VARCHAR(36) NOT NULL REFERENCES delivery (file_id),
    subscriber_client_id BIGINT      NOT NULL REFERENCES client (id),
    state                VARCHAR(12) NOT NULL,
    changed_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (file_id, subscriber_client_id)
);

-- A client may act as PUBLISHER or SUBSCRIBER for a business type in a tenant.
CREATE TABLE delivery_authorization (
    client_id     BIGINT      NOT NULL REFERENCES client (id),
    tenant_id     BIGINT      NOT NULL REFERENCES tenant (id),
    role          VARCHAR(12) NOT NULL,
    business_type BIGINT      NOT NULL,
    PRIMARY KEY (client_id, tenant_id, role, business_type)
);

-- A resumable publication in progress, keyed by the SHA-256 of its upload token. How far it got
-- (last position, size) is read from its chunks.
CREATE TABLE upload_ticket (
    token_hash          VARCHAR(64)  PRIMARY KEY,
    tenant_id           BIGINT       NOT NULL REFERENCES tenant (id),
    publisher_client_id BIGINT       NOT NULL REFERENCES client (id),
    business_type       BIGINT       NOT NULL,
    file_name           VARCHAR(255),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
-- the collector's claim of expired tickets
CREATE INDEX upload_ticket_expiry ON upload_ticket (expires_at);

-- The chunks received so far, each its own blob.
CREATE TABLE upload_chunk (
    token_hash VARCHAR(64) NOT NULL REFERENCES upload_ticket (token_hash) ON DELETE CASCADE,
    position   INT         NOT NULL,
    blob_id    VARCHAR(64) NOT NULL,
    byte_size  BIGINT      NOT NULL,
    sha256     VARCHAR(64) NOT NULL,
    PRIMARY KEY (token_hash, position)
);
