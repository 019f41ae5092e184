-- Only the oldest unfinished delivery of a record to a webhook may be attempted, so that a
-- record's changes arrive in order. Finding those heads by grouping every unfinished row on each
-- claim cost O(backlog): with 8,000 deliveries queued a claim took seconds on PostgreSQL and
-- deliveries crawled at 2 a second. Instead each head is marked `ready` as it becomes one (on
-- insert when nothing of its record is unfinished, when the delivery before it finishes, and by a
-- periodic sweep that repairs a race between those two), and a claim reads ready rows by index.
ALTER TABLE webhook_delivery ADD COLUMN ready BOOLEAN DEFAULT FALSE NOT NULL;

UPDATE webhook_delivery SET ready = TRUE
 WHERE id IN (SELECT MIN(id) FROM webhook_delivery WHERE state IN ('QUEUED', 'FAILED', 'RUNNING') GROUP BY webhook_id, record_key);

CREATE INDEX webhook_delivery_ready ON webhook_delivery (ready, next_attempt_at, id);
