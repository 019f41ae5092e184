-- The change feed. A tenant's next position is taken from its counter row, whose lock is held
-- until the writing transaction ends, so positions become visible in increasing order and a
-- reader paging by position never skips a change that commits late.
CREATE TABLE change_counter (
    tenant_id     BIGINT PRIMARY KEY REFERENCES tenant (id),
    last_position BIGINT NOT NULL
);

CREATE TABLE change_log (
    tenant_id      BIGINT       NOT NULL REFERENCES tenant (id),
    position       BIGINT       NOT NULL,
    entity_type    VARCHAR(100) NOT NULL,
    entity_id      VARCHAR(300) NOT NULL,
    operation      VARCHAR(10)  NOT NULL,
    entity_version BIGINT       NOT NULL,
    changed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, position)
);
CREATE INDEX change_log_type ON change_log (tenant_id, entity_type, position);
CREATE INDEX change_log_tombstones ON change_log (operation, changed_at);
