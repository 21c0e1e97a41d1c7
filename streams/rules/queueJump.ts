/**
 * Rule kind `queueJump`: a window serving out of queue order, computed from the queue tickets.
 * Service-hall tickets (`attrs.ticket`, a number) are issued in order per bureau and local day.
 * Processing acceptances in ts order, when ticket t is served after ticket T ≥ t + gap was
 * already served that day, T's holder was taken ahead of at least `gap` people who had queued
 * earlier: the alert is about the officer who served T. Once per jumped acceptance.
 * Evidence: the acceptance of T, then the acceptance of t that shows the jump.
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, QueueJumpParams } from '../catalog/types.js';
import { localDayStart, SYSTEM, type Rule, type RuleCtx } from './common.js';

/** per bureau and day: the highest ticket served so far, with its event; `raised` once it alerted */
interface DayState { day: number; max: number; id: string; officer: string; item: string; taxpayer: string | null; matter: string; raised: boolean }

export class QueueJumpRule implements Rule {
  readonly ordered = true;
  private readonly p: QueueJumpParams;
  private byBureau = new Map<string, DayState>();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as QueueJumpParams;
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    if (ev.action !== 'accept' || ev.officer === SYSTEM || !ev.window) return;
    const t = ev.attrs?.ticket;
    if (typeof t !== 'number' || !Number.isFinite(t)) return;
    const day = localDayStart(ev.ts);
    const st = this.byBureau.get(ev.bureau);
    if (!st || st.day !== day) {
      this.byBureau.set(ev.bureau, { day, max: t, id: ev.id, officer: ev.officer, item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, raised: false });
      return;
    }
    if (t > st.max) {
      Object.assign(st, { max: t, id: ev.id, officer: ev.officer, item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, raised: false });
      return;
    }
    if (!st.raised && st.max - t >= this.p.gap) {
      st.raised = true;
      ctx.emit({
        subject: st.officer, ts: ev.ts, evidence: [st.id, ev.id], bureau: ev.bureau,
        item: st.item, taxpayer: st.taxpayer, matter: st.matter,
        detail: { zh: `${st.max} 号先于 ${t} 号办理`, en: `ticket ${st.max} served before ticket ${t}` },
      });
    }
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}
  /** one small record per bureau, replaced every day: nothing to expire */
  sweep(): void {}
  /** one day per bureau: nothing to shed */
  shed(): void {}
  size() { return { keyed: this.byBureau.size, timers: 0 }; }
  snapshot(): unknown { return Array.from(this.byBureau.entries()); }
  restore(state: unknown): void { this.byBureau = new Map(state as [string, DayState][]); }
}
