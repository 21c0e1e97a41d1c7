/**
 * docs/indicators.md, generated from the catalog (`npm run docs:indicators`; a test fails when the
 * file is stale). Pure: catalog in, Markdown out. Parameters are put into words per rule kind.
 */
import type { Condition, IndicatorDef, MatterFilter, Step } from './types.js';
import { inputsOf } from './inputs.js';
import { CATEGORIES } from '../types.js';

const MIN = 60_000, HOUR = 3_600_000, DAY = 86_400_000;

function dur(ms: number): string {
  if (ms === 0) return '0';
  if (ms % DAY === 0) return `${ms / DAY} d`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % MIN === 0) return `${ms / MIN} min`;
  return `${ms} ms`;
}

function matterWords(f: MatterFilter): string {
  const parts: string[] = [];
  if (f.categories) parts.push(`category ${f.categories.join('/')}`);
  if (f.power !== undefined) parts.push(f.power ? 'power matters' : 'non-power matters');
  if (f.auto !== undefined) parts.push(f.auto ? 'auto (routine system) matters' : 'not auto');
  if (f.tags) parts.push(`tagged ${f.tags.join(' or ')}`);
  if (f.platforms) parts.push(`platform ${f.platforms.join('/')}`);
  if (f.codes) parts.push(`matters ${f.codes.join(', ')}`);
  return parts.length ? parts.join(', ') : 'all matters';
}

function condWords(c: Condition): string {
  if ('any' in c) return `(${c.any.map(condWords).join(' or ')})`;
  if ('field' in c) return c.op === 'exists' ? `${c.field} present` : c.op === 'absent' ? `${c.field} absent` : `${c.field} ${c.op} ${c.value}`;
  if ('attr' in c) {
    if (c.eq !== undefined) return `attrs.${c.attr} = ${JSON.stringify(c.eq)}`;
    if (c.ne !== undefined) return `attrs.${c.attr} ≠ ${JSON.stringify(c.ne)}`;
    const op = c.op ?? 'exists';
    return op === 'exists' ? `attrs.${c.attr} present` : op === 'absent' ? `attrs.${c.attr} absent` : `attrs.${c.attr} ${op} ${c.value}`;
  }
  if ('offHours' in c) return c.offHours ? 'outside working hours (working calendar)' : 'in working hours';
  if ('restDay' in c) return c.restDay ? 'on a rest day of the working calendar' : 'on a working day';
  if ('weekend' in c) return c.weekend ? 'on a Saturday or Sunday' : 'Monday to Friday';
  if ('night' in c) return c.night ? 'at night (22:00–06:00)' : 'not at night';
  if ('amountAboveLimit' in c) return c.amountAboveLimit ? "amount above the officer's level limit" : "amount within the officer's level limit";
  if ('amountNearLimit' in c) return `amount within ${Math.round(c.amountNearLimit * 100)}–100 % of the officer's level limit`;
  if ('amountOfTopLimit' in c) return `amount ≥ ${Math.round(c.amountOfTopLimit * 100)} % of the top level's limit`;
  if ('crossBureau' in c) return c.crossBureau ? "officer's bureau (register) differs from the event's" : "officer's own bureau";
  if ('windowOtherBureau' in c) return c.windowOtherBureau ? "window belongs to another bureau than the event's" : "window of the event's bureau";
  if ('unknownOfficer' in c) return c.unknownOfficer ? 'officer not in the register' : 'officer in the register';
  if ('officerRole' in c) return `officer's role ${c.officerRole.join('/')}`;
  if ('officerLevelAtMost' in c) return `officer level ≤ ${c.officerLevelAtMost}`;
  if ('officerLevelAtLeast' in c) return `officer level ≥ ${c.officerLevelAtLeast}`;
  if ('amountMultipleOf' in c) return `amount a multiple of ${c.amountMultipleOf}`;
  if ('attrIsOfficer' in c) return `attrs.${c.attrIsOfficer} = the acting officer`;
  if ('matter' in c) return `on ${matterWords(c.matter)}`;
  if ('officerInactive' in c) return c.officerInactive ? 'officer marked inactive in the register' : 'officer active';
  if ('penaltyOutsideBand' in c) return `attrs.penalty ${c.penaltyOutsideBand === 'below' ? 'below the lowest' : 'above the highest'} multiple of the matter's penalty_band × attrs.tax_base`;
  if ('amountVsAttr' in c) return `amount ${c.amountVsAttr.op} ${c.amountVsAttr.factor} × attrs.${c.amountVsAttr.attr}`;
  if ('attachmentsBelowRequired' in c) return c.attachmentsBelowRequired ? "attrs.attachments below the matter's required_docs" : 'attachments complete';
  if ('recordedLaterThan' in c) return `attrs.recorded_at more than ${dur(c.recordedLaterThan)} after ts`;
  return JSON.stringify(c);
}

const conds = (cs: Condition[] | undefined) => (cs && cs.length ? cs.map(condWords).join(' and ') : '');
function stepWords(s: Step): string {
  const w = conds(s.when);
  return `${s.actions.join('/')}${w ? ` (${w})` : ''}${s.includeSystem ? ' [system counts]' : ''}`;
}

/** The parameters of a definition, in words (English). */
export function describeParams(def: IndicatorDef): string {
  const p = def.params as unknown as Record<string, any>;
  switch (def.kind) {
    case 'predicate': return `Each ${def.actions.join('/')} event${p.when.length ? ` where ${conds(p.when)}` : ''}; decided on arrival.`;
    case 'pair': return `On one item, ${stepWords(p.first)} then ${stepWords(p.second)}${p.eitherOrder ? ' (either order)' : ''}, ${p.officer === 'any' ? 'by anyone' : `by the ${p.officer} officer`}${p.strictlyLater ? ', the second strictly later' : ''}${p.withinMs ? `, within ${dur(p.withinMs)}` : ''}${p.firstOnly ? "; only the item's first first-step counts" : ''}; once per ${p.once}; subject: the ${p.subject} event's officer.`;
    case 'deadline': {
      const dl = p.fixedMs !== undefined ? (p.fixedMs === 0 ? 'at the start event itself' : `${dur(p.fixedMs)} after the start`) : `${p.standardHoursFactor} × the matter's standard_hours after the start`;
      return `Start: ${stepWords(p.start)}; raised when no ${stepWords(p.close)} has ts ≤ the deadline (${dl}${p.workingTime ? ', in working time' : ''})${p.priorCloseCounts ? '; a close before the start counts' : ''}.`;
    }
    case 'slidingCount': return `${p.count} ${def.actions.join('/')} events${p.when ? ` where ${conds(p.when)}` : ''} per ${p.key.join(' + ')} within ${dur(p.windowMs)}; then quiet ${dur(p.quietMs)}.`;
    case 'distinctCount': return `${p.count} distinct ${p.distinct}s of ${def.actions.join('/')} events${p.when ? ` where ${conds(p.when)}` : ''} per ${p.key.join(' + ')} within ${dur(p.windowMs)}; then quiet ${dur(p.quietMs)}.`;
    case 'elapsed': {
      const th = p.thresholdMs !== undefined ? dur(p.thresholdMs) : `${p.standardHoursFraction} × the matter's standard_hours`;
      return `From the item's first ${stepWords(p.from)} to its first ${stepWords(p.to)}${p.toWhen ? ` where ${conds(p.toWhen)}` : ''}: ${p.op === 'lt' ? 'less' : 'more'} than ${th}${p.workingTime ? ' of working time' : ''}.`;
    }
    case 'peerOutlier': return `Per ${p.period}, an officer's ${p.denominator ? `share ${stepWords(p.numerator)} / ${stepWords(p.denominator)}` : `count of ${stepWords(p.numerator)}`} against peers (${(p.groupBy ?? ['bureau', 'role']).join(' + ')}, ${p.statistic ?? 'robust'} statistics${p.compare && p.compare !== 'peers' ? `, compare ${p.compare}` : ''}): score ≥ ${p.z}, at least ${p.minCount} events and ${p.minPeers} peers.`;
    case 'sequence': return `Per ${p.key.join(' + ')}, in order within ${dur(p.windowMs)}: ${(p.steps as Step[]).map((s, i) => `(${i + 1}) ${stepWords(s)}`).join(', then ')}${p.reset ? `; ${stepWords(p.reset)} clears the chain` : ''}; subject: the officer of step ${p.subject + 1}; then quiet ${dur(p.quietMs)}.`;
    case 'amountChange': return `Per ${p.key}, the latest ${stepWords(p.from)} with an amount is the baseline; a later ${stepWords(p.to)} with amount < ${p.below} × baseline within ${dur(p.withinMs ?? 180 * DAY)}.`;
    case 'assignmentBias': return `Per taxpayer, assign events with attrs.mode = "random" within ${dur(p.windowMs)}: an officer (attrs.assignee) drawn k of n times, P(X ≥ k) under Binomial(n, 1 / active ${p.poolRoles.join('/')} officers of the bureau) < ${p.alpha}, k ≥ ${p.minCount}; then quiet ${dur(p.quietMs)} for the pair.`;
    case 'queueJump': return `Window acceptances in ts order, per bureau and local day: ticket t served after a ticket ≥ t + ${p.gap} was served; subject: who served the higher ticket.`;
  }
  return JSON.stringify(p);
}

const CAT_TITLE: Record<string, string> = { service: '纳税服务 Taxpayer service', process: '流程应对 Process handling', inspection: '检查评估 Inspection & assessment', filing: '涉税备案 Tax filing & registration' };
const esc = (s: string) => s.replace(/\|/g, '\\|');
const code = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : '—');

/** docs/indicators.md for this catalog. */
export function renderIndicatorsDoc(catalog: IndicatorDef[]): string {
  const out: string[] = [];
  out.push('# Indicators (廉政风险指标)', '');
  out.push('<!-- Generated from the catalog by `npm run docs:indicators` (streams/catalog/docs.ts). Do not edit by hand: a test fails when this file is stale. -->', '');
  out.push(`${catalog.length} indicators: ${CATEGORIES.map((c) => `${catalog.filter((d) => d.category === c).length} ${c}`).join(', ')}. `
    + 'Each entry lists its input contract: the actions it listens to, the event fields and `attrs` it reads (beyond id, ts, officer, item, matter, action, which every event has), '
    + 'and the reference data it consults. An indicator whose inputs do not arrive is blind; `GET /api/indicators` reports, per indicator, whether its inputs were seen recently.', '');
  const attrUse = new Map<string, string[]>();
  const refUse = new Map<string, string[]>();
  for (const d of catalog) {
    const inp = inputsOf(d);
    for (const a of inp.attrs) attrUse.set(a, [...(attrUse.get(a) ?? []), d.id]);
    for (const r of inp.reference) if (r.startsWith('matters.')) refUse.set(r, [...(refUse.get(r) ?? []), d.id]);
  }
  out.push('## Attributes read', '', '| attr | read by |', '|---|---|');
  for (const [a, ids] of [...attrUse.entries()].sort()) out.push(`| \`${a}\` | ${ids.join(', ')} |`);
  out.push('', '## Matter catalog fields read', '', '| field | read by |', '|---|---|');
  for (const [r, ids] of [...refUse.entries()].sort()) out.push(`| \`${r.slice('matters.'.length)}\` | ${ids.join(', ')} |`);
  out.push('');
  for (const c of CATEGORIES) {
    out.push(`## ${CAT_TITLE[c]}`, '');
    for (const d of catalog.filter((x) => x.category === c)) {
      const inp = inputsOf(d);
      out.push(`### ${d.id} ${d.name.zh} — ${d.name.en}`, '');
      out.push(`| severity | kind | matters | enabled | version |`, '|---|---|---|---|---|');
      out.push(`| ${d.severity} | \`${d.kind}\` | ${esc(matterWords(d.matters))} | ${d.enabled ? 'yes' : 'no'} | ${d.version} |`, '');
      out.push(`- **Raised when**: ${esc(describeParams(d))}`);
      out.push(`- **Inputs**: actions ${code(inp.actions)}; fields ${code(inp.fields)}; attrs ${code(inp.attrs)}; reference ${code(inp.reference)}`);
      out.push(`- **Rationale**: ${d.rationale.zh} ${d.rationale.en}`, '');
    }
  }
  return out.join('\n');
}
