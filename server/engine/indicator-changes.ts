/**
 * Changes of an indicator go through four eyes (docs/security.md): PUT /api/indicators/:id stores a
 * proposal with the whole new definition; the approval stores it as the next version and hands the
 * catalog to the engine, unless the indicator changed in between (then the proposal fails).
 */
import type { Store } from '../../sql/store.js';
import type { AuditSink } from '../context.js';
import type { EngineService } from './service.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import { validateCatalog } from '../../streams/catalog/index.js';
import { insertIndicatorVersions } from '../../sql/queries/indicators.js';
import type { Applier, ProposalDraft } from '../proposals/service.js';
import { failure as fail } from '../outcome.js';

export interface IndicatorChangeDeps { engine: EngineService; store: Store; audit: AuditSink; clock: () => number }

/** Top-level fields whose value differs, as "field: old → new" (the proposal's summary). */
function describeChange(cur: IndicatorDef, next: IndicatorDef): string {
  const a = cur as unknown as Record<string, unknown>, b = next as unknown as Record<string, unknown>;
  const fields = Object.keys(b).filter((k) => k !== 'version' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  const short = (v: unknown) => { const s = JSON.stringify(v) ?? 'undefined'; return s.length > 40 ? `${s.slice(0, 37)}…` : s; };
  return `${cur.id}: ${fields.length ? fields.map((k) => `${k} ${short(a[k])} → ${short(b[k])}`).join(', ') : 'no change'}`;
}

/** The proposal for a new definition of `cur` (already merged and validated by the route). */
export function indicatorChangeDraft(cur: IndicatorDef, next: IndicatorDef, reason: string): ProposalDraft {
  return { kind: 'indicator_change', target: `indicator:${cur.id}`, payload: { indicator: cur.id, base_version: cur.version, def: next }, summary: describeChange(cur, next), reason };
}

export function indicatorChangeApplier(deps: IndicatorChangeDeps): Applier {
  return async (p, decider) => {
    const id = String(p.payload.indicator);
    const next = p.payload.def as IndicatorDef;
    const engine = deps.engine;
    const cur = engine.catalog.find((d) => d.id === id);
    if (!cur) return fail('not_found', `indicator ${id} no longer exists`);
    if (cur.version !== p.payload.base_version) return fail('conflict', `indicator ${id} changed since the proposal (version ${String(p.payload.base_version)} → ${cur.version})`);
    const catalog = engine.catalog.map((d) => (d.id === id ? next : d));
    const check = validateCatalog(catalog);
    if (!check.ok) return fail('bad_request', String(check.reason));
    await insertIndicatorVersions(deps.store, [{ id, version: next.version, created_at: deps.clock(), author: p.proposer, def: JSON.stringify(next) }]);
    engine.setCatalog(catalog);
    await deps.audit.record({ actor: decider.username, action: 'indicator_change', target: `indicator:${id}`, details: { version: next.version, proposal: p.id, proposer: p.proposer, approved_by: decider.username } });
    return { ok: true, value: { indicator: id, version: next.version } };
  };
}
