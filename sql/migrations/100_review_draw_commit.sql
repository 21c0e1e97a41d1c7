-- Verifiable sampling-review draws (docs/draws.md, "Review draws"): the audit record that committed
-- the draw's inputs before the seed was derived, the reference version used, the newest event
-- arrival sequence the population was read up to, and the population itself (item and bureau).
ALTER TABLE review_draws ADD COLUMN IF NOT EXISTS commit_seq UInt64 DEFAULT 0;
ALTER TABLE review_draws ADD COLUMN IF NOT EXISTS reference_version UInt32 DEFAULT 0;
ALTER TABLE review_draws ADD COLUMN IF NOT EXISTS events_seq UInt64 DEFAULT 0;
ALTER TABLE review_draws ADD COLUMN IF NOT EXISTS population_items Array(String) DEFAULT [];
ALTER TABLE review_draws ADD COLUMN IF NOT EXISTS population_bureaus Array(String) DEFAULT [];
