-- Permissions granted to a user or a group on a resource (a container, a template, a document
-- type), one row per subject and resource; the permissions are a bit set (core's Permission order).
CREATE TABLE access_grant (
    tenant_id     BIGINT       NOT NULL REFERENCES tenant (id),
    resource_kind VARCHAR(20)  NOT NULL,
    resource_key  VARCHAR(300) NOT NULL,
    subject_kind  VARCHAR(10)  NOT NULL,
    subject_id    BIGINT       NOT NULL,
    permissions   BIGINT       NOT NULL,
    PRIMARY KEY (tenant_id, resource_kind, resource_key, subject_kind, subject_id)
);
