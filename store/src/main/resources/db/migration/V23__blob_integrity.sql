-- Blob integrity (core's io.dossier.core.content.BlobIntegrity): blobs found damaged — by a read
-- whose chunk failed its CRC32C, or by the scrub that re-checks SHA-256s — listed for operators
-- through the admin API; and where the scrub's pass over all blobs has got to, so that it goes
-- on from there on any node after a restart.
CREATE TABLE damaged_blob (
    blob_id        VARCHAR(64)              PRIMARY KEY,
    first_found_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_found_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    found_by       VARCHAR(20)              NOT NULL,
    reason         VARCHAR(1000)            NOT NULL
);

CREATE TABLE blob_scrub (
    id               INTEGER                  PRIMARY KEY,
    after_blob_id    VARCHAR(64)              NOT NULL,
    pass_started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_pass_ended_at TIMESTAMP WITH TIME ZONE
);

