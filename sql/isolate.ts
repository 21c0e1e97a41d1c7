/**
 * Poison isolation for batch inserts: when the store refuses a batch because of what is in it, the
 * batch is split in halves, recursively, until the refused rows are alone; everything else is
 * stored. A refusal that is about the store itself (unreachable, disk full, out of memory) is not
 * split: the caller keeps the batch and retries (its spool, its queue).
 *
 * Use it for every batch insert (events, dead letters, alerts, tasks, audit):
 *
 *   const out = await insertIsolating(store, rows, (part) => insertX(store, part), { table: 'x', health });
 *   if (!out.ok) → the store is failing: keep `rows` and retry later (parts may already be stored,
 *                  so the retry must be idempotent: stable ids, or skip what is stored)
 *   else         → every row is stored except `out.refused` ({ row, error }): put those in
 *                  dead_letters (sql/queries/events.ts storeDeadLetters) with the store's error.
 *
 * Cost: one insert when nothing is wrong; with k bad rows in n, about 2·k·log2(n) inserts.
 */
import type { Store } from './store.js';

export interface RefusedRow<T> { row: T; error: string }
export type IsolatedInsert<T> =
  | { ok: true; refused: RefusedRow<T>[] }
  | { ok: false; error: string };

/**
 * Refusals that are about the rows: ClickHouse names the row it could not read ("(at row 3)") or the
 * value it could not parse. Anything else (unreachable, disk full, a missing table, out of memory)
 * is about the store: splitting would dead-letter good rows, so the caller keeps them and retries.
 */
const ROW_REFUSAL = /\(at row \d+\)|Cannot parse|CANNOT_PARSE|INCORRECT_DATA|TYPE_MISMATCH|Code: (26|27|38|41|69|70|72|117|131)\b/;
/** Never about the rows, even when the message also names one. */
const STORE_FAILURE = /ENOSPC|No space left|NOT_ENOUGH_SPACE|Not enough space|Cannot reserve|MEMORY_LIMIT_EXCEEDED|Memory limit|TOO_MANY_PARTS|ECONN|ETIMEDOUT|socket hang up|fault injected/i;

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

export function isStoreFailure(err: unknown): boolean {
  const text = errorText(err);
  return STORE_FAILURE.test(text) || !ROW_REFUSAL.test(text);
}

/**
 * Keeps the last write outcome per table, so health can say "degraded" while writes keep failing
 * (the store answers ping, but refuses or fails inserts) and say why.
 */
export class WriteHealth {
  private readonly failing = new Map<string, { since: number; error: string; failures: number }>();
  private readonly refusedRows = new Map<string, number>();
  constructor(private readonly clock: () => number = Date.now) {}

  succeeded(table: string): void { this.failing.delete(table); }

  failed(table: string, err: unknown): void {
    const prev = this.failing.get(table);
    this.failing.set(table, { since: prev?.since ?? this.clock(), error: errorText(err).slice(0, 300), failures: (prev?.failures ?? 0) + 1 });
  }

  refused(table: string, rows: number): void { this.refusedRows.set(table, (this.refusedRows.get(table) ?? 0) + rows); }

  /** Tables whose writes fail right now (no success since the first failure), with the last error. */
  failures(): { table: string; since: number; error: string; failures: number }[] {
    return [...this.failing].map(([table, f]) => ({ table, ...f }));
  }

  /** Rows the store refused and that went to the dead letters instead, by table, since start. */
  refusedCounts(): Record<string, number> { return Object.fromEntries(this.refusedRows); }
}

export interface IsolateOptions {
  table: string;
  health?: WriteHealth;
  /** The caller already tried the whole batch and got this error: start splitting at once. */
  alreadyFailed?: unknown;
}

export async function insertIsolating<T>(
  store: Pick<Store, 'ping'>,
  rows: readonly T[],
  insert: (part: readonly T[]) => Promise<void>,
  opts: IsolateOptions,
): Promise<IsolatedInsert<T>> {
  const refused: RefusedRow<T>[] = [];
  class StoreFailing extends Error {}
  const rowProblem = async (err: unknown): Promise<boolean> => !isStoreFailure(err) && (await store.ping());

  const attempt = async (part: readonly T[], firstError?: unknown): Promise<void> => {
    let error = firstError;
    if (error === undefined) {
      try {
        await insert(part);
        return;
      } catch (err) {
        error = err;
      }
    }
    if (!(await rowProblem(error))) throw new StoreFailing(errorText(error));
    if (part.length === 1) {
      refused.push({ row: part[0]!, error: errorText(error) });
      return;
    }
    const mid = part.length >> 1;
    await attempt(part.slice(0, mid));
    await attempt(part.slice(mid));
  };

  if (rows.length === 0) return { ok: true, refused };
  try {
    await attempt(rows, opts.alreadyFailed);
  } catch (err) {
    const error = err instanceof StoreFailing ? err.message : errorText(err);
    opts.health?.failed(opts.table, error);
    return { ok: false, error };
  }
  // the rest went in: the table takes writes; refused rows are counted (and dead-lettered by the caller)
  if (refused.length) opts.health?.refused(opts.table, refused.length);
  opts.health?.succeeded(opts.table);
  return { ok: true, refused };
}
