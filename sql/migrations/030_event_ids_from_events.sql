-- The dedupe index is filled by the insert into events itself: one insert per batch instead of
-- two, and no way for an event to be stored without its id in the index.
CREATE MATERIALIZED VIEW IF NOT EXISTS event_ids_mv TO event_ids AS
SELECT id, seq FROM events;
