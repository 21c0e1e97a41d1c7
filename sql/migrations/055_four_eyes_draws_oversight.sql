-- Separation of duties (docs/security.md): four-eyes proposals, draws committed in the audit
-- chain, and the oversight alerts over the product's own audit trail.

-- A proposal of a guarded change: one row per state change, the highest version is the proposal.
CREATE TABLE IF NOT EXISTS proposals (
  id String,
  kind LowCardinality(String),
  target String,
  payload String,
  summary String DEFAULT '',
  reason String DEFAULT '',
  proposer String,
  proposer_role LowCardinality(String),
  proposer_bureau LowCardinality(String),
  state LowCardinality(String),
  created_at DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  decided_by String DEFAULT '',
  decided_at Nullable(DateTime64(3, 'UTC')),
  decision_note String DEFAULT '',
  result String DEFAULT '',
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- The audit record that committed the draw's seed before the draw, and the reference version it used.
ALTER TABLE assignment_draws ADD COLUMN IF NOT EXISTS commit_seq UInt64 DEFAULT 0;
ALTER TABLE assignment_draws ADD COLUMN IF NOT EXISTS reference_version UInt32 DEFAULT 0;

-- Alerts of the oversight indicators (OVS-*): kept apart from the business alerts so that no
-- read path of those can show them; HQ leaders read them through /api/oversight.
CREATE TABLE IF NOT EXISTS oversight_alerts (
  id String,
  indicator LowCardinality(String),
  severity LowCardinality(String),
  ts DateTime64(3, 'UTC'),
  subject String,
  subject_role LowCardinality(String),
  message String,
  details String,
  audit_seqs Array(UInt64)
) ENGINE = ReplacingMergeTree
ORDER BY id;
