/** Helpers of the import tests: simulated history files and driving POST /api/imports. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHistory } from '../streams/simulator/generator.js';
import { toWireLine } from '../streams/simulator/cli.js';
import { defaultReference } from '../streams/reference/default-data.js';
import type { OpEvent } from '../streams/types.js';
import { api, eventually } from './helpers.js';

export const DAY_MS = 86_400_000;

/** A few days of simulated history (the simulator's generator, planted patterns included) in wire format. */
export function simulatedHistory(opts: { from: number; days: number; seed?: number; itemsPerDay?: number; prefix?: string }): { events: OpEvent[]; lines: string[] } {
  const events = generateHistory({ reference: defaultReference, from: opts.from, days: opts.days, seed: opts.seed ?? 7, itemsPerDay: opts.itemsPerDay ?? 120 });
  const prefix = opts.prefix ?? '';
  if (prefix) for (const e of events) e.id = `${prefix}${e.id}`.slice(0, 64);
  return { events, lines: events.map(toWireLine) };
}

export function writeLines(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export async function postImport(url: string, token: string, body: Uint8Array | string, query: string): Promise<{ status: number; json: any }> {
  const r = await fetch(`${url}/api/imports?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" }, body: body as BodyInit });
  return { status: r.status, json: await r.json().catch(() => null) };
}

/** Waits until the import is no longer running and returns its final record. */
export async function importFinished(url: string, token: string, id: string, ms = 120_000): Promise<any> {
  return eventually(async () => {
    const r = await api(url, token, `/api/imports/${id}`);
    return r.json?.state && r.json.state !== 'running' ? r.json : undefined;
  }, ms, 200);
}

/** Every alert the list answers under `query`, all pages. */
export async function allAlerts(url: string, token: string, query: string): Promise<any[]> {
  const out: any[] = [];
  let cursor = '';
  for (;;) {
    const r = await api(url, token, `/api/alerts?limit=1000&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (r.status !== 200) throw new Error(`alerts ${r.status} ${JSON.stringify(r.json)}`);
    out.push(...r.json.alerts);
    if (!r.json.next) return out;
    cursor = r.json.next;
  }
}

export const alertKeys = (alerts: any[]) => alerts.map((a) => `${a.indicator}|${a.evidence.join(',')}`).sort();
