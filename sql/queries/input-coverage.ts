/**
 * Which indicator inputs appeared in recent events: per action × matter the number of events, and
 * per action which attrs keys and optional fields (taxpayer, window, amount) were present.
 * Read by GET /api/indicators to tell "blind" indicators (inputs never seen) from quiet ones.
 */
import type { Store } from '../store.js';

export interface InputCoverageRows {
  byMatter: { action: string; matter: string; events: number }[];
  attrs: { action: string; key: string; events: number }[];
  fields: { action: string; taxpayer: number; window: number; amount: number }[];
}

export async function inputCoverage(store: Store, from: number): Promise<InputCoverageRows> {
  const p = { from };
  const since = 'ts >= fromUnixTimestamp64Milli({from:Int64})';
  const [byMatter, attrs, fields] = await Promise.all([
    store.query<{ action: string; matter: string; events: string | number }>(
      `SELECT action, matter, count() AS events FROM events WHERE ${since} GROUP BY action, matter`, p),
    store.query<{ action: string; key: string; events: string | number }>(
      `SELECT action, arrayJoin(JSONExtractKeys(attrs)) AS key, count() AS events FROM events WHERE ${since} AND attrs != '' GROUP BY action, key`, p),
    store.query<{ action: string; taxpayer: string | number; window: string | number; amount: string | number }>(
      `SELECT action, countIf(taxpayer != '') AS taxpayer, countIf(window != '') AS window, countIf(amount IS NOT NULL) AS amount FROM events WHERE ${since} GROUP BY action`, p),
  ]);
  return {
    byMatter: byMatter.map((r) => ({ action: r.action, matter: r.matter, events: Number(r.events) })),
    attrs: attrs.map((r) => ({ action: r.action, key: r.key, events: Number(r.events) })),
    fields: fields.map((r) => ({ action: r.action, taxpayer: Number(r.taxpayer), window: Number(r.window), amount: Number(r.amount) })),
  };
}
