-- Per-client record filters: for a record type, the condition (as JSON, core's plain form) every
-- record the client may see, count, read, change or attach to must meet.
CREATE TABLE client_record_filter (
    tenant_id   BIGINT        NOT NULL REFERENCES tenant (id),
    client_id   BIGINT        NOT NULL REFERENCES client (id),
    record_type VARCHAR(200)  NOT NULL,
    condition   VARCHAR(8000) NOT NULL,
    PRIMARY KEY (tenant_id, client_id, record_type)
);
