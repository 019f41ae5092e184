-- A container's documents in the order of their latest change: Opus 2's `documents?afterDate=`
-- reads a folder's page in index order and counts what changed after a time from this index alone
-- (an index-only scan), where document_changed (V27) has no container and had every document of
-- the tenant changed since read from the table to see its folder.
CREATE INDEX document_container_changed ON document (tenant_id, container_type, container_uid, changed_at, id);
