-- Listing a subscriber's deliveries joins its state rows; without this index every state row of
-- the tenant is scanned (bench/fileapi.sh: 443k rows per request).
CREATE INDEX delivery_state_subscriber ON delivery_state (subscriber_client_id, file_id, state);
