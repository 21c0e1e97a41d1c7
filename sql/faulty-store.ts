/**
 * Fault injection around the real store (tests, the crash matrix): an outage (every call fails,
 * ping says down), or a fault at the k-th matching write: fail before it reaches the store, fail
 * after it landed (the "stored but reported failed" case), kill -9 the process before or after
 * it, or never answer. Wired by FAULT_INJECT (server/config.ts) or by a test through startApp's `wrapStore`.
 */
import type { QueryParams, Store } from './store.js';

/** `hang-before`: the call never answers (a stuck store), e.g. to hold acknowledged events in the spool. */
export type FaultAction = 'fail-before' | 'fail-after' | 'kill-before' | 'kill-after' | 'hang-before';
export type FaultOp = 'insert' | 'command' | 'query';

export interface FaultRule {
  action: FaultAction;
  op: FaultOp;
  /** Inserts: the table name; commands and queries: a substring of the SQL. '*' matches any. */
  target: string;
  /** Fires at the nth matching call (1-based), counted from when the rule was added (or armed). */
  nth: number;
  /** Counting starts only once an insert into this table has been stored (e.g. the first task batch). */
  armAfter?: string;
  /** `hang-before` in a test: the call waits for this instead of forever, then goes on. */
  until?: Promise<void>;
}

interface ArmedRule extends FaultRule { seen: number; fired: boolean; armed: boolean }

export class FaultError extends Error {
  constructor(message: string) { super(`fault injected: ${message}`); }
}

/** `kill-after:insert:task_events:1,fail-before:command:CREATE:3,kill-after:insert:audit_log:1@tasks` → rules. */
export function parseFaultSpec(spec: string): FaultRule[] {
  return spec.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [body, armAfter] = s.split('@');
    const [action, op, target, nth] = (body ?? '').split(':');
    if (!['fail-before', 'fail-after', 'kill-before', 'kill-after', 'hang-before'].includes(action ?? '')) throw new Error(`FAULT_INJECT: unknown action in ${s}`);
    if (!['insert', 'command', 'query'].includes(op ?? '')) throw new Error(`FAULT_INJECT: unknown op in ${s}`);
    const n = Number(nth ?? '1');
    if (!target || !Number.isInteger(n) || n < 1) throw new Error(`FAULT_INJECT: bad target or count in ${s}`);
    return { action: action as FaultAction, op: op as FaultOp, target, nth: n, ...(armAfter ? { armAfter } : {}) };
  });
}

export class FaultyStore implements Store {
  private rules: ArmedRule[] = [];
  private down = false;
  /** Calls held by a `hang-before` right now. */
  hanging = 0;
  /** Every write that reached the real store, in order ("insert:tasks", "command:CREATE…"), for tests. */
  readonly log: string[] = [];

  constructor(private readonly inner: Store, rules: readonly FaultRule[] = [], private readonly kill: () => void = () => process.kill(process.pid, 'SIGKILL')) {
    for (const r of rules) this.add(r);
  }

  get kind() { return this.inner.kind; }
  get database() { return this.inner.database; }

  add(rule: FaultRule): void { this.rules.push({ ...rule, seen: 0, fired: false, armed: !rule.armAfter }); }
  clear(): void { this.rules = []; }
  /** While on, every call fails and ping answers false (the store is unreachable). */
  outage(on: boolean): void { this.down = on; }
  get inOutage(): boolean { return this.down; }
  /** Rules that have not fired yet. */
  get armed(): number { return this.rules.filter((r) => !r.fired).length; }

  private match(op: FaultOp, target: string): ArmedRule | undefined {
    for (const r of this.rules) {
      if (r.fired || !r.armed || r.op !== op) continue;
      if (r.target !== '*' && (op === 'insert' ? r.target !== target : !target.includes(r.target))) continue;
      if (++r.seen === r.nth) { r.fired = true; return r; }
    }
    return undefined;
  }

  private async run<T>(op: FaultOp, target: string, call: () => Promise<T>): Promise<T> {
    if (this.down) throw new FaultError(`store outage (${op} ${target.slice(0, 40)})`);
    const rule = this.match(op, target);
    if (rule?.action === 'kill-before') this.kill();
    if (rule?.action === 'hang-before') { this.hanging++; await (rule.until ?? new Promise<never>(() => {})); this.hanging--; }
    if (rule?.action === 'fail-before') throw new FaultError(`${op} ${target.slice(0, 40)} refused before it reached the store`);
    const out = await call();
    if (op !== 'query') this.log.push(`${op}:${target.slice(0, 60)}`);
    if (op === 'insert') for (const r of this.rules) if (!r.armed && r.armAfter === target) r.armed = true;
    if (rule?.action === 'kill-after') this.kill();
    if (rule?.action === 'fail-after') throw new FaultError(`${op} ${target.slice(0, 40)} stored, then reported failed`);
    return out;
  }

  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    return this.run('query', sql, () => this.inner.query<T>(sql, params));
  }

  command(sql: string, params?: QueryParams): Promise<void> {
    return this.run('command', sql, () => this.inner.command(sql, params));
  }

  insert<T extends object>(table: string, rows: readonly T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.run('insert', table, () => this.inner.insert(table, rows));
  }

  insertJsonEachRow(table: string, text: string): Promise<void> {
    if (text.length === 0) return Promise.resolve();
    return this.run('insert', table, () => this.inner.insertJsonEachRow(table, text));
  }

  async ping(): Promise<boolean> {
    return this.down ? false : this.inner.ping();
  }

  close(): Promise<void> { return this.inner.close(); }
}
