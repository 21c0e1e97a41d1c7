/**
 * Realistic data for the report and export tests: the simulator's history posted through
 * POST /api/events (the engine raises alerts and risk tasks, the KPI rollups fill), then the closed
 * loop worked through with the services as their users would: tasks accepted and resolved with a
 * deterministic mix of results, a sampling draw and its reviews submitted with a mix of outcomes.
 */
import { expect } from 'vitest';
import { INGEST_TOKEN, eventually } from './helpers.js';
import type { RunningApp } from '../server/app.js';
import { generateHistoryDetailed } from '../streams/simulator/generator.js';
import { toWireLine } from '../streams/simulator/cli.js';
import { defaultReference } from '../streams/reference/default-data.js';
import type { SessionUser } from '../server/auth/tokens.js';

const DAY = 86_400_000;

export interface LoadedHistory { events: number; from: number; to: number }

/** Posts `days` of simulated history starting at `from` and waits until every event is stored and the tasks are made. */
export async function loadHistory(app: RunningApp, opts: { from: number; days: number; itemsPerDay?: number; seed?: number }): Promise<LoadedHistory> {
  const { events } = generateHistoryDetailed({ reference: defaultReference, from: opts.from, days: opts.days, seed: opts.seed ?? 11, itemsPerDay: opts.itemsPerDay ?? 120 });
  // Nothing from the future: the engine's watermark would run ahead of the live clock.
  const now = app.ctx.clock();
  const lines = events.filter((e) => e.ts < now - 60_000).map(toWireLine);
  for (let i = 0; i < lines.length; i += 5000) {
    const r = await fetch(`${app.url}/api/events`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: lines.slice(i, i + 5000).join('\n'),
    });
    expect(r.status).toBe(202);
  }
  await eventually(async () => {
    const [r] = await app.ctx.store.query<{ c: number }>('SELECT count() AS c FROM events');
    return Number(r!.c) >= lines.length ? true : undefined;
  }, 60_000, 200);
  // The engine has seen everything once the alert count stops moving and every medium+ alert has its task.
  let last = -1;
  await eventually(async () => {
    const [r] = await app.ctx.store.query<{ c: number; open: number }>(
      "SELECT count() AS c, countIf(task_id = '' AND severity IN ('medium', 'high', 'critical')) AS open FROM alerts FINAL");
    const c = Number(r!.c);
    const settled = c === last && c > 0 && Number(r!.open) === 0;
    last = c;
    return settled ? true : undefined;
  }, 60_000, 1000);
  return { events: lines.length, from: opts.from, to: Math.min(now, opts.from + opts.days * DAY) };
}

const asOfficer = (officer: string, role: SessionUser['role'] = 'discipline'): SessionUser => ({ username: `u-${officer}`, role, bureau: 'HQ', officer });

/** Accepts and resolves every `step`-th assigned task (confirmed, dismissed, transferred in turn); returns the resolved ids by result. */
export async function resolveTasks(app: RunningApp, step = 2, max = 80): Promise<Record<'confirmed' | 'dismissed' | 'transferred', string[]>> {
  const tasks = app.ctx.services.tasks;
  const out = { confirmed: [] as string[], dismissed: [] as string[], transferred: [] as string[] };
  const results = ['confirmed', 'dismissed', 'confirmed', 'transferred'] as const;
  const open = tasks.unfinished().filter((t) => t.state === 'assigned').sort((a, b) => a.id.localeCompare(b.id));
  let k = 0;
  for (const [i, t] of open.entries()) {
    if (i % step) continue;
    if (k >= max) break;
    const user = asOfficer(t.assignee);
    expect((await tasks.accept(t.id, user)).ok).toBe(true);
    const result = results[k++ % results.length]!;
    const r = await tasks.resolve(t.id, user, { result, finding: `核查结论 ${result}：${t.indicator}` });
    expect(r.ok).toBe(true);
    out[result].push(t.id);
  }
  return out;
}

/** A sampling draw over [from, to) and up to `max` of its reviews submitted by its reviewers with a deterministic mix of outcomes. */
export async function reviewSample(app: RunningApp, from: number, to: number, max = 30): Promise<number> {
  const reviews = app.ctx.services.reviews;
  const { reviews: drawn } = await reviews.draw(from, to, 'admin');
  const outcomes = [
    { outcome: 'compliant' }, { outcome: 'compliant' }, { outcome: 'non_compliant', aspect: 'process', note: '程序不完整' },
    { outcome: 'compliant' }, { outcome: 'non_compliant', aspect: 'policy', note: '政策适用有误' }, { outcome: 'non_compliant', aspect: 'fairness', note: '裁量不公' },
  ];
  let i = 0;
  for (const r of drawn.slice(0, max)) {
    const o = outcomes[i++ % outcomes.length]!;
    for (const reviewer of r.reviewers) await reviews.submit(r.id, asOfficer(reviewer, 'tax'), o);
  }
  return Math.min(max, drawn.length);
}
