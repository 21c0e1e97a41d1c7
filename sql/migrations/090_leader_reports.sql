-- Leader reports (docs/reports.md): weekly and monthly, per bureau and for the city, produced on a
-- schedule and on demand. The figures are stored as produced (language-neutral JSON), so a report
-- fetched later shows what it showed when it was made; zh-CN / English are rendered on reading.
CREATE TABLE IF NOT EXISTS leader_reports (
  id String,
  kind LowCardinality(String),
  scope LowCardinality(String),
  period_from DateTime64(3, 'UTC'),
  period_to DateTime64(3, 'UTC'),
  created_at DateTime64(3, 'UTC'),
  trigger LowCardinality(String),
  created_by String,
  data String
) ENGINE = ReplacingMergeTree(created_at)
ORDER BY id;
