-- Server-side sessions (docs/security.md): a row per login, replaced on touch and on revocation.
-- id is the SHA-256 of the token, so the table never holds a usable token.
CREATE TABLE IF NOT EXISTS sessions (
  id String,
  username String,
  created_at DateTime64(3, 'UTC'),
  last_seen DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  revoked_at DateTime64(3, 'UTC') DEFAULT 0,
  revoked_reason String DEFAULT '',
  address String DEFAULT '',
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id
TTL toDateTime(expires_at) + INTERVAL 30 DAY;
