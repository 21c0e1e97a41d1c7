/**
 * Input coverage of an indicator: given what recent events carried (counts per action × matter,
 * attrs keys and optional fields per action), were its inputs seen? An indicator is blind when no
 * event of its actions on its matters arrived, or an attr or field it reads never came with them.
 * Pure: the counts come from ClickHouse (sql/queries/input-coverage.ts).
 */
import type { ReferenceIndex } from '../reference/index.js';
import { createRule } from '../rules/index.js';
import { matterMatches } from '../rules/common.js';
import { inputsOf, type IndicatorInputs } from './inputs.js';
import type { IndicatorDef } from './types.js';

export interface SeenInputs {
  byMatter: readonly { action: string; matter: string; events: number }[];
  attrs: readonly { action: string; key: string; events: number }[];
  fields: readonly { action: string; taxpayer: number; window: number; amount: number }[];
}

export interface InputCoverage {
  inputs: IndicatorInputs;
  inputs_seen: { days: number; events: number; fields: Record<string, boolean>; attrs: Record<string, boolean> };
  /** some input never arrived in the period: the indicator cannot see what it checks */
  blind: boolean;
}

const OPTIONAL_FIELDS = ['taxpayer', 'window', 'amount'] as const;

export function coverageOf(def: IndicatorDef, seen: SeenInputs, ref: ReferenceIndex, days: number): InputCoverage {
  const inputs = inputsOf(def);
  const actions = new Set(def.actions);
  const rule = createRule(def);
  let events = 0;
  for (const r of seen.byMatter) {
    if (!actions.has(r.action as never) || !matterMatches(def.matters, r.matter, ref)) continue;
    if (rule.wantsMatter && !rule.wantsMatter(r.matter, ref)) continue;
    events += r.events;
  }
  const attrs: Record<string, boolean> = {};
  for (const a of inputs.attrs) attrs[a] = seen.attrs.some((r) => r.key === a && actions.has(r.action as never) && r.events > 0);
  const fields: Record<string, boolean> = {};
  for (const f of inputs.fields) {
    if (!(OPTIONAL_FIELDS as readonly string[]).includes(f)) continue; // bureau etc. are always present
    const k = f as (typeof OPTIONAL_FIELDS)[number];
    fields[f] = seen.fields.some((r) => actions.has(r.action as never) && r[k] > 0);
  }
  const blind = events === 0 || Object.values(attrs).includes(false) || Object.values(fields).includes(false);
  return { inputs, inputs_seen: { days, events, fields, attrs }, blind };
}
