-- Typed settings per tenant and per container (core's io.dossier.core.settings). scope_key is ''
-- for a value set on the tenant itself, else the container's resource key (kind/id). Values are
-- stored as their canonical text; the declared setting gives their type.
CREATE TABLE setting_value (
    tenant_id   BIGINT                   NOT NULL REFERENCES tenant (id),
    scope_key   VARCHAR(300)             NOT NULL,
    setting_key VARCHAR(100)             NOT NULL,
    value_text  VARCHAR(1000)            NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, scope_key, setting_key)
);
