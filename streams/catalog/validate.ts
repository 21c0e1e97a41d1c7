/**
 * Validation of indicator definitions (used when an admin changes one). The reason names the
 * field, e.g. "PRC-05.params.count: must be an integer ≥ 1".
 */
import { ACTIONS, CATEGORIES, PLATFORMS, SEVERITIES, type Outcome } from '../types.js';
import { RULE_KINDS, type Condition, type IndicatorDef, type KeyPart, type Step } from './types.js';

const KEY_PARTS: KeyPart[] = ['officer', 'item', 'taxpayer', 'matter', 'window', 'bureau'];
const FIELDS = ['amount', 'taxpayer', 'window', 'platform', 'bureau', 'officer', 'matter'];
const OPS = ['>', '>=', '<', '<=', '==', '!=', 'exists', 'absent'];
const ID_RE = /^[A-Z]{3}-\d{2,3}$/;

class Bad extends Error {}
const fail = (path: string, msg: string): never => { throw new Bad(`${path}: ${msg}`); };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const posNum = (x: unknown, path: string, allowZero = false) => {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) fail(path, allowZero ? 'must be a number ≥ 0' : 'must be a number > 0');
};
const posInt = (x: unknown, path: string) => { if (!Number.isInteger(x) || (x as number) < 1) fail(path, 'must be an integer ≥ 1'); };
const msg = (x: unknown, path: string) => {
  if (!isObj(x)) fail(path, 'must be an object {zh, en}');
  const m = x as Record<string, unknown>;
  if (typeof m.zh !== 'string' || m.zh.trim() === '') fail(`${path}.zh`, 'must be a non-empty string');
  if (typeof m.en !== 'string' || m.en.trim() === '') fail(`${path}.en`, 'must be a non-empty string');
};
const actionList = (x: unknown, path: string) => {
  if (!Array.isArray(x) || x.length === 0) fail(path, 'must be a non-empty list of actions');
  (x as unknown[]).forEach((a, i) => { if (!(ACTIONS as readonly unknown[]).includes(a)) fail(`${path}[${i}]`, `unknown action ${JSON.stringify(a)}`); });
};

function matterFilter(x: unknown, path: string): void {
  if (!isObj(x)) return fail(path, 'must be a matter filter object');
  const m = x;
  for (const k of Object.keys(m)) if (!['categories', 'codes', 'power', 'platforms', 'auto', 'tags'].includes(k)) fail(`${path}.${k}`, 'unknown filter field');
  if (m.categories !== undefined && (!Array.isArray(m.categories) || m.categories.some((c) => !(CATEGORIES as readonly unknown[]).includes(c)))) fail(`${path}.categories`, 'must be a list of categories');
  if (m.platforms !== undefined && (!Array.isArray(m.platforms) || m.platforms.some((c) => !(PLATFORMS as readonly unknown[]).includes(c)))) fail(`${path}.platforms`, 'must be a list of platforms');
  if (m.codes !== undefined && (!Array.isArray(m.codes) || m.codes.some((c) => typeof c !== 'string'))) fail(`${path}.codes`, 'must be a list of matter codes');
  if (m.tags !== undefined && (!Array.isArray(m.tags) || m.tags.length === 0 || m.tags.some((c) => typeof c !== 'string' || c === ''))) fail(`${path}.tags`, 'must be a non-empty list of tags');
  if (m.power !== undefined && typeof m.power !== 'boolean') fail(`${path}.power`, 'must be a boolean');
  if (m.auto !== undefined && typeof m.auto !== 'boolean') fail(`${path}.auto`, 'must be a boolean');
}

function condition(c: unknown, path: string): void {
  if (!isObj(c)) return fail(path, 'must be a condition object');
  const keys = Object.keys(c);
  if ('any' in c) {
    if (!Array.isArray(c.any) || c.any.length === 0) fail(`${path}.any`, 'must be a non-empty list of conditions');
    (c.any as unknown[]).forEach((x, i) => condition(x, `${path}.any[${i}]`));
    return;
  }
  if ('field' in c) {
    if (!FIELDS.includes(c.field as string)) fail(`${path}.field`, `unknown field ${JSON.stringify(c.field)}`);
    if (!OPS.includes(c.op as string)) fail(`${path}.op`, `must be one of ${OPS.join(' ')}`);
    if (c.op !== 'exists' && c.op !== 'absent' && !['string', 'number', 'boolean'].includes(typeof c.value)) fail(`${path}.value`, 'is required for this op');
    return;
  }
  if ('attr' in c) {
    if (typeof c.attr !== 'string' || c.attr === '') fail(`${path}.attr`, 'must be a non-empty string');
    if (c.op !== undefined && !OPS.includes(c.op as string)) fail(`${path}.op`, `must be one of ${OPS.join(' ')}`);
    return;
  }
  if ('matter' in c) { matterFilter(c.matter, `${path}.matter`); return; }
  if ('penaltyOutsideBand' in c) { if (c.penaltyOutsideBand !== 'below' && c.penaltyOutsideBand !== 'above') fail(`${path}.penaltyOutsideBand`, "must be 'below' or 'above'"); return; }
  if ('amountVsAttr' in c) {
    const a = c.amountVsAttr;
    if (!isObj(a)) return fail(`${path}.amountVsAttr`, 'must be {attr, op, factor}');
    if (typeof a.attr !== 'string' || a.attr === '') fail(`${path}.amountVsAttr.attr`, 'must be an attr name');
    if (a.op !== '>' && a.op !== '<') fail(`${path}.amountVsAttr.op`, "must be '>' or '<'");
    posNum(a.factor, `${path}.amountVsAttr.factor`);
    return;
  }
  if ('recordedLaterThan' in c) { posNum(c.recordedLaterThan, `${path}.recordedLaterThan`, true); return; }
  const bools = ['offHours', 'restDay', 'weekend', 'night', 'amountAboveLimit', 'crossBureau', 'windowOtherBureau', 'unknownOfficer', 'officerInactive', 'attachmentsBelowRequired'];
  for (const b of bools) if (b in c) { if (typeof c[b] !== 'boolean') fail(`${path}.${b}`, 'must be a boolean'); return; }
  if ('amountNearLimit' in c) { const f = c.amountNearLimit; if (typeof f !== 'number' || !(f > 0 && f <= 1)) fail(`${path}.amountNearLimit`, 'must be a fraction in (0, 1]'); return; }
  if ('amountOfTopLimit' in c) { posNum(c.amountOfTopLimit, `${path}.amountOfTopLimit`); return; }
  if ('amountMultipleOf' in c) { posNum(c.amountMultipleOf, `${path}.amountMultipleOf`); return; }
  if ('attrIsOfficer' in c) { if (typeof c.attrIsOfficer !== 'string' || c.attrIsOfficer === '') fail(`${path}.attrIsOfficer`, 'must be an attr name'); return; }
  if ('officerRole' in c) { if (!Array.isArray(c.officerRole) || c.officerRole.length === 0) fail(`${path}.officerRole`, 'must be a non-empty list of roles'); return; }
  if ('officerLevelAtMost' in c) { posInt(c.officerLevelAtMost, `${path}.officerLevelAtMost`); return; }
  if ('officerLevelAtLeast' in c) { posInt(c.officerLevelAtLeast, `${path}.officerLevelAtLeast`); return; }
  fail(path, `unknown condition ${JSON.stringify(keys)}`);
}

const conditions = (x: unknown, path: string) => {
  if (x === undefined) return;
  if (!Array.isArray(x)) fail(path, 'must be a list of conditions');
  (x as unknown[]).forEach((c, i) => condition(c, `${path}[${i}]`));
};

function step(x: unknown, path: string): void {
  if (!isObj(x)) return fail(path, 'must be a step {actions, when?, includeSystem?}');
  actionList(x.actions, `${path}.actions`);
  conditions(x.when, `${path}.when`);
  if (x.includeSystem !== undefined && typeof x.includeSystem !== 'boolean') fail(`${path}.includeSystem`, 'must be a boolean');
}

function key(x: unknown, path: string): void {
  if (!Array.isArray(x) || x.length === 0) fail(path, 'must be a non-empty list of key parts');
  (x as unknown[]).forEach((k, i) => { if (!KEY_PARTS.includes(k as KeyPart)) fail(`${path}[${i}]`, `unknown key part ${JSON.stringify(k)}`); });
  if (!(x as unknown[]).includes('officer')) fail(path, "must include 'officer' (the subject)");
}

function covers(actions: unknown[], steps: (Step | undefined)[], path: string): void {
  for (const s of steps) if (s) for (const a of s.actions) if (!actions.includes(a)) fail(`${path}.actions`, `must include ${a} (used by params)`);
}

const DEF_KEYS = ['id', 'version', 'name', 'category', 'severity', 'kind', 'params', 'matters', 'actions', 'enabled', 'rationale', 'attrs'];
const PARAM_KEYS: Record<string, string[]> = {
  predicate: ['when'],
  pair: ['first', 'second', 'officer', 'eitherOrder', 'firstOnly', 'strictlyLater', 'withinMs', 'once', 'subject', 'stateTtlMs'],
  deadline: ['start', 'close', 'handler', 'standardHoursFactor', 'fixedMs', 'workingTime', 'priorCloseCounts', 'stateTtlMs'],
  slidingCount: ['key', 'count', 'windowMs', 'quietMs', 'when'],
  distinctCount: ['key', 'distinct', 'count', 'windowMs', 'quietMs', 'when'],
  elapsed: ['from', 'to', 'op', 'thresholdMs', 'standardHoursFraction', 'workingTime', 'toWhen'],
  peerOutlier: ['period', 'numerator', 'denominator', 'activity', 'statistic', 'minSpread', 'z', 'minCount', 'minDenominator', 'minPeers', 'groupBy', 'compare', 'history'],
  sequence: ['key', 'steps', 'windowMs', 'reset', 'subject', 'quietMs'],
  amountChange: ['key', 'from', 'to', 'below', 'withinMs'],
  assignmentBias: ['windowMs', 'minCount', 'alpha', 'poolRoles', 'quietMs'],
  queueJump: ['gap'],
};

/** Validate one definition; throws Bad with the field path. */
function def(d: unknown, path: string): void {
  if (!isObj(d)) return fail(path, 'must be an indicator definition object');
  if (typeof d.id !== 'string' || !ID_RE.test(d.id)) fail(`${path}.id`, 'must look like ABC-12');
  const p = d.id as string;
  for (const k of Object.keys(d)) if (!DEF_KEYS.includes(k)) fail(`${p}.${k}`, 'unknown field');
  if (d.attrs !== undefined && (!Array.isArray(d.attrs) || d.attrs.some((a) => typeof a !== 'string'))) fail(`${p}.attrs`, 'must be a list of attr names');
  if (!Number.isInteger(d.version) || (d.version as number) < 1) fail(`${p}.version`, 'must be an integer ≥ 1');
  msg(d.name, `${p}.name`);
  msg(d.rationale, `${p}.rationale`);
  if (!(CATEGORIES as readonly unknown[]).includes(d.category)) fail(`${p}.category`, `must be one of ${CATEGORIES.join(', ')}`);
  if (!(SEVERITIES as readonly unknown[]).includes(d.severity)) fail(`${p}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
  if (typeof d.enabled !== 'boolean') fail(`${p}.enabled`, 'must be a boolean');
  if (!(RULE_KINDS as readonly unknown[]).includes(d.kind)) fail(`${p}.kind`, `must be one of ${RULE_KINDS.join(', ')}`);
  actionList(d.actions, `${p}.actions`);
  const actions = d.actions as unknown[];
  matterFilter(d.matters, `${p}.matters`);
  if (!isObj(d.params)) fail(`${p}.params`, 'must be an object');
  const q = d.params as Record<string, unknown>;
  const pp = `${p}.params`;
  for (const k of Object.keys(q)) if (!PARAM_KEYS[d.kind as string].includes(k)) fail(`${pp}.${k}`, `unknown parameter for kind ${d.kind}`);
  switch (d.kind) {
    case 'predicate':
      if (!Array.isArray(q.when)) fail(`${pp}.when`, 'must be a list of conditions');
      conditions(q.when, `${pp}.when`);
      break;
    case 'pair':
      step(q.first, `${pp}.first`); step(q.second, `${pp}.second`);
      if (!['same', 'different', 'any'].includes(q.officer as string)) fail(`${pp}.officer`, "must be 'same', 'different' or 'any'");
      if (!['item', 'event'].includes(q.once as string)) fail(`${pp}.once`, "must be 'item' or 'event'");
      if (!['first', 'second'].includes(q.subject as string)) fail(`${pp}.subject`, "must be 'first' or 'second'");
      if (q.eitherOrder && q.once !== 'item') fail(`${pp}.once`, "must be 'item' when eitherOrder");
      if (q.withinMs !== undefined) posNum(q.withinMs, `${pp}.withinMs`);
      if (q.stateTtlMs !== undefined) posNum(q.stateTtlMs, `${pp}.stateTtlMs`);
      covers(actions, [q.first as Step, q.second as Step], p);
      break;
    case 'deadline':
      step(q.start, `${pp}.start`); step(q.close, `${pp}.close`);
      if (q.handler !== undefined) step(q.handler, `${pp}.handler`);
      if ((q.fixedMs === undefined) === (q.standardHoursFactor === undefined)) fail(`${pp}.fixedMs`, 'exactly one of fixedMs and standardHoursFactor is required');
      if (q.fixedMs !== undefined) posNum(q.fixedMs, `${pp}.fixedMs`, true);
      if (q.standardHoursFactor !== undefined) posNum(q.standardHoursFactor, `${pp}.standardHoursFactor`);
      if (q.workingTime !== undefined && typeof q.workingTime !== 'boolean') fail(`${pp}.workingTime`, 'must be a boolean');
      covers(actions, [q.start as Step, q.close as Step, q.handler as Step | undefined], p);
      break;
    case 'slidingCount':
      key(q.key, `${pp}.key`);
      posInt(q.count, `${pp}.count`);
      posNum(q.windowMs, `${pp}.windowMs`, true);
      posNum(q.quietMs, `${pp}.quietMs`, true);
      conditions(q.when, `${pp}.when`);
      break;
    case 'distinctCount':
      key(q.key, `${pp}.key`);
      if (!KEY_PARTS.includes(q.distinct as KeyPart)) fail(`${pp}.distinct`, `must be one of ${KEY_PARTS.join(', ')}`);
      if ((q.key as unknown[]).includes(q.distinct)) fail(`${pp}.distinct`, 'must not be part of the key');
      posInt(q.count, `${pp}.count`);
      if ((q.count as number) < 2) fail(`${pp}.count`, 'must be at least 2');
      posNum(q.windowMs, `${pp}.windowMs`);
      posNum(q.quietMs, `${pp}.quietMs`, true);
      conditions(q.when, `${pp}.when`);
      break;
    case 'elapsed':
      step(q.from, `${pp}.from`); step(q.to, `${pp}.to`);
      if (!['lt', 'gt'].includes(q.op as string)) fail(`${pp}.op`, "must be 'lt' or 'gt'");
      if ((q.thresholdMs === undefined) === (q.standardHoursFraction === undefined)) fail(`${pp}.thresholdMs`, 'exactly one of thresholdMs and standardHoursFraction is required');
      if (q.thresholdMs !== undefined) posNum(q.thresholdMs, `${pp}.thresholdMs`);
      if (q.standardHoursFraction !== undefined) posNum(q.standardHoursFraction, `${pp}.standardHoursFraction`);
      if (q.workingTime !== undefined && typeof q.workingTime !== 'boolean') fail(`${pp}.workingTime`, 'must be a boolean');
      conditions(q.toWhen, `${pp}.toWhen`);
      covers(actions, [q.from as Step, q.to as Step], p);
      break;
    case 'peerOutlier':
      if (!['day', 'week'].includes(q.period as string)) fail(`${pp}.period`, "must be 'day' or 'week'");
      step(q.numerator, `${pp}.numerator`);
      if (q.denominator !== undefined) step(q.denominator, `${pp}.denominator`);
      posNum(q.z, `${pp}.z`);
      posInt(q.minCount, `${pp}.minCount`);
      posInt(q.minPeers, `${pp}.minPeers`);
      if ((q.minPeers as number) < 3) fail(`${pp}.minPeers`, 'must be at least 3');
      if (q.activity !== undefined) step(q.activity, `${pp}.activity`);
      if (q.statistic !== undefined && !['robust', 'leaveOneOut'].includes(q.statistic as string)) fail(`${pp}.statistic`, "must be 'robust' or 'leaveOneOut'");
      if (q.minSpread !== undefined) posNum(q.minSpread, `${pp}.minSpread`);
      if (q.minDenominator !== undefined) posInt(q.minDenominator, `${pp}.minDenominator`);
      if (q.groupBy !== undefined) {
        if (!Array.isArray(q.groupBy) || q.groupBy.length === 0) fail(`${pp}.groupBy`, 'must be a non-empty list of bureau, role, mix');
        (q.groupBy as unknown[]).forEach((g, i) => { if (!['bureau', 'role', 'mix'].includes(g as string)) fail(`${pp}.groupBy[${i}]`, 'must be bureau, role or mix'); });
      }
      if (q.compare !== undefined && !['peers', 'history', 'both'].includes(q.compare as string)) fail(`${pp}.compare`, "must be 'peers', 'history' or 'both'");
      if (q.history !== undefined) {
        if (!isObj(q.history)) fail(`${pp}.history`, 'must be {periods, minPeriods}');
        const h = q.history as Record<string, unknown>;
        posInt(h.periods, `${pp}.history.periods`); posInt(h.minPeriods, `${pp}.history.minPeriods`);
        if ((h.minPeriods as number) > (h.periods as number)) fail(`${pp}.history.minPeriods`, 'must be at most periods');
      }
      if ((q.compare === 'history' || q.compare === 'both') && q.history === undefined) fail(`${pp}.history`, `is required when compare is ${q.compare}`);
      covers(actions, [q.numerator as Step, q.denominator as Step | undefined, q.activity as Step | undefined], p);
      break;
    case 'sequence': {
      if (!Array.isArray(q.key) || q.key.length === 0) fail(`${pp}.key`, 'must be a non-empty list of key parts');
      (q.key as unknown[]).forEach((k, i) => { if (!KEY_PARTS.includes(k as KeyPart)) fail(`${pp}.key[${i}]`, `unknown key part ${JSON.stringify(k)}`); });
      if (!Array.isArray(q.steps) || q.steps.length < 2 || q.steps.length > 16) fail(`${pp}.steps`, 'must be a list of 2 to 16 steps');
      const steps = q.steps as Step[];
      steps.forEach((s, i) => step(s, `${pp}.steps[${i}]`));
      if (q.reset !== undefined) step(q.reset, `${pp}.reset`);
      posNum(q.windowMs, `${pp}.windowMs`);
      posNum(q.quietMs, `${pp}.quietMs`, true);
      if (!Number.isInteger(q.subject) || (q.subject as number) < 0 || (q.subject as number) >= steps.length) fail(`${pp}.subject`, 'must be the index of a step');
      if (steps[q.subject as number].includeSystem) fail(`${pp}.subject`, 'the subject step must not include system');
      covers(actions, [...steps, q.reset as Step | undefined], p);
      break;
    }
    case 'amountChange':
      if (q.key !== 'item' && q.key !== 'taxpayer') fail(`${pp}.key`, "must be 'item' or 'taxpayer'");
      step(q.from, `${pp}.from`); step(q.to, `${pp}.to`);
      if (typeof q.below !== 'number' || !(q.below > 0 && q.below <= 1)) fail(`${pp}.below`, 'must be a fraction in (0, 1]');
      if (q.withinMs !== undefined) posNum(q.withinMs, `${pp}.withinMs`);
      covers(actions, [q.from as Step, q.to as Step], p);
      break;
    case 'assignmentBias':
      posNum(q.windowMs, `${pp}.windowMs`);
      posInt(q.minCount, `${pp}.minCount`);
      if (typeof q.alpha !== 'number' || !(q.alpha > 0 && q.alpha < 1)) fail(`${pp}.alpha`, 'must be a probability in (0, 1)');
      if (!Array.isArray(q.poolRoles) || q.poolRoles.length === 0 || q.poolRoles.some((r) => !['tax', 'discipline', 'leader', 'analyst'].includes(r as string))) fail(`${pp}.poolRoles`, 'must be a non-empty list of roles');
      posNum(q.quietMs, `${pp}.quietMs`, true);
      if (!actions.includes('assign')) fail(`${p}.actions`, 'must include assign');
      break;
    case 'queueJump':
      posInt(q.gap, `${pp}.gap`);
      if (!actions.includes('accept')) fail(`${p}.actions`, 'must include accept');
      break;
  }
}

export function validateDef(d: unknown): Outcome<IndicatorDef> {
  try { def(d, 'indicator'); return { ok: true, value: d as IndicatorDef }; }
  catch (e) { if (e instanceof Bad) return { ok: false, reason: e.message }; throw e; }
}

/** Every definition valid, ids unique. Returns the list unchanged when valid. */
export function validateCatalog(defs: unknown): Outcome<IndicatorDef[]> {
  if (!Array.isArray(defs)) return { ok: false, reason: 'catalog: must be a list of indicator definitions' };
  const seen = new Set<string>();
  for (let i = 0; i < defs.length; i++) {
    const r = validateDef(defs[i]);
    if (!r.ok) return { ok: false, reason: r.reason.startsWith('indicator') ? r.reason.replace('indicator', `catalog[${i}]`) : r.reason };
    if (seen.has(r.value.id)) return { ok: false, reason: `${r.value.id}.id: duplicate indicator id` };
    seen.add(r.value.id);
  }
  return { ok: true, value: defs as IndicatorDef[] };
}
