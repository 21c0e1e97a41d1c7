-- Alerts: one row per hit (stable id), the latest version of a row carries its status.
CREATE TABLE IF NOT EXISTS alerts (
  id String,
  indicator LowCardinality(String),
  indicator_version UInt32,
  category LowCardinality(String),
  severity LowCardinality(String),
  ts DateTime64(3, 'UTC'),
  detected_at DateTime64(3, 'UTC'),
  bureau LowCardinality(String),
  officer String,
  taxpayer String,
  item String,
  matter LowCardinality(String),
  evidence Array(String),
  message_zh String,
  message_en String,
  status LowCardinality(String),
  task_id String DEFAULT '',
  version UInt64,
  INDEX idx_alert_id id TYPE bloom_filter GRANULARITY 1
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, id);

-- Indicator definitions: every change is a new version; the engine runs the latest of each id.
CREATE TABLE IF NOT EXISTS indicator_versions (
  id String,
  version UInt32,
  created_at DateTime64(3, 'UTC'),
  author String,
  def String
) ENGINE = MergeTree
ORDER BY (id, version);
