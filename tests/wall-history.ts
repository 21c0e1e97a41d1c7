/**
 * History for the wall's tests: `days` days of alerts ending now, a few thousand of them, from
 * two indicators chosen so that every alert is one or two events (quick to load): SVC-01
 * (off-hours approval, medium) and PRC-01 (accept and approve of one item by one officer, high).
 * Times, bureaus and officers spread as the simulator's reference data allows.
 */
import { defaultReference } from '../streams/reference/default-data.js';
import { postEvents } from './helpers.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface WallHistory { events: number; from: number; to: number }

export async function loadWallHistory(url: string, opts: { days: number; offHoursPerDay: number; pairsPerDay: number; prefix?: string }): Promise<WallHistory> {
  const ref = defaultReference;
  const prefix = opts.prefix ?? 'wh';
  const tax = ref.officers.filter((o) => o.role === 'tax' && o.bureau !== 'HQ' && o.active !== false);
  const power = ref.matters.find((m) => m.power)!;
  const plain = ref.matters.find((m) => !m.power)!;
  const to = Date.now() - 2 * 60_000;
  const from = to - opts.days * DAY;
  const events: Record<string, unknown>[] = [];
  let n = 0;
  // Shanghai midnight of the first day.
  const day0 = Math.floor((from + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  for (let d = day0; d < to; d += DAY) {
    for (let i = 0; i < opts.offHoursPerDay; i++) {
      const ts = d + 19 * HOUR + Math.floor((i / opts.offHoursPerDay) * 4.5 * HOUR) + (n % 997);
      if (ts < from || ts >= to) continue;
      const o = tax[n % tax.length]!;
      n++;
      events.push({ id: `${prefix}-s${n}`, ts: new Date(ts).toISOString(), platform: 'collection', bureau: o.bureau, officer: o.id, matter: power.code, item: `${prefix}-SI${n}`, action: 'approve', taxpayer: `T91${String(n).padStart(12, '0')}` });
    }
    for (let i = 0; i < opts.pairsPerDay; i++) {
      const ts = d + 9 * HOUR + Math.floor((i / opts.pairsPerDay) * 7 * HOUR) + (n % 991);
      if (ts < from || ts + 60_000 >= to) continue;
      const o = tax[(n * 7) % tax.length]!;
      n++;
      const base = { platform: 'service', bureau: o.bureau, officer: o.id, matter: plain.code, item: `${prefix}-PI${n}` };
      events.push({ ...base, id: `${prefix}-p${n}a`, ts: new Date(ts).toISOString(), action: 'accept' });
      events.push({ ...base, id: `${prefix}-p${n}b`, ts: new Date(ts + 60_000).toISOString(), action: 'approve' });
    }
  }
  events.sort((a, b) => (String(a.ts) < String(b.ts) ? -1 : 1));
  for (let i = 0; i < events.length; i += 5000) {
    const r = await postEvents(url, events.slice(i, i + 5000));
    if (r.status !== 202 || r.json.rejected.length) throw new Error(`history load: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  }
  return { events: events.length, from, to };
}
