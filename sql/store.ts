/**
 * The one module that owns the ClickHouse client. Embedded chDB under DATA_DIR by default,
 * HTTP to a server when CLICKHOUSE_URL is set; the SQL is the same for both.
 * Everything else goes through the Store interface (typed query functions in sql/queries/).
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export type QueryParams = Record<string, unknown>;

/** What every call on a closed store throws: a request that races the shutdown gets a 503, not a native usage error. */
export class StoreClosedError extends Error {
  constructor() { super('the store is closed (the server is stopping)'); this.name = 'StoreClosedError'; }
}

export interface Store {
  readonly kind: 'embedded' | 'remote';
  readonly database: string;
  /** SELECT returning rows (JSONEachRow). Values only through params ({name:Type} placeholders). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  /** DDL / mutation without a result set. */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Insert plain rows (JSONEachRow) into a table of this database. */
  insert<T extends object>(table: string, rows: readonly T[]): Promise<void>;
  /** Insert rows already encoded as JSONEachRow text, a row a line (no second encoding on the hot path). */
  insertJsonEachRow(table: string, text: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  url?: string;
  user?: string;
  password?: string;
  database: string;
}

// Inserts of history may span many months; the partition guard is for accidental wide inserts, not ours.
// Times go in as epoch milliseconds, so the default (basic) date-time parser is enough: best_effort
// cost ~10–25 % of the engine's CPU on event inserts here.
const SETTINGS = {
  max_partitions_per_insert_block: '0',
  output_format_json_quote_64bit_integers: 0,
} as const;

class ClickHouseStore implements Store {
  private closed = false;

  constructor(
    private readonly client: ClickHouseClient,
    readonly kind: 'embedded' | 'remote',
    readonly database: string,
    /** After the client is closed: wait until the engine has really let go (embedded: chDB's drainPending). */
    private readonly released: () => Promise<void> = async () => {},
  ) {}

  async query<T>(sql: string, params?: QueryParams): Promise<T[]> {
    this.open();
    const rs = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return (await rs.json()) as T[];
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    this.open();
    await this.client.command({ query: sql, query_params: params });
  }

  async insert<T extends object>(table: string, rows: readonly T[]): Promise<void> {
    this.open();
    if (rows.length === 0) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
    await this.client.insert({ table, values: rows as T[], format: 'JSONEachRow' });
  }

  async insertJsonEachRow(table: string, text: string): Promise<void> {
    this.open();
    if (text.length === 0) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
    // The data follows the statement, as in an HTTP POST body or a clickhouse-local script.
    await this.client.command({ query: `INSERT INTO ${table} FORMAT JSONEachRow\n${text}` });
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const r = await this.client.ping();
      if (!r.success) return false;
      if (this.kind === 'remote') await this.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
    // chDB defers tearing a connection down behind operations still running on it, and refuses a new
    // session (another DATA_DIR in the same process, as tests do) until then: wait for it, bounded.
    await Promise.race([this.released(), new Promise((r) => setTimeout(r, 30_000).unref())]);
  }

  private open(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.url) {
    const client = createClient({
      url: opts.url,
      username: opts.user,
      password: opts.password,
      database: opts.database,
      clickhouse_settings: SETTINGS,
      request_timeout: 30_000,
      // Failures are logged once by the caller that sees them, not per request by the client.
      log: { level: ClickHouseLogLevel.OFF },
    });
    return new ClickHouseStore(client, 'remote', opts.database);
  }
  const { createChdbConnection } = await import('chdb/connection');
  const path = resolve(opts.dataDir, 'clickhouse');
  mkdirSync(path, { recursive: true });
  // chDB keeps one session per process; USE makes unqualified table names resolve like `database` does over HTTP.
  const client = createClient({
    connection: createChdbConnection({ path }) as never,
    clickhouse_settings: SETTINGS,
  });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${opts.database}` });
  await client.command({ query: `USE ${opts.database}` });
  const chdb = (await import('chdb')) as unknown as { drainPending?: () => Promise<void>; default?: { drainPending?: () => Promise<void> } };
  const drainPending = chdb.drainPending ?? chdb.default?.drainPending ?? (async () => {});
  return new ClickHouseStore(client, 'embedded', opts.database, drainPending);
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration { version: number; name: string; statements: string[] }

/** Numbered, append-only migrations: sql/migrations/NNN_name.sql, statements separated by `;` at line end. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      statements: readFileSync(join(dir, f), 'utf8')
        .split(/;\s*$/m)
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter(Boolean),
    }));
}

/** Applies each migration not yet recorded, once, in order. Returns the versions applied now. */
export async function migrate(store: Store, migrations = readMigrations()): Promise<number[]> {
  await store.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime64(3, 'UTC'))
     ENGINE = MergeTree ORDER BY version`,
  );
  const done = new Set((await store.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const stmt of m.statements) await store.command(stmt);
    await store.insert('schema_migrations', [{ version: m.version, name: m.name, applied_at: Date.now() }]);
    applied.push(m.version);
  }
  return applied;
}
