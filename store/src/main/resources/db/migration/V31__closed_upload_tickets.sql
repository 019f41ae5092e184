-- A resumable publication's ticket outlives its close until it expires: the publisher whose answer
-- to the closing chunk was lost sends that chunk again, and gets the published file again rather
-- than "unknown uploadToken" (Visma's upload script retries a failed request; a client told the
-- upload failed publishes the file a second time). A closed ticket keeps no chunks, only what the
-- closing chunk was (its position, size and SHA-256) and the delivery it made.
ALTER TABLE upload_ticket ADD COLUMN published_file_id VARCHAR(36);
ALTER TABLE upload_ticket ADD COLUMN closing_position INT;
ALTER TABLE upload_ticket ADD COLUMN closing_size BIGINT;
ALTER TABLE upload_ticket ADD COLUMN closing_sha256 VARCHAR(64);
