import { z } from 'zod';
import { checkPassword } from './auth/password-policy.js';

/** The only reader of process.env: validated once, frozen, typed. */
const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const schema = z.object({
  PORT: intFrom(3000, 0).pipe(z.number().max(65535)),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLICKHOUSE_URL: z.string().url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier').default('integrity'),
  SIMULATE: z.enum(['0', '1']).default('0'),
  /** Demo logins for every role (with the admin's password) on a new DATA_DIR; default: on with the simulator. */
  DEMO_USERS: z.enum(['0', '1']).optional(),
  SIMULATE_RATE: z.coerce.number().positive().max(100000).default(20),
  INGEST_TOKEN: z.string().min(8).optional(),
  ADMIN_PASSWORD: z.string().min(1).optional().superRefine((v, c) => {
    const r = v === undefined ? null : checkPassword(v, 'admin');
    if (r && !r.ok) c.addIssue({ code: 'custom', message: r.error.replace(/^password: /, '') });
  }),
  LATENESS_MS: intFrom(5000),
  IDLE_MS: intFrom(2000),
  SPOOL_MAX_BYTES: intFrom(1024 * 1024 * 1024, 1024),
  /** Overload bounds of POST /api/events (429 + Retry-After beyond): request bytes in flight, and events acknowledged but not yet stored. */
  INGEST_MAX_INFLIGHT_BYTES: intFrom(64 * 1024 * 1024, 1024),
  INGEST_MAX_BACKLOG_EVENTS: intFrom(500_000, 1000),
  DEDUPE_CACHE_SIZE: intFrom(200_000, 1000),
  /** The dedupe filter has 2^N bits: 28 → 32 MiB, ~1 % false positives at 28 million ids. */
  DEDUPE_FILTER_LOG2_BITS: intFrom(28, 10).pipe(z.number().max(32)),
  CHECKPOINT_INTERVAL_MS: intFrom(30_000, 100),
  /** 1: after each checkpoint a worker thread writes its compact (binary) copy, which a restart reads faster (server/engine/checkpoint-compact.ts). */
  CHECKPOINT_COMPACT: z.enum(['0', '1']).default('1'),
  /** The engine's state budget in keyed entries (server/engine/state-budget.ts); 0: one per KB of the JS heap limit. */
  ENGINE_STATE_MAX_ENTRIES: intFrom(0),
  /** How often the state budget is checked (wall clock, ms). */
  ENGINE_STATE_CHECK_MS: intFrom(5_000, 100),
  /** Bytes of an import's rows read, validated and stored per batch; progress is written after each (docs/imports.md). */
  IMPORT_BATCH_BYTES: intFrom(4 * 1024 * 1024, 4096),
  /** Fault injection for the crash tests and matrix (sql/faulty-store.ts), e.g. `kill-after:insert:task_events:1`. Never set in production. */
  FAULT_INJECT: z.string().optional(),
  KPI_PUSH_MS: intFrom(5000, 100),
  TASK_MIN_SEVERITY: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
  TASK_DEADLINE_HOURS_CRITICAL: intFrom(24, 1),
  TASK_DEADLINE_HOURS_HIGH: intFrom(72, 1),
  TASK_DEADLINE_HOURS_MEDIUM: intFrom(120, 1),
  TASK_DEADLINE_HOURS_LOW: intFrom(240, 1),
  /** An open task takes new alerts at most once per this many ms (an alert storm; 0: every batch). */
  TASK_ATTACH_EVERY_MS: intFrom(5000, 0),
  REVIEW_DAILY: z.enum(['0', '1']).default('1'),
  /** Cases (docs/cases.md): a subject's new task joins their unfinished case only if it was opened within this many days. */
  CASE_GROUPING_DAYS: intFrom(30, 1),
  /** Risk model (docs/risk.md): Beta(α, β) prior of each indicator's confirmed share, half-life of a resolution, window of an officer's alerts. */
  RISK_PRIOR_ALPHA: z.coerce.number().positive().default(1),
  RISK_PRIOR_BETA: z.coerce.number().positive().default(4),
  RISK_HALF_LIFE_DAYS: z.coerce.number().positive().default(180),
  RISK_WINDOW_DAYS: intFrom(90, 1),
  /** How long a four-eyes proposal waits for its second person (docs/security.md). */
  PROPOSAL_TTL_HOURS: intFrom(72, 1),
  /** The board's overdue-rate target (a share: 0.01 = 1 %); above it the figure shows as off target. */
  OVERDUE_RATE_TARGET: z.coerce.number().min(0).max(1).default(0.01),
  /** A rate over fewer cases than this is shown greyed (too few to judge). */
  KPI_MIN_SAMPLE: intFrom(20, 1),
  // Leader reports (docs/reports.md)
  /** 1: the weekly and monthly reports are made on a schedule (checked every REPORT_CHECK_MINUTES; the first check after one interval). */
  REPORT_SCHEDULE: z.enum(['0', '1']).default('1'),
  REPORT_CHECK_MINUTES: intFrom(15, 1),
  /** A CJK font for the PDFs (.ttf/.otf, or a .ttc with Noto's SC face); default: Debian's fonts-noto-cjk. */
  REPORT_FONT: z.string().optional(),
  /** Targets the report judges KPIs against (the overdue rate uses OVERDUE_RATE_TARGET). */
  REVIEW_COMPLIANCE_TARGET: z.coerce.number().min(0).max(1).default(0.95),
  SATISFACTION_TARGET: z.coerce.number().min(1).max(5).default(4.5),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Sessions and login defence (docs/security.md)
  /** A session unused this long ends (an open dashboard socket counts as use). */
  SESSION_IDLE_MINUTES: intFrom(30, 1),
  /** A session ends this long after login whatever its use. */
  SESSION_ABSOLUTE_HOURS: intFrom(12, 1),
  LOGIN_MAX_FAILURES: intFrom(5, 1),
  LOGIN_ADDRESS_MAX_FAILURES: intFrom(20, 1),
  LOGIN_FAILURE_WINDOW_SECONDS: intFrom(900, 1),
  /** The first lockout; each further one within a day lasts twice as long, up to LOGIN_LOCKOUT_MAX_SECONDS. */
  LOGIN_LOCKOUT_SECONDS: intFrom(60, 1),
  LOGIN_LOCKOUT_MAX_SECONDS: intFrom(3600, 1),
  /** Express 'trust proxy': 0 (direct), 1 (one proxy in front), a hop count, or loopback/a subnet list. Behind a TLS proxy, cookies get Secure. */
  TRUST_PROXY: z.string().default('0'),
  /** 1: the session cookie is always Secure (TLS terminated elsewhere without X-Forwarded-Proto). */
  COOKIE_SECURE: z.enum(['0', '1']).default('0'),
  /** Extra origins (comma-separated, e.g. https://monitor.example.gov) that may send state-changing requests with the cookie. */
  ALLOWED_ORIGINS: z.string().default(''),
});

export type Config = Readonly<z.infer<typeof schema>>;

export class ConfigError extends Error {}

/** Parse an environment; a bad value throws a ConfigError naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}

export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}
