-- Wiring the change feed (V8): every entity a change names carries a version, raised by each
-- write, that its change rows repeat. Record tables get theirs from their DDL (RecordTables);
-- files take theirs from their state (uploaded 1, bound 2), since nothing else of a file changes.
ALTER TABLE document ADD COLUMN entity_version BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE delivery ADD COLUMN entity_version BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE metadata_schema ADD COLUMN entity_version BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE access_grant ADD COLUMN entity_version BIGINT DEFAULT 1 NOT NULL;

-- Secrets of the installation, shared by every node, each created at random on first use: the
-- key that signs paging cursors, so a cursor one node hands out is accepted by every other.
CREATE TABLE installation_secret (
    name         VARCHAR(50) PRIMARY KEY,
    secret_value VARCHAR(200) NOT NULL
);

-- A grant's entity id names its subject and resource (user:5@container:Candidate/…), and a
-- resource key alone may take 300 characters.
ALTER TABLE change_log ALTER COLUMN entity_id SET DATA TYPE VARCHAR(400);
