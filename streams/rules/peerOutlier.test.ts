import { describe, expect, it } from 'vitest';
import type { OfficerRole, OpEvent, ReferenceData } from '../types.js';
import type { IndicatorDef, PeerOutlierParams } from '../catalog/types.js';
import { ReferenceIndex } from '../reference/index.js';
import { ev, smallReference, T0 } from '../engine/testing/fixtures.js';
import { FAR, engineFor } from '../engine/testing/harness.js';
import { IndicatorEngine } from '../engine/engine.js';
import { centreAndSpread } from './peerOutlier.js';
import { DAY, localDayStart } from './common.js';

const S = 1000;
const DAY_END = localDayStart(T0) + DAY - 1; // the day's time point

/** a bureau B1 of `n` officers (ids B1-O0…), roles as given (default all tax) */
function bureau(n: number, role: (i: number) => OfficerRole = () => 'tax'): ReferenceIndex {
  const base = smallReference().data;
  const officers: ReferenceData['officers'] = [];
  for (let i = 0; i < n; i++) officers.push({ id: `B1-O${i}`, name: `官${i}`, bureau: 'B1', level: 2, role: role(i) });
  return new ReferenceIndex({ ...base, officers });
}

const def = (p: Partial<PeerOutlierParams> = {}, actions: IndicatorDef['actions'] = ['reject']): IndicatorDef => ({
  id: 'TST-01', version: 1, name: { zh: '日不予通过量异常', en: 'Daily rejections far above peers' }, category: 'service', severity: 'low',
  kind: 'peerOutlier', matters: {}, actions, enabled: true, rationale: { zh: '测试', en: 'Test' },
  params: { period: 'day', numerator: { actions: ['reject'] }, z: 3, minCount: 6, minPeers: 4, ...p },
});

let seq = 0;
/** `count` rejections by `officer` on day `day` (0 = T0's day), spread over working hours */
function rejections(officer: string, count: number, day = 0, matter = 'RF'): OpEvent[] {
  const out: OpEvent[] = [];
  for (let i = 0; i < count; i++) out.push(ev({ id: `r${String(seq++).padStart(6, '0')}`, item: `I${seq}`, action: 'reject', officer, matter }, T0 + day * DAY + i * 10 * S));
  return out;
}

/** peers B1-O1…O(n−1) reject 1–3 each (deterministic), B1-O0 rejects `subject` */
function bureauDay(n: number, subject: number, day = 0): OpEvent[] {
  const evs = rejections('B1-O0', subject, day);
  for (let i = 1; i < n; i++) evs.push(...rejections(`B1-O${i}`, 1 + (i % 3), day));
  return evs.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
}

function outliers(d: IndicatorDef, ref: ReferenceIndex, evs: OpEvent[]): string[] {
  const eng = engineFor([d], ref);
  const alerts = evs.flatMap((e) => eng.onEvent(e, e.ts));
  return [...alerts, ...eng.onTick(FAR)].map((a) => `${a.officer}@${a.ts === DAY_END ? 'd0' : a.ts}`);
}

describe('peerOutlier at real bureau sizes (one officer rejecting 200 a day against peers 1–3)', () => {
  for (const n of [5, 8, 12, 20]) {
    it(`what it does in a bureau of ${n}: the 200-a-day officer is raised, a mild excess is not`, () => {
      const ref = bureau(n);
      expect(outliers(def(), ref, bureauDay(n, 200))).toEqual(['B1-O0@d0']);
      // a mild deviation: 5 against peers of 1–3 (twice the peers' median) raises nothing
      expect(outliers(def({ minCount: 1 }), ref, bureauDay(n, 5))).toEqual([]);
      // the same with leave-one-out mean and standard deviation
      expect(outliers(def({ statistic: 'leaveOneOut' }), ref, bureauDay(n, 200))).toEqual(['B1-O0@d0']);
      expect(outliers(def({ statistic: 'leaveOneOut', minCount: 1 }), ref, bureauDay(n, 5))).toEqual([]);
    });
  }

  it('what the whole-bureau z-score would reach in a bureau of 8: at most √7 < 3, which is why the subject is left out', () => {
    const xs = [200, 1, 2, 3, 1, 2, 3, 1];
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect((200 - mean) / sd).toBeLessThan(3);
    expect((200 - mean) / sd).toBeCloseTo(Math.sqrt(7), 1);
    const [c, s] = centreAndSpread(xs.slice(1), 'robust');
    expect((200 - c) / Math.max(s, 1, Math.sqrt(c))).toBeGreaterThan(100);
  });

  it('what it does with two wild officers in a bureau of 8: the robust centre flags both', () => {
    const ref = bureau(8);
    const evs = [...bureauDay(8, 200), ...rejections('B1-O1', 150)].sort((a, b) => a.ts - b.ts);
    expect(outliers(def(), ref, evs).sort()).toEqual(['B1-O0@d0', 'B1-O1@d0']);
  });
});

describe('peerOutlier population, counts and groups', () => {
  it('what it does with too few peers: nothing, and with just enough: the alert', () => {
    expect(outliers(def({ minPeers: 5 }), bureau(5), bureauDay(5, 200))).toEqual([]);
    expect(outliers(def({ minPeers: 4 }), bureau(5), bureauDay(5, 200))).toEqual(['B1-O0@d0']);
  });

  it('what it does below the minimum count: nothing, however far above the peers', () => {
    expect(outliers(def({ minCount: 201 }), bureau(8), bureauDay(8, 200))).toEqual([]);
    expect(outliers(def({ minCount: 200 }), bureau(8), bureauDay(8, 200))).toEqual(['B1-O0@d0']);
  });

  it('what it does when peers are grouped by role: leaders who reject a lot are not the tax officers\' peers', () => {
    // 6 tax officers reject 1–3; 5 leaders reject 40 each; tax officer O0 rejects 40
    const ref = bureau(11, (i) => (i >= 6 ? 'leader' : 'tax'));
    const evs = [...rejections('B1-O0', 40)];
    for (let i = 1; i < 6; i++) evs.push(...rejections(`B1-O${i}`, 1 + (i % 3)));
    for (let i = 6; i < 11; i++) evs.push(...rejections(`B1-O${i}`, 40));
    evs.sort((a, b) => a.ts - b.ts);
    expect(outliers(def(), ref, evs)).toEqual(['B1-O0@d0']); // against the other tax officers
    expect(outliers(def({ groupBy: ['bureau'] }), ref, evs)).toEqual([]); // against the whole bureau, where half reject 40, 40 is ordinary
  });

  it('what it does when the role group is too small: falls back to the whole bureau', () => {
    // O0 is the only analyst; the 7 tax officers are the bureau
    const ref = bureau(8, (i) => (i === 0 ? 'analyst' : 'tax'));
    expect(outliers(def(), ref, bureauDay(8, 200))).toEqual(['B1-O0@d0']);
    expect(outliers(def({ groupBy: ['role'] }), ref, bureauDay(8, 200))).toEqual([]); // role alone: 0 peers, nothing wider
  });

  it('what it does with matter mix: an officer on a reject-heavy matter is compared with others on it', () => {
    // 5 officers on CN reject 30 each, 5 on RF reject 1–3; O0 on CN rejects 34
    const ref = bureau(11);
    const evs = rejections('B1-O0', 34, 0, 'CN');
    for (let i = 1; i <= 5; i++) evs.push(...rejections(`B1-O${i}`, 30, 0, 'CN'));
    for (let i = 6; i <= 10; i++) evs.push(...rejections(`B1-O${i}`, 1 + (i % 3), 0, 'RF'));
    evs.sort((a, b) => a.ts - b.ts);
    expect(outliers(def({ groupBy: ['bureau', 'role', 'mix'] }), ref, evs)).toEqual([]);
    // positive control: within the mix group, 80 against 30s stands out
    const evs2 = [...rejections('B1-O0', 80, 0, 'CN'), ...evs.filter((e) => e.officer !== 'B1-O0')].sort((a, b) => a.ts - b.ts);
    expect(outliers(def({ groupBy: ['bureau', 'role', 'mix'] }), ref, evs2)).toEqual(['B1-O0@d0']);
  });

  it('what it does with activity events: officers who worked but rejected nothing count as peers with 0', () => {
    // O0 rejects 8; 4 peers reject 1 each; without activity there are only 4 peers → minPeers 6 not met
    const ref = bureau(11);
    const evs = [...rejections('B1-O0', 8)];
    for (let i = 1; i <= 4; i++) evs.push(...rejections(`B1-O${i}`, 1));
    const work = [];
    for (let i = 5; i <= 10; i++) work.push(ev({ id: `h${i}`, item: `H${i}`, action: 'handle', officer: `B1-O${i}` }, T0 + i * S));
    const all = [...evs, ...work].sort((a, b) => a.ts - b.ts);
    expect(outliers(def({ minPeers: 6 }, ['reject', 'handle']), ref, all)).toEqual([]);
    expect(outliers(def({ minPeers: 6, activity: { actions: ['handle'] } }, ['reject', 'handle']), ref, all)).toEqual(['B1-O0@d0']);
  });

  it('what it does with a rate: the minimum denominator keeps one bad rating out', () => {
    const rate = (score: number, officer: string, k: number) => ev({ id: `s${officer}-${k}-${score}`, item: `R${officer}${k}`, action: 'rate', officer, attrs: { score } }, T0 + k * S);
    const evs: OpEvent[] = [rate(1, 'B1-O0', 0)]; // one rating, a bad one
    for (let i = 1; i < 8; i++) for (let k = 0; k < 10; k++) evs.push(rate(k === 0 && i % 2 ? 1 : 5, `B1-O${i}`, k));
    evs.sort((a, b) => a.ts - b.ts);
    const d = (minDenominator: number) => def({
      numerator: { actions: ['rate'], when: [{ attr: 'score', op: '<=', value: 1 }] }, denominator: { actions: ['rate'] }, minCount: 1, minDenominator,
    }, ['rate']);
    expect(outliers(d(5), bureau(8), evs)).toEqual([]);
    expect(outliers(d(1), bureau(8), evs)).toEqual(['B1-O0@d0']); // control: 100 % against 0–10 %
  });
});

describe('peerOutlier against the officer\'s own history', () => {
  const hist = { compare: 'history' as const, history: { periods: 10, minPeriods: 3 } };
  /** O0 alone (no peers): 2–3 a day for `days` days, then `last` on the next day */
  const ownDays = (days: number, last: number) => {
    const evs: OpEvent[] = [];
    for (let d = 0; d < days; d++) evs.push(...rejections('B1-O0', 2 + (d % 2), d));
    evs.push(...rejections('B1-O0', last, days));
    return evs;
  };
  const lastDayEnd = (days: number) => DAY_END + days * DAY;

  it('what it does when an officer with no peers jumps far above their own last days: raised on that day', () => {
    const out = outliers(def(hist), bureau(1), ownDays(5, 60));
    expect(out).toEqual([`B1-O0@${lastDayEnd(5)}`]);
    expect(outliers(def(hist), bureau(1), ownDays(5, 5))).toEqual([]); // mild: 5 against 2–3
  });

  it('what it does with too short a history: nothing until minPeriods days are known', () => {
    expect(outliers(def(hist), bureau(1), ownDays(2, 60))).toEqual([]);
    expect(outliers(def(hist), bureau(1), ownDays(3, 60))).toEqual([`B1-O0@${lastDayEnd(3)}`]);
  });

  it('what compare both does: an outlier against peers who is at their own usual level is not raised', () => {
    const ref = bureau(8);
    const evs: OpEvent[] = [];
    for (let d = 0; d < 4; d++) evs.push(...bureauDay(8, 200, d));
    const both = def({ compare: 'both', history: { periods: 10, minPeriods: 3 } });
    expect(outliers(both, ref, evs)).toEqual([]); // O0 always rejects 200: a peer outlier, not a change in themselves
    expect(outliers(def(), ref, evs)).toHaveLength(4); // control: against peers, every day
  });

  it('what it does across a restart: the history survives snapshot and restore', () => {
    const evs = ownDays(5, 60);
    const cut = evs.findIndex((e) => e.ts >= T0 + 5 * DAY);
    const eng = engineFor([def(hist)], bureau(1));
    const early = evs.slice(0, cut).flatMap((e) => eng.onEvent(e, e.ts));
    expect([...early, ...eng.onTick(T0 + 5 * DAY - 8 * 3_600_000)]).toEqual([]); // the first five days decided, quiet
    const snap = JSON.parse(JSON.stringify(eng.snapshot()));
    const eng2 = IndicatorEngine.restore(snap, [def(hist)], bureau(1), eng.config);
    for (const e of evs.slice(cut)) eng2.onEvent(e, e.ts);
    expect(eng2.onTick(FAR).map((a) => a.ts)).toEqual([lastDayEnd(5)]);
  });
});
