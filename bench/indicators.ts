/**
 * Indicator engine benchmark (standalone: `npx tsx bench/indicators.ts`).
 *
 * (a) throughput of IndicatorEngine.onEvent with the full default catalog (109 indicators) on
 *     already-parsed synthetic events of realistic work items, in ts order, one core; compared
 *     with the floor: a plain loop that only routes the same events.
 * (c) keyed-state memory per 1 million open work items (issue + accept each), heap delta with
 *     forced GC.
 *
 * Prints `name: value unit (ratio x baseline)` lines; `run()` returns the figures.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import type { Action, Matter, OpEvent, ReferenceData } from '../streams/types.js';
import { ReferenceIndex } from '../streams/reference/index.js';
import { defaultCatalog } from '../streams/catalog/index.js';
import { IndicatorEngine } from '../streams/engine/engine.js';
import { Router } from '../streams/engine/routing.js';
import { createRule } from '../streams/rules/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-02T08:00:00+08:00');

/** deterministic PRNG (mulberry32) */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BENCH_TAGS = ['refund', 'bank_account', 'invoice_quota', 'credit_rating', 'registration', 'deregistration', 'arrears', 'abnormal_lift', 'preferential',
  'export_filing_change', 'export_refund', 'case_selection', 'case_examination', 'trial', 'enforcement', 'tax_return', 'return_correction', '', '', ''];

/** A reference set shaped like the real deployment: 21 bureaus × 20 officers, 40 matters. */
export function benchReference(): ReferenceData {
  const r = rng(7);
  const bureaus = Array.from({ length: 21 }, (_, i) => ({ code: `B${String(i + 1).padStart(2, '0')}`, name: `局${i + 1}`, name_en: `Bureau ${i + 1}` }));
  const officers = bureaus.flatMap((b) => Array.from({ length: 20 }, (_, i) => ({
    id: `${b.code}-O${i}`, name: `税官${b.code}${i}`, bureau: b.code, level: 1 + (i % 5), role: (i === 19 ? 'leader' : 'tax') as 'leader' | 'tax',
  })));
  const windows = bureaus.flatMap((b) => Array.from({ length: 20 }, (_, i) => ({ code: `${b.code}-W${i}`, bureau: b.code })));
  const cats = ['service', 'process', 'inspection', 'filing'] as const;
  const matters: Matter[] = Array.from({ length: 40 }, (_, i) => {
    const category = cats[i % 4];
    const power = i % 3 === 0;
    const m: Matter = {
      code: `M${String(i).padStart(3, '0')}`, name: `事项${i}`, name_en: `Matter ${i}`, category, platform: 'collection', power,
      standard_hours: [24, 48, 72, 120, 240][Math.floor(r() * 5)], difficulty: 1 + Math.floor(r() * 5),
    };
    if (power) m.limits = [10_000, 50_000, 200_000, 1_000_000, 5_000_000];
    // the matter-catalog fields the indicators read, spread over the matters so that every rule
    // kind (taxpayer sequences, amount cuts, auto-matter checks, penalty bands) sees traffic
    const tag = BENCH_TAGS[i % BENCH_TAGS.length];
    if (tag) m.tags = [tag];
    // no `auto` matter here: the synthetic items are all handled by officers, which on an auto matter is itself a hit (PRC-16)
    if (i % 10 === 2) m.penalty_band = [0.5, 5];
    if (i % 6 === 5) m.required_docs = 2;
    return m;
  });
  return { bureaus, officers, windows, matters };
}

/** Events of `items` clean work items started over working days, sorted by (ts, id). */
export function benchEvents(ref: ReferenceData, items: number, seed = 1): OpEvent[] {
  const r = rng(seed);
  const out: OpEvent[] = [];
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const byBureau = new Map<string, string[]>();
  for (const o of ref.officers) (byBureau.get(o.bureau) ?? byBureau.set(o.bureau, []).get(o.bureau)!).push(o.id);
  let n = 0;
  const perDay = 2000;
  for (let k = 0; k < items; k++) {
    // working days only (Mon–Fri), items start 08:00–15:00 local
    const wd = Math.floor(k / perDay);
    const day = Math.floor(wd / 5) * 7 + (wd % 5);
    const t0 = START + day * DAY + ((k % perDay) / perDay) * 7 * HOUR;
    const b = pick(ref.bureaus).code;
    const m = pick(ref.matters);
    const officers = byBureau.get(b)!;
    const handler = pick(officers);
    let approver = pick(officers);
    if (approver === handler) approver = officers[(officers.indexOf(handler) + 1) % officers.length];
    const item = `I${k}`;
    const taxpayer = `T${Math.floor(r() * 200_000)}`;
    const amount = m.limits ? Math.round(r() * 8000 * 100) / 100 : m.category === 'inspection' ? Math.round(1000 + r() * 100_000) : undefined;
    let t = t0;
    const push = (action: Action, officer: string, dt: number, extra: Partial<OpEvent> = {}) => {
      t += dt;
      const e: OpEvent = { id: `e${(n++).toString(36)}`, ts: Math.round(t), platform: 'collection', bureau: b, officer, matter: m.code, item, action, taxpayer, ...extra };
      out.push(e);
    };
    // the item's steps spread over about 2 % of its standard time, at least 1 h (stays inside the working day)
    const span = Math.max(HOUR, m.standard_hours * HOUR * 0.02);
    push('issue', 'system', 0, amount !== undefined ? { amount } : {});
    push('assign', 'system', 2 * MIN, { attrs: { mode: 'random', assignee: handler } });
    push('accept', handler, span * 0.15 * r() + 5 * MIN);
    const handles = 1 + Math.floor(r() * 3);
    for (let i = 0; i < handles; i++) push('handle', handler, span * 0.15 * r() + 5 * MIN);
    if (r() < 0.03) push('modify', handler, MIN + r() * MIN, { attrs: { field: 'contact' } });
    if (r() < 0.02) { push('cancel', handler, MIN, { attrs: { reason: 'withdrawn' } }); continue; }
    if (m.power) push('approve', approver, span * 0.15 * r() + 5 * MIN, amount !== undefined ? { amount } : {});
    push('complete', handler, span * 0.15 * r() + 5 * MIN, amount !== undefined ? { amount } : {});
    push('feedback', 'system', 5 * MIN);
    if (r() < 0.3) push('rate', handler, 30 * MIN, { attrs: { score: 5 - Math.floor(r() * r() * 4) } });
  }
  out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** CPU time of this thread in ms (robust against other processes sharing the machine) */
function cpuMs(): number { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }

function throughput(events: OpEvent[], ref: ReferenceIndex): { eps: number; alerts: number; ms: number; wallEps: number } {
  const engine = new IndicatorEngine(defaultCatalog, ref, { latenessMs: 5000, idleMs: 2000 });
  let alerts = 0;
  const w = performance.now();
  const t = cpuMs();
  for (let i = 0; i < events.length; i++) { const e = events[i]; alerts += engine.onEvent(e, e.ts).length; }
  const ms = cpuMs() - t;
  const wall = performance.now() - w;
  return { eps: (events.length / ms) * 1000, alerts, ms, wallEps: (events.length / wall) * 1000 };
}

function routeOnly(events: OpEvent[], ref: ReferenceIndex): number {
  const router = new Router(defaultCatalog.filter((d) => d.enabled).map(createRule), ref);
  let sink = 0;
  const t = cpuMs();
  for (let i = 0; i < events.length; i++) { const r = router.route(events[i]); sink += r.arrival.length + r.ordered.length; }
  const ms = Math.max(cpuMs() - t, 0.001);
  if (sink < 0) console.log(sink);
  return (events.length / ms) * 1000;
}

/**
 * Per-indicator cost (`BENCH_PER_INDICATOR=1`): each enabled indicator alone in an engine over the
 * same events, CPU time minus an engine with no indicators (watermark + routing), best of two.
 * Isolated costs do not add up exactly to the full engine's (shared routing, cache effects), but
 * they rank the indicators by what they cost on the hot path.
 */
export function perIndicatorCost(events: OpEvent[], ref: ReferenceIndex): { id: string; kind: string; nsPerEvent: number; alerts: number }[] {
  const timeOf = (defs: typeof defaultCatalog): { ms: number; alerts: number } => {
    let best = Infinity, alerts = 0;
    for (let k = 0; k < 2; k++) {
      const engine = new IndicatorEngine(defs, ref, { latenessMs: 5000, idleMs: 2000 });
      let a = 0;
      const t = cpuMs();
      for (let i = 0; i < events.length; i++) { const e = events[i]; a += engine.onEvent(e, e.ts).length; }
      const ms = cpuMs() - t;
      if (ms < best) best = ms;
      alerts = a;
    }
    return { ms: best, alerts };
  };
  const empty = timeOf([]).ms;
  return defaultCatalog.filter((d) => d.enabled).map((d) => {
    const r = timeOf([d]);
    return { id: d.id, kind: d.kind, nsPerEvent: Math.max(0, ((r.ms - empty) * 1e6) / events.length), alerts: r.alerts };
  }).sort((a, b) => b.nsPerEvent - a.nsPerEvent);
}

function memoryPerMillionOpenItems(ref: ReferenceIndex, gc: () => void): { bytesPerItem: number; keyed: number; timers: number } {
  const N = 1_000_000;
  const matters = ref.data.matters;
  const officers = ref.data.officers;
  gc(); gc();
  const before = process.memoryUsage().heapUsed;
  const engine = new IndicatorEngine(defaultCatalog, ref, { latenessMs: 5000, idleMs: 2000 });
  let n = 0;
  for (let k = 0; k < N; k++) {
    const t = START + k * 40; // 1M items over ~11 h of event time: all stay open
    const m = matters[k % matters.length];
    const o = officers[(k * 7) % officers.length];
    const item = `I${k}`;
    const issue: OpEvent = { id: `e${(n++).toString(36)}`, ts: t, platform: 'collection', bureau: o.bureau, officer: 'system', matter: m.code, item, action: 'issue', taxpayer: `T${k % 200_000}` };
    engine.onEvent(issue, t);
    const accept: OpEvent = { id: `e${(n++).toString(36)}`, ts: t + 20, platform: 'collection', bureau: o.bureau, officer: o.id, matter: m.code, item, action: 'accept', taxpayer: `T${k % 200_000}` };
    engine.onEvent(accept, t + 20);
  }
  gc(); gc();
  const after = process.memoryUsage().heapUsed;
  const s = engine.stats();
  // keep the engine alive until measured
  if (s.keyedItems < 0) console.log(engine.watermark);
  return { bytesPerItem: (after - before) / N, keyed: s.keyedItems, timers: s.pendingTimers };
}

export async function run(): Promise<Record<string, number | string>> {
  const refData = benchReference();
  const ref = new ReferenceIndex(refData);
  const items = Number(process.env.BENCH_ITEMS ?? 40_000);
  const events = benchEvents(refData, items);
  // warm-up, then best of 3
  throughput(events.slice(0, 50_000), ref);
  routeOnly(events, ref);
  const runs = [throughput(events, ref), throughput(events, ref), throughput(events, ref)].sort((a, b) => b.eps - a.eps);
  const floor = Math.max(routeOnly(events, ref), routeOnly(events, ref));
  const best = runs[0];
  const gc = getGc();
  const mem = memoryPerMillionOpenItems(ref, gc);
  const res = {
    events: events.length,
    indicators: defaultCatalog.length,
    engine_events_per_s: Math.round(best.eps),
    engine_events_per_s_wall: Math.round(best.wallEps),
    route_only_events_per_s: Math.round(floor),
    engine_vs_route_ratio: Number((best.eps / floor).toFixed(3)),
    alerts: best.alerts,
    keyed_state_mb_per_1m_open_items: Number(((mem.bytesPerItem * 1_000_000) / 1024 / 1024).toFixed(1)),
    keyed_state_bytes_per_open_item: Math.round(mem.bytesPerItem),
    keyed_entries_per_open_item: Number((mem.keyed / 1_000_000).toFixed(2)),
    pending_timers_per_open_item: Number((mem.timers / 1_000_000).toFixed(2)),
  };
  return res;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  console.log(`events: ${r.events} events (${r.indicators} indicators enabled)`);
  console.log(`engine_throughput: ${r.engine_events_per_s} events/s CPU time, one core (${r.engine_vs_route_ratio}x baseline route-only ${r.route_only_events_per_s} events/s)`);
  console.log(`engine_throughput_wall: ${r.engine_events_per_s_wall} events/s wall clock (${(Number(r.engine_events_per_s_wall) / Number(r.engine_events_per_s)).toFixed(2)}x CPU-time figure)`);
  console.log(`alerts_raised: ${r.alerts} alerts (${(Number(r.alerts) / Number(r.events)).toFixed(4)}x events)`);
  if (process.env.BENCH_PER_INDICATOR === '1') {
    const refData = benchReference();
    const events = benchEvents(refData, Number(process.env.BENCH_ITEMS ?? 40_000));
    const costs = perIndicatorCost(events, new ReferenceIndex(refData));
    const total = costs.reduce((s, c) => s + c.nsPerEvent, 0);
    console.log(`per_indicator_cost: ${events.length} events, each indicator alone, ns of CPU per event over all events (sum ${Math.round(total)} ns/event)`);
    console.log('| indicator | kind | ns/event | share | alerts |\n|---|---|---:|---:|---:|');
    for (const c of costs) console.log(`| ${c.id} | ${c.kind} | ${c.nsPerEvent.toFixed(0)} | ${((c.nsPerEvent / total) * 100).toFixed(1)} % | ${c.alerts} |`);
  }
  console.log(`keyed_state_memory: ${r.keyed_state_mb_per_1m_open_items} MB per 1M open items (${r.keyed_state_bytes_per_open_item} bytes/item, ${r.keyed_entries_per_open_item} keyed entries/item, ${r.pending_timers_per_open_item} timers/item)`);
}
