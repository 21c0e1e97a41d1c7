/**
 * The input contract of an indicator, derived from its definition (so it cannot drift from what
 * the rule really reads): the actions it listens to, the event fields and `attrs` it reads, and
 * the reference data it consults. Published in docs/indicators.md and GET /api/indicators; the
 * coverage check (server) asks whether these inputs were seen in recent events.
 */
import type { Condition, IndicatorDef, KeyPart, MatterFilter, Step } from './types.js';

export interface IndicatorInputs {
  actions: string[];
  /** event fields beyond the ones every event has (id, ts, officer, item, matter, action) */
  fields: string[];
  /** attrs keys read; the indicator is blind without them */
  attrs: string[];
  /** reference data read, e.g. "matters.limits", "officers.level", "calendar" */
  reference: string[];
}

class Acc {
  fields = new Set<string>();
  attrs = new Set<string>();
  reference = new Set<string>();
}

function filter(f: MatterFilter, a: Acc): void {
  if (f.categories) a.reference.add('matters.category');
  if (f.power !== undefined) a.reference.add('matters.power');
  if (f.platforms) a.reference.add('matters.platform');
  if (f.auto !== undefined) a.reference.add('matters.auto');
  if (f.tags) a.reference.add('matters.tags');
}

function cond(c: Condition, a: Acc): void {
  if ('any' in c) { for (const x of c.any) cond(x, a); return; }
  if ('field' in c) { a.fields.add(c.field); return; }
  if ('attr' in c) { a.attrs.add(c.attr); return; }
  if ('offHours' in c || 'restDay' in c) { a.reference.add('calendar'); return; }
  if ('weekend' in c || 'night' in c) return;
  if ('amountAboveLimit' in c || 'amountNearLimit' in c) { a.fields.add('amount'); a.reference.add('matters.limits'); a.reference.add('officers.level'); return; }
  if ('amountOfTopLimit' in c) { a.fields.add('amount'); a.reference.add('matters.limits'); return; }
  if ('amountMultipleOf' in c) { a.fields.add('amount'); return; }
  if ('crossBureau' in c) { a.fields.add('bureau'); a.reference.add('officers.bureau'); return; }
  if ('windowOtherBureau' in c) { a.fields.add('window'); a.fields.add('bureau'); a.reference.add('windows.bureau'); return; }
  if ('unknownOfficer' in c) { a.reference.add('officers'); return; }
  if ('officerRole' in c) { a.reference.add('officers.role'); return; }
  if ('officerLevelAtMost' in c || 'officerLevelAtLeast' in c) { a.reference.add('officers.level'); return; }
  if ('officerInactive' in c) { a.reference.add('officers.active'); return; }
  if ('attrIsOfficer' in c) { a.attrs.add(c.attrIsOfficer); return; }
  if ('matter' in c) { filter(c.matter, a); return; }
  if ('penaltyOutsideBand' in c) { a.attrs.add('penalty'); a.attrs.add('tax_base'); a.reference.add('matters.penalty_band'); return; }
  if ('amountVsAttr' in c) { a.fields.add('amount'); a.attrs.add(c.amountVsAttr.attr); return; }
  if ('attachmentsBelowRequired' in c) { a.attrs.add('attachments'); a.reference.add('matters.required_docs'); return; }
  if ('recordedLaterThan' in c) { a.attrs.add('recorded_at'); return; }
}

const conds = (cs: Condition[] | undefined, a: Acc) => { for (const c of cs ?? []) cond(c, a); };
const step = (s: Step | undefined, a: Acc) => { if (s) conds(s.when, a); };
const keys = (ks: KeyPart[], a: Acc) => {
  for (const k of ks) {
    if (k === 'taxpayer' || k === 'window') a.fields.add(k);
    if (k === 'bureau') a.fields.add('bureau');
  }
};

export function inputsOf(def: IndicatorDef): IndicatorInputs {
  const a = new Acc();
  filter(def.matters, a);
  const p = def.params as unknown as Record<string, unknown>;
  switch (def.kind) {
    case 'predicate': conds(p.when as Condition[], a); break;
    case 'pair': step(p.first as Step, a); step(p.second as Step, a); break;
    case 'deadline':
      step(p.start as Step, a); step(p.close as Step, a); step(p.handler as Step | undefined, a);
      if (p.standardHoursFactor !== undefined) a.reference.add('matters.standard_hours');
      if (p.workingTime) a.reference.add('calendar');
      break;
    case 'slidingCount': keys(p.key as KeyPart[], a); conds(p.when as Condition[] | undefined, a); break;
    case 'distinctCount': keys([...(p.key as KeyPart[]), p.distinct as KeyPart], a); conds(p.when as Condition[] | undefined, a); break;
    case 'elapsed':
      step(p.from as Step, a); step(p.to as Step, a); conds(p.toWhen as Condition[] | undefined, a);
      if (p.standardHoursFraction !== undefined) a.reference.add('matters.standard_hours');
      if (p.workingTime) a.reference.add('calendar');
      break;
    case 'peerOutlier':
      step(p.numerator as Step, a); step(p.denominator as Step | undefined, a); step(p.activity as Step | undefined, a);
      a.reference.add('officers.bureau');
      if (!Array.isArray(p.groupBy) || (p.groupBy as string[]).includes('role')) a.reference.add('officers.role');
      break;
    case 'sequence':
      keys(p.key as KeyPart[], a);
      for (const s of p.steps as Step[]) step(s, a);
      step(p.reset as Step | undefined, a);
      break;
    case 'amountChange':
      a.fields.add('amount');
      if (p.key === 'taxpayer') a.fields.add('taxpayer');
      step(p.from as Step, a); step(p.to as Step, a);
      break;
    case 'assignmentBias':
      a.fields.add('taxpayer'); a.attrs.add('mode'); a.attrs.add('assignee');
      a.reference.add('officers.role'); a.reference.add('officers.active');
      break;
    case 'queueJump':
      a.fields.add('window'); a.attrs.add('ticket');
      break;
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { actions: [...def.actions].sort(), fields: sorted(a.fields), attrs: sorted(a.attrs), reference: sorted(a.reference) };
}
