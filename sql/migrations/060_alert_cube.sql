-- The alert cube (issue 11): distinct alerts per UTC hour (= Asia/Shanghai hour, UTC+8, no DST)
-- × bureau × matter × officer × indicator × category × severity, as exact distinct-id states.
-- Every board and analyst figure over alerts is a merge of these cells (sql/queries/alert-stats.ts);
-- an alert's later versions (status, task link) land in the same cell and merge away, so the
-- counts are distinct alerts. Section (business line) = the matter's platform, mapped at query time.
CREATE TABLE IF NOT EXISTS alert_cube_h (
  hour DateTime('UTC'),
  bureau LowCardinality(String),
  matter LowCardinality(String),
  officer LowCardinality(String),
  indicator LowCardinality(String),
  category LowCardinality(String),
  severity LowCardinality(String),
  ids AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, bureau, category, severity, indicator, matter, officer);

CREATE MATERIALIZED VIEW IF NOT EXISTS alert_cube_h_mv TO alert_cube_h AS
SELECT toStartOfHour(ts) AS hour, bureau, matter, officer, indicator, category, severity, uniqExactState(id) AS ids
FROM alerts
GROUP BY hour, bureau, matter, officer, indicator, category, severity;

-- Alerts stored before this migration (an id counted twice merges to one).
INSERT INTO alert_cube_h
SELECT toStartOfHour(ts) AS hour, bureau, matter, officer, indicator, category, severity, uniqExactState(id) AS ids
FROM alerts
GROUP BY hour, bureau, matter, officer, indicator, category, severity;
