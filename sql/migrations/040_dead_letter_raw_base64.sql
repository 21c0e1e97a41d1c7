-- A dead letter whose raw input is not valid UTF-8 text (or that the store refused as text) keeps
-- the exact bytes, base64-encoded, with raw_base64 = 1.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS raw_base64 UInt8 DEFAULT 0;
