-- The orphan sweep asks which listed blob ids some row still points at, a batch at a time.
CREATE INDEX stored_file_blob ON stored_file (blob_id);
CREATE INDEX upload_chunk_blob ON upload_chunk (blob_id);
