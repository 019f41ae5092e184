-- Attribute details LogicalDOC's templates carry and core's attributes lacked: read-only, the
-- parent of a multi-value attribute, the attribute set it came from, validation and
-- initialization scripts, the attribute it depends on; and a category per preset option.
ALTER TABLE metadata_attribute ADD COLUMN readonly BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE metadata_attribute ADD COLUMN parent VARCHAR(255);
ALTER TABLE metadata_attribute ADD COLUMN set_id BIGINT;
ALTER TABLE metadata_attribute ADD COLUMN validation VARCHAR(4000);
ALTER TABLE metadata_attribute ADD COLUMN initialization VARCHAR(4000);
ALTER TABLE metadata_attribute ADD COLUMN depends_on VARCHAR(255);
ALTER TABLE metadata_option ADD COLUMN category VARCHAR(255);
