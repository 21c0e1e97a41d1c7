-- Risk scores (docs/risk.md): the closed loop's resolutions per indicator and day, the alerts per
-- officer, indicator and day (distinct ids), and the daily score snapshots per officer.

-- Resolutions per indicator and Asia/Shanghai day: a resolve adds one (confirmed: result confirmed or
-- transferred), a send-back takes the previous resolution away again (on the send-back's day).
CREATE TABLE IF NOT EXISTS risk_resolutions_d (
  indicator LowCardinality(String),
  day Date,
  resolved Int64,
  confirmed Int64
) ENGINE = SummingMergeTree
ORDER BY (indicator, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS risk_resolutions_mv TO risk_resolutions_d AS
SELECT indicator, toDate(ts, 'Asia/Shanghai') AS day,
  toInt64(if(action = 'resolve', 1, -1)) AS resolved,
  toInt64(if(action = 'resolve', result IN ('confirmed', 'transferred'), -(JSONExtractString(details, 'previous_result') IN ('confirmed', 'transferred')))) AS confirmed
FROM task_events WHERE action IN ('resolve', 'send_back');

INSERT INTO risk_resolutions_d
SELECT indicator, toDate(ts, 'Asia/Shanghai') AS day,
  toInt64(if(action = 'resolve', 1, -1)) AS resolved,
  toInt64(if(action = 'resolve', result IN ('confirmed', 'transferred'), -(JSONExtractString(details, 'previous_result') IN ('confirmed', 'transferred')))) AS confirmed
FROM task_events WHERE action IN ('resolve', 'send_back');

-- Alerts per officer, indicator and Asia/Shanghai day of the alert's ts, as distinct-id states (an alert's later versions merge away).
CREATE TABLE IF NOT EXISTS risk_alerts_d (
  officer String,
  day Date,
  indicator LowCardinality(String),
  bureau LowCardinality(String),
  ids AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree
ORDER BY (officer, day, indicator, bureau);

CREATE MATERIALIZED VIEW IF NOT EXISTS risk_alerts_mv TO risk_alerts_d AS
SELECT officer, toDate(ts, 'Asia/Shanghai') AS day, indicator, bureau, uniqExactState(id) AS ids
FROM alerts WHERE officer != ''
GROUP BY officer, day, indicator, bureau;

INSERT INTO risk_alerts_d
SELECT officer, toDate(ts, 'Asia/Shanghai') AS day, indicator, bureau, uniqExactState(id) AS ids
FROM alerts WHERE officer != ''
GROUP BY officer, day, indicator, bureau;

-- The score of each officer as of a day (recomputed as tasks resolve; the last computation of a day wins).
CREATE TABLE IF NOT EXISTS risk_scores (
  officer String,
  bureau LowCardinality(String),
  day Date,
  score Float64,
  alerts UInt64,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(day)
ORDER BY (officer, day);
