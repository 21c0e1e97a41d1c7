/**
 * Rule kind `predicate`: a condition on one event, decided on arrival (SVC-01, PRC-02, TSK-02, …).
 * `system` never acts: its events raise nothing. Once per event.
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, PredicateParams } from '../catalog/types.js';
import { compileConditions, SYSTEM, StatelessRule, type Pred, type RuleCtx } from './common.js';

export class PredicateRule extends StatelessRule {
  readonly ordered = false;
  private readonly test: Pred;
  private readonly actions: Set<string>;

  constructor(readonly def: IndicatorDef) {
    super();
    const p = def.params as PredicateParams;
    this.test = compileConditions(p.when);
    this.actions = new Set(def.actions);
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    if (ev.officer === SYSTEM || !this.actions.has(ev.action)) return;
    if (!this.test(ev, ctx.ref)) return;
    ctx.emit({
      subject: ev.officer, ts: ev.ts, evidence: [ev.id], bureau: ev.bureau,
      item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, amount: ev.amount,
    });
  }
}
