-- Officer profile (docs/officer-profile.md): operation events per Asia/Shanghai day × bureau ×
-- officer × business line (platform). An officer's section is the line most of their events of the
-- period fall in; the peers of the section are the bureau's other officers whose main line it is.
CREATE TABLE IF NOT EXISTS officer_lines_d (
  day Date,
  bureau LowCardinality(String),
  officer String,
  platform LowCardinality(String),
  events UInt64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (bureau, day, officer, platform);

CREATE MATERIALIZED VIEW IF NOT EXISTS officer_lines_d_mv TO officer_lines_d AS
SELECT toDate(ts, 'Asia/Shanghai') AS day, bureau, officer, platform, count() AS events
FROM events
WHERE officer NOT IN ('', 'system')
GROUP BY day, bureau, officer, platform;

-- Events stored before this migration.
INSERT INTO officer_lines_d
SELECT toDate(ts, 'Asia/Shanghai') AS day, bureau, officer, platform, count() AS events
FROM events
WHERE officer NOT IN ('', 'system')
GROUP BY day, bureau, officer, platform;
