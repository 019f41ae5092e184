-- When a document last changed (created, updated, moved, versioned): Opus 2's
-- `documents?afterDate=` reads a page of a project's documents changed after a time by index,
-- instead of replaying the tenant's change feed and loading every document changed since. Documents
-- from before this column take their creation time.
ALTER TABLE document ADD COLUMN changed_at TIMESTAMP WITH TIME ZONE;
UPDATE document SET changed_at = created_at;
ALTER TABLE document ALTER COLUMN changed_at SET NOT NULL;
CREATE INDEX document_changed ON document (tenant_id, container_type, changed_at, id);
