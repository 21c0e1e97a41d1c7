import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultReference as ref } from '../reference/default-data.js';
import { ACTIONS, PLATFORMS, type OpEvent } from '../types.js';
import { toWireLine } from './cli.js';
import { CORE_INDICATORS, compareEvents, generateHistory, generateHistoryDetailed } from './generator.js';
import { LiveSimulator } from './live.js';
import { findPatterns } from './patterns.js';
import { DAY, HOUR, isWorkingTime } from './worktime.js';

const FROM = Date.parse('2026-06-01T00:00:00+08:00'); // a Monday
const DAYS = 30;
// the background traffic alone (its invariants below); the planted catalog patterns are tested apart
const history = generateHistoryDetailed({ reference: ref, from: FROM, days: DAYS, seed: 42, plantsPer30Days: 0 });
const events = history.events;
const matters = new Map(ref.matters.map((m) => [m.code, m]));
const officers = new Map(ref.officers.map((o) => [o.id, o]));

const ALLOWED = new Set(['id', 'ts', 'platform', 'bureau', 'officer', 'matter', 'item', 'action', 'taxpayer', 'window', 'amount', 'attrs']);
const MIN_TS = Date.parse('2000-01-01T00:00:00Z');

/** The field rules of events.md; returns the broken ones (plain checks: fast on 150k events). */
function problems(e: OpEvent): string[] {
  const p: string[] = [];
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(e.id)) p.push('id');
  if (!Number.isInteger(e.ts) || e.ts < MIN_TS) p.push('ts');
  if (!(PLATFORMS as readonly string[]).includes(e.platform)) p.push('platform');
  if (!(ACTIONS as readonly string[]).includes(e.action)) p.push('action');
  for (const [f, max] of [['bureau', 16], ['officer', 32], ['matter', 16], ['item', 64]] as const) {
    if (typeof e[f] !== 'string' || e[f].length < 1 || e[f].length > max) p.push(f);
  }
  if (e.taxpayer !== undefined && !/^T91440300[0-9A-Z]{9}$/.test(e.taxpayer)) p.push('taxpayer');
  if (e.window !== undefined && (e.window.length < 1 || e.window.length > 16)) p.push('window');
  if (e.amount !== undefined && !(Number.isFinite(e.amount) && e.amount >= 0 && e.amount <= 1e13)) p.push('amount');
  if (e.attrs !== undefined) {
    if (Object.keys(e.attrs).length > 32) p.push('attrs');
    for (const v of Object.values(e.attrs)) if (!['string', 'number', 'boolean'].includes(typeof v)) p.push('attrs value');
  }
  const score = e.attrs?.score;
  if (e.action === 'rate' && !(typeof score === 'number' && Number.isInteger(score) && score >= 1 && score <= 5)) p.push('score');
  if (e.action === 'assign' && e.attrs?.mode !== 'random' && e.attrs?.mode !== 'manual') p.push('mode');
  if (e.action === 'petition' && typeof e.attrs?.kind !== 'string') p.push('kind');
  if ((e.action === 'reject' || e.action === 'cancel') && typeof e.attrs?.reason !== 'string') p.push('reason');
  for (const [k, v] of Object.entries(e)) if (!ALLOWED.has(k) || v === undefined) p.push(`field ${k}`);
  return p;
}

function checkEvent(e: OpEvent): void {
  const p = problems(e);
  if (p.length > 0) expect.fail(`${JSON.stringify(e)}: ${p.join(', ')}`);
}

describe('generateHistory', () => {
  it('what it does when run twice with the same seed: identical events; another seed: different ones', () => {
    const a = generateHistory({ reference: ref, from: FROM, days: 3, seed: 7 });
    const b = generateHistory({ reference: ref, from: FROM, days: 3, seed: 7 });
    const c = generateHistory({ reference: ref, from: FROM, days: 3, seed: 8 });
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(1000);
    expect(JSON.stringify(c)).not.toEqual(JSON.stringify(a));
  });

  it('what it does when its events are checked against the field rules of events.md', () => {
    for (const e of events) checkEvent(e);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const seen = new Set(events.map((e) => e.action));
    for (const a of ACTIONS) expect(seen.has(a)).toBe(true);
    const plats = new Set(events.map((e) => e.platform));
    for (const p of PLATFORMS) expect(plats.has(p)).toBe(true);
    const wrong = events.filter((e) => {
      const m = matters.get(e.matter);
      if (!m || e.platform !== m.platform) return true;
      if (e.officer !== 'system' && officers.get(e.officer)?.bureau !== e.bureau) return true;
      return (m.platform === 'service') !== (e.window !== undefined);
    });
    expect(wrong).toEqual([]);
  });

  it('what it does when it plants the catalog patterns: every planted event keeps the field rules, ids stay unique, output sorted', () => {
    const planted = generateHistoryDetailed({ reference: ref, from: FROM, days: 7, seed: 42 });
    const background = generateHistoryDetailed({ reference: ref, from: FROM, days: 7, seed: 42, plantsPer30Days: 0 });
    // a week is too short for the longest patterns (a 15-day feedback deadline, a 20-day gap): those wait for a month (allfire.test.ts)
    expect(Object.keys(planted.stats.planted).length).toBeGreaterThan(95);
    expect(planted.stats.unplanted.length + Object.keys(planted.stats.planted).length).toBe(109);
    const bg = new Set(background.events.map((e) => e.id));
    const extra = planted.events.filter((e) => !bg.has(e.id));
    expect(extra.length).toBeGreaterThan(500);
    // events.md validates `mode` and `reason` where present: TSK-07 (mode not recorded) and a cancel without a reason are patterns
    const optional = (x: string, e: OpEvent) => (x === 'mode' || x === 'reason') && e.attrs?.[x] === undefined;
    for (const e of extra) expect(problems(e).filter((x) => !optional(x, e)), JSON.stringify(e)).toEqual([]);
    expect(extra.some((e) => e.action === 'assign' && e.attrs?.mode === undefined)).toBe(true);
    expect(new Set(planted.events.map((e) => e.id)).size).toBe(planted.events.length);
    for (let i = 1; i < planted.events.length; i++) expect(compareEvents(planted.events[i - 1]!, planted.events[i]!)).toBeLessThan(0);
    // the background is the same with or without the plants (their own PRNG stream)
    expect(planted.events.filter((e) => bg.has(e.id)).length).toBe(background.events.length);
  });

  it('what it does when asked for a period: output sorted by (ts, id), inside the period, each item in order', () => {
    let unsorted = 0;
    for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) >= 0) unsorted++;
    expect(unsorted).toBe(0);
    expect(events[0]!.ts).toBeGreaterThanOrEqual(FROM);
    expect(events.at(-1)!.ts).toBeLessThan(FROM + DAYS * DAY);
    expect(history.pending.every((e) => e.ts >= FROM + DAYS * DAY)).toBe(true);
    const firstAction = new Map<string, string>();
    const lastTs = new Map<string, number>();
    let backwards = 0;
    for (const e of events) {
      if (!firstAction.has(e.item)) firstAction.set(e.item, e.action);
      if (e.ts <= (lastTs.get(e.item) ?? -Infinity)) backwards++;
      lastTs.set(e.item, e.ts);
    }
    expect(backwards).toBe(0);
    expect([...firstAction.values()].filter((a) => a !== 'issue')).toEqual([]);
  });

  it('what it does when producing a month at the default volume: ~820 items a day, 6–8 events each', () => {
    const items = new Set(events.map((e) => e.item)).size;
    expect(items / DAYS).toBeGreaterThan(650);
    expect(items / DAYS).toBeLessThan(1000);
    expect(events.length / items).toBeGreaterThan(5.5);
    expect(events.length / items).toBeLessThan(8.5);
  });

  it('what it does when officers act: mostly in working hours, system works off-hours, ratings mostly 4–5', () => {
    const human = events.filter((e) => e.officer !== 'system' && e.action !== 'rate' && e.action !== 'petition');
    const inHours = human.filter((e) => isWorkingTime(e.ts)).length / human.length;
    expect(inHours).toBeGreaterThan(0.97);
    const off = events.filter((e) => !isWorkingTime(e.ts) && e.action !== 'rate' && e.action !== 'petition');
    expect(off.filter((e) => e.officer === 'system').length / off.length).toBeGreaterThan(0.8);
    const scores = events.filter((e) => e.action === 'rate').map((e) => e.attrs!.score as number);
    expect(scores.filter((s) => s >= 4).length / scores.length).toBeGreaterThan(0.75);
    expect(new Set(scores)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('what it does when a power matter is approved: mostly a different, higher-level officer within the limit', () => {
    const workers = new Map<string, Set<string>>();
    for (const e of events) if (e.action === 'accept' || e.action === 'handle') (workers.get(e.item) ?? workers.set(e.item, new Set()).get(e.item)!).add(e.officer);
    const approves = events.filter((e) => e.action === 'approve' && e.officer !== 'system');
    expect(approves.length).toBeGreaterThan(1000);
    let clean = 0;
    for (const a of approves) {
      const m = matters.get(a.matter)!;
      expect(m.power).toBe(true);
      const lvl = officers.get(a.officer)!.level;
      const handlers = [...(workers.get(a.item) ?? [])];
      const higher = handlers.every((h) => h !== a.officer && officers.get(h)!.level < lvl);
      const within = !m.limits || a.amount === undefined || a.amount <= m.limits[lvl - 1]!;
      if (higher && within) clean++;
      if (m.limits) expect(a.amount).toBeDefined();
    }
    expect(clean / approves.length).toBeGreaterThan(0.97);
  });

  it('what it does when 30 days are searched for the core misconduct patterns: each occurs, at low rates', () => {
    const hits = findPatterns(events, ref, FROM + DAYS * DAY);
    const items = new Set(events.map((e) => e.item)).size;
    for (const k of CORE_INDICATORS) {
      expect(hits[k].length, k).toBeGreaterThanOrEqual(1);
      expect(hits[k].length / items, k).toBeLessThan(0.03);
    }
  });

  it('what it does when one officer bursts cancels: ≥5 cancels within 60 minutes are present (PRC-05)', () => {
    const byOfficer = new Map<string, number[]>();
    for (const e of events) if (e.action === 'cancel' && e.officer !== 'system') (byOfficer.get(e.officer) ?? byOfficer.set(e.officer, []).get(e.officer)!).push(e.ts);
    const burst = [...byOfficer.values()].some((ts) => ts.some((t, i) => i + 4 < ts.length && ts[i + 4]! - t <= HOUR));
    expect(burst).toBe(true);
  });
});

describe('LiveSimulator', () => {
  const start = Date.parse('2026-07-06T09:00:00+08:00'); // Monday morning

  function run(rate: number, from: number, seconds: number, stepMs = 1000, seed = 5) {
    let now = from;
    const sim = new LiveSimulator({ reference: ref, ratePerSecond: rate, seed, clock: () => now });
    const out: { now: number; prev: number; events: OpEvent[] }[] = [];
    let maxPending = 0;
    for (let i = 0; i < (seconds * 1000) / stepMs; i++) {
      const prev = now;
      now += stepMs;
      out.push({ now, prev, events: sim.next(now) });
      maxPending = Math.max(maxPending, sim.pendingCount);
    }
    return { out, maxPending };
  }

  it('what it does when polled: never an event after now or before the previous now, sorted, unique ids', () => {
    const { out } = run(20, start, 1800, 250);
    const ids = new Set<string>();
    let last: OpEvent | undefined;
    let total = 0;
    for (const { now, prev, events } of out) {
      for (const e of events) {
        if (e.ts > now || e.ts <= prev) expect.fail(`event ${e.id} at ${e.ts} outside (${prev}, ${now}]`);
        if (last && compareEvents(last, e) >= 0) expect.fail(`unsorted at ${e.id}`);
        last = e;
        if (ids.has(e.id)) expect.fail(`duplicate id ${e.id}`);
        ids.add(e.id);
        checkEvent(e);
        total++;
      }
    }
    expect(total).toBeGreaterThan(1000);
  });

  it('what it does when running for hours: the event rate roughly matches ratePerSecond, memory stays bounded', () => {
    const { out, maxPending } = run(5, start, 4 * 3600);
    const late = out.slice(2 * 3600).reduce((s, x) => s + x.events.length, 0) / (2 * 3600);
    expect(late).toBeGreaterThan(5 * 0.7);
    expect(late).toBeLessThan(5 * 1.3);
    expect(maxPending).toBeLessThan(100_000);
  });

  it('what it does right after start (warm start): at rate at once, and every power item shows its issue', () => {
    const { out } = run(20, start, 1200, 250, 3);
    const first = out.slice(0, 4 * 600).reduce((n, x) => n + x.events.length, 0) / 600;
    expect(first).toBeGreaterThan(20 * 0.75);
    expect(first).toBeLessThan(20 * 1.25);
    const all = out.flatMap((x) => x.events);
    const issued = new Set(all.filter((e) => e.action === 'issue').map((e) => e.item));
    const orphanPower = all.filter((e) => matters.get(e.matter)!.power && !issued.has(e.item));
    expect(orphanPower).toEqual([]);
    // Items begun before the start do appear mid-way (that is what keeps the rate).
    expect(all.some((e) => !issued.has(e.item))).toBe(true);
  });

  it('what it does at night: traffic continues, but power approvals off-hours stay rare', () => {
    const night = Date.parse('2026-07-06T22:00:00+08:00');
    const { out } = run(5, night, 3 * 3600);
    const all = out.flatMap((x) => x.events);
    expect(all.length / (3 * 3600)).toBeGreaterThan(5 * 0.5);
    const svc = findPatterns(all, ref)['SVC-01'].length;
    expect(svc / all.length).toBeLessThan(0.01);
    expect(all.filter((e) => e.officer === 'system').length / all.length).toBeGreaterThan(0.3);
  });

  it('what it does when the same clock and seed are replayed: the same events (deterministic)', () => {
    const a = run(10, start, 120).out.flatMap((x) => x.events);
    const b = run(10, start, 120).out.flatMap((x) => x.events);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(100);
  });

  it('what it does when given the in-flight tail of a history: continues those items, drops none after its start', () => {
    const end = FROM + DAYS * DAY;
    let now = end;
    const sim = new LiveSimulator({ reference: ref, ratePerSecond: 0, seed: 42, clock: () => now, pending: history.pending });
    const got: OpEvent[] = [];
    for (let i = 0; i < 48; i++) {
      now += HOUR;
      got.push(...sim.next(now));
    }
    const expected = history.pending.filter((e) => e.ts > end && e.ts <= now);
    expect(got).toEqual(expected);
  });

  it('what it does over a long live run: the misconduct patterns show up there too', { timeout: 240_000 }, () => {
    const { out } = run(20, start, 14 * 3600, 5000, 11);
    const all = out.flatMap((x) => x.events);
    const hits = findPatterns(all, ref);
    for (const k of ['PRC-01', 'PRC-02', 'PRC-03', 'PRC-04', 'INS-02', 'FIL-01', 'TSK-02', 'SVC-01', 'INS-01'] as const) expect(hits[k].length, k).toBeGreaterThanOrEqual(1);
  });
});

describe('CLI', () => {
  it('what it does when writing wire events: ISO-8601 with +08:00 and the exact field names', () => {
    const line = toWireLine({ id: 'x', ts: Date.parse('2026-07-04T02:00:00Z'), platform: 'service', bureau: 'B01', officer: 'system', matter: 'M001', item: 'I1', action: 'issue' });
    expect(JSON.parse(line)).toEqual({ id: 'x', ts: '2026-07-04T10:00:00.000+08:00', platform: 'service', bureau: 'B01', officer: 'system', matter: 'M001', item: 'I1', action: 'issue' });
  });

  it('what it does when run with --days 1 --out: writes NDJSON and prints the count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 'out.ndjson');
    const stdout = execFileSync('npx', ['tsx', 'streams/simulator/cli.ts', '--days', '1', '--out', file, '--seed', '9', '--from', '2026-07-06T00:00:00+08:00'], { encoding: 'utf8' });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(stdout).toContain(`${lines.length} events`);
    expect(lines.length).toBeGreaterThan(3000);
    const first = JSON.parse(lines[0]!);
    expect(first.ts).toMatch(/^2026-07-0[67]T\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(first.id).toMatch(/^sim-9-/);
  });
});
