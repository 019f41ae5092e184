-- Who may see a record's tombstone (core's io.dossier.core.record.RecordService#delete): when a
-- record is deleted while clients of its tenant have a record filter on its type, the clients
-- whose filter the record met at that moment. A filtered client is shown a tombstone only when it
-- is named here, so it never learns of records outside its filter. Collected with the tombstones.
CREATE TABLE tombstone_audience (
    tenant_id   BIGINT                   NOT NULL REFERENCES tenant (id),
    client_id   BIGINT                   NOT NULL,
    entity_type VARCHAR(100)             NOT NULL,
    entity_id   VARCHAR(300)             NOT NULL,
    version     BIGINT                   NOT NULL,
    deleted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, client_id, entity_type, entity_id, version)
);

CREATE INDEX tombstone_audience_deleted_at ON tombstone_audience (deleted_at);
