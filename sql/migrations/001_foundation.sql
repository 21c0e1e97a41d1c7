-- Operation events: partitioned by month, ordered for the dashboard's filters (bureau, time, officer).
-- ReplacingMergeTree is a safety net only: ingestion already stores each id once.
CREATE TABLE IF NOT EXISTS events (
  id String,
  ts DateTime64(3, 'UTC'),
  platform LowCardinality(String),
  bureau LowCardinality(String),
  officer String,
  matter LowCardinality(String),
  item String,
  action LowCardinality(String),
  taxpayer String DEFAULT '',
  window LowCardinality(String) DEFAULT '',
  amount Nullable(Float64),
  attrs String DEFAULT '',
  flags Array(LowCardinality(String)),
  seq UInt64,
  arrived_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (bureau, ts, officer, id);

-- The dedupe index: every id ever accepted, ordered by id so a batch lookup reads a few granules.
CREATE TABLE IF NOT EXISTS event_ids (
  id String,
  seq UInt64
) ENGINE = ReplacingMergeTree
ORDER BY id;

-- Everything that was sent and rejected, raw, with its reason.
CREATE TABLE IF NOT EXISTS dead_letters (
  received_at DateTime64(3, 'UTC'),
  source LowCardinality(String),
  idx Int32,
  event_id String,
  reason String,
  raw String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY received_at;

-- Reference data: each PUT stores the whole resulting set as a new version.
CREATE TABLE IF NOT EXISTS reference_versions (
  version UInt32,
  created_at DateTime64(3, 'UTC'),
  author String,
  lists Array(String),
  data String
) ENGINE = MergeTree
ORDER BY version;

-- Users: latest row per username wins.
CREATE TABLE IF NOT EXISTS users (
  username String,
  password_hash String,
  role LowCardinality(String),
  bureau String,
  officer String DEFAULT '',
  display_name String DEFAULT '',
  active UInt8,
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY username;
