/**
 * Every indicator of the default catalog, a behavioural pair: a stream that fires it with the
 * exact evidence (and subject), and a near miss — the same stream with one thing changed — that
 * does not. The suite enumerates the catalog, so an entry without its pair fails.
 * Runs each indicator alone on the default reference data (matters with their auto / tags /
 * penalty bands / required documents, the working calendar), plus one inactive officer.
 */
import { describe, expect, it } from 'vitest';
import type { Action, OpEvent } from '../types.js';
import { defaultReference } from '../reference/default-data.js';
import { ReferenceIndex } from '../reference/index.js';
import { run } from '../engine/testing/harness.js';
import { defaultCatalog } from './index.js';

const MIN = 60_000, H = 3_600_000, D = 86_400_000;
/** Monday 2 March 2026, 10:00 Asia/Shanghai: a working day */
const T = Date.parse('2026-03-02T10:00:00+08:00');
const SAT = T + 5 * D; // Saturday 10:00
const NIGHT = T + 13 * H; // Monday 23:00

// B01 officers of the default register
const A = 'O0001'; // tax, level 3
const B = 'O0003'; // tax, level 3
const L4 = 'O0002'; // tax, level 4
const L5 = 'O0004'; // tax, level 5
const LEAD = 'O0020'; // leader
const DISC = 'O0022'; // discipline
const GONE = 'O9999'; // tax, inactive (added below)
const GHOST = 'X-NEW-1'; // not on record
/** B01 tax officers other than A, for peer groups */
const PEERS = defaultReference.officers.filter((o) => o.bureau === 'B01' && o.role === 'tax' && o.id !== A).map((o) => o.id);

const REF = new ReferenceIndex({
  ...defaultReference,
  officers: [...defaultReference.officers, { id: GONE, name: '离岗者', bureau: 'B01', level: 3, role: 'tax', active: false }],
});

type P = Partial<OpEvent> & { at?: number };
function e(id: string, action: Action, p: P = {}): OpEvent {
  const { at = 0, ...rest } = p;
  return { id, ts: T + at, platform: 'service', bureau: 'B01', officer: A, matter: 'M009', item: 'I1', taxpayer: 'T1', action, ...rest };
}
/** n events made by mk(i), ids prefix+i */
const many = (n: number, mk: (i: number) => OpEvent): OpEvent[] => Array.from({ length: n }, (_, i) => mk(i));
const idsOf = (evs: OpEvent[]) => evs.map((x) => x.id);
/** one event per peer (9 peers), for peer-outlier periods */
const peers = (mk: (officer: string, i: number) => OpEvent[]): OpEvent[] => PEERS.slice(0, 9).flatMap((o, i) => mk(o, i));
const iso = (ts: number) => new Date(ts).toISOString();

interface Pair { fires: OpEvent[]; evidence: string[]; officer?: string; near: OpEvent[] }

const P: Record<string, () => Pair> = {
  'SVC-01': () => ({ fires: [e('a', 'approve', { matter: 'M011', ts: SAT })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M011' })] }),
  'PRC-01': () => ({ fires: [e('c', 'accept'), e('a', 'approve', { at: H })], evidence: ['c', 'a'], officer: A, near: [e('c', 'accept'), e('a', 'approve', { at: H, officer: B })] }),
  'PRC-02': () => ({ fires: [e('a', 'approve', { matter: 'M011', amount: 750_001 })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M011', amount: 750_000 })] }),
  'PRC-03': () => ({ fires: [e('c', 'complete', { matter: 'M011' })], evidence: ['c'], near: [e('a', 'approve', { matter: 'M011', officer: B }), e('c', 'complete', { matter: 'M011', at: H })] }),
  'PRC-04': () => ({ fires: [e('c', 'complete'), e('m', 'modify', { at: H, officer: B })], evidence: ['c', 'm'], officer: B, near: [e('m', 'modify', { officer: B }), e('c', 'complete', { at: H })] }),
  'PRC-05': () => {
    const at = (mins: number[]) => mins.map((m, i) => e(`x${i}`, 'cancel', { at: m * MIN, item: `I${i}` }));
    return { fires: at([0, 10, 20, 30, 40]), evidence: ['x0', 'x1', 'x2', 'x3', 'x4'], near: at([0, 15, 30, 45, 61]) };
  },
  'INS-01': () => {
    const acc = (tps: string[]) => tps.map((tp, i) => e(`c${i}`, 'accept', { matter: 'M078', item: `I${i}`, taxpayer: tp, at: i * 10 * D }));
    return { fires: acc(['T1', 'T1', 'T1']), evidence: ['c0', 'c1', 'c2'], near: acc(['T1', 'T1', 'T2']) };
  },
  'INS-02': () => ({
    fires: [e('i', 'issue', { matter: 'M075', officer: 'system' }), e('c', 'complete', { matter: 'M075', at: 10 * H, amount: 0 })], evidence: ['i', 'c'],
    near: [e('i', 'issue', { matter: 'M075', officer: 'system' }), e('c', 'complete', { matter: 'M075', at: 80 * H, amount: 0 })],
  }),
  'FIL-01': () => {
    const mods = (hs: number[]) => hs.map((h, i) => e(`m${i}`, 'modify', { matter: 'M101', at: h * H }));
    return { fires: mods([0, 5, 23]), evidence: ['m0', 'm1', 'm2'], near: mods([0, 5, 25]) };
  },
  'TSK-01': () => ({
    fires: [e('i', 'issue', { officer: 'system' }), e('c', 'accept', { at: H })], evidence: ['i'], officer: A,
    near: [e('i', 'issue', { officer: 'system' }), e('c', 'complete', { at: 47 * H })],
  }),
  'TSK-02': () => ({ fires: [e('s', 'assign', { matter: 'M011', officer: LEAD, attrs: { mode: 'manual' } })], evidence: ['s'], near: [e('s', 'assign', { matter: 'M011', officer: LEAD, attrs: { mode: 'random' } })] }),

  // ---- service ----
  'SVC-02': () => ({ fires: [e('r', 'reject')], evidence: ['r'], near: [e('r', 'reject', { attrs: { reason: '资料不全' } })] }),
  'SVC-03': () => ({ fires: [e('m', 'modify', { matter: 'M005', attrs: { field: 'rating' } })], evidence: ['m'], near: [e('m', 'modify', { matter: 'M005', attrs: { field: 'contact' } })] }),
  'SVC-04': () => ({
    fires: [e('a', 'approve', { matter: 'M003', amount: 30_000, attrs: { previous_quota: 10_000 } })], evidence: ['a'],
    near: [e('a', 'approve', { matter: 'M003', amount: 20_000, attrs: { previous_quota: 10_000 } })],
  }),
  'SVC-05': () => ({
    fires: [e('j', 'accept', { window: 'W001', attrs: { ticket: 20 } }), e('k', 'accept', { window: 'W002', officer: B, item: 'I2', at: MIN, attrs: { ticket: 5 } })], evidence: ['j', 'k'], officer: A,
    near: [e('j', 'accept', { window: 'W001', attrs: { ticket: 20 } }), e('k', 'accept', { window: 'W002', officer: B, item: 'I2', at: MIN, attrs: { ticket: 11 } })],
  }),
  'SVC-06': () => {
    const acc = (n: number) => many(n, (i) => e(`c${i}`, 'accept', { item: `I${i}`, at: i * D }));
    return { fires: acc(8), evidence: idsOf(acc(8)), near: acc(7) };
  },
  'SVC-07': () => ({ fires: [e('c', 'accept', { window: 'W042' })], evidence: ['c'], near: [e('c', 'accept', { window: 'W001' })] }),
  'SVC-08': () => ({
    fires: [e('m', 'modify', { matter: 'M005', attrs: { field: 'rating' } }), e('p', 'approve', { matter: 'M003', item: 'I2', officer: B, at: 5 * D })], evidence: ['m', 'p'], officer: A,
    near: [e('m', 'modify', { matter: 'M005', attrs: { field: 'rating' } }), e('p', 'approve', { matter: 'M003', item: 'I2', officer: B, at: 31 * D })],
  }),
  'SVC-09': () => {
    const rates = (scores: number[]) => scores.map((s, i) => e(`r${i}`, 'rate', { item: `I${i}`, at: i * 5 * D, attrs: { score: s } }));
    return { fires: rates([1, 1, 1, 1]), evidence: ['r0', 'r1', 'r2', 'r3'], near: rates([1, 1, 2, 1]) };
  },
  'SVC-10': () => {
    const pet = (days: number[]) => days.map((d, i) => e(`p${i}`, 'petition', { item: `I${i}`, at: d * D, attrs: { kind: 'complaint' } }));
    return { fires: pet([0, 30, 89]), evidence: ['p0', 'p1', 'p2'], near: pet([0, 30, 91]) };
  },
  'SVC-11': () => ({ fires: [e('c', 'accept', { window: 'W001', ts: NIGHT })], evidence: ['c'], near: [e('c', 'accept', { window: 'W001', ts: NIGHT - 2 * H })] }),
  'SVC-12': () => {
    const rates = (tps: string[]) => tps.map((tp, i) => e(`r${i}`, 'rate', { item: `I${i}`, taxpayer: tp, at: i * D, attrs: { score: 5 } }));
    return { fires: rates(['T1', 'T1', 'T1', 'T1', 'T1']), evidence: ['r0', 'r1', 'r2', 'r3', 'r4'], near: rates(['T1', 'T1', 'T2', 'T1', 'T1']) };
  },
  'SVC-13': () => ({
    fires: [e('i', 'issue', { matter: 'M011', officer: 'system' }), e('a', 'approve', { matter: 'M011', at: 10 * MIN })], evidence: ['i', 'a'],
    near: [e('i', 'issue', { matter: 'M011', officer: 'system' }), e('a', 'approve', { matter: 'M011', at: 16 * MIN })],
  }),
  'SVC-14': () => {
    const day = (n: number) => [
      ...peers((o, i) => [e(`p${i}`, 'reject', { officer: o, item: `P${i}`, attrs: { reason: 'x' } })]),
      ...many(n, (i) => e(`r${i}`, 'reject', { item: `I${i}`, at: i * MIN, attrs: { reason: 'x' } })),
    ];
    return { fires: day(6), evidence: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'], officer: A, near: day(5) };
  },
  'SVC-15': () => {
    const week = (scores: number[]) => [
      ...peers((o, i) => [e(`p${i}a`, 'rate', { officer: o, item: `P${i}`, attrs: { score: 5 } }), e(`p${i}b`, 'rate', { officer: o, item: `Q${i}`, attrs: { score: 4 } })]),
      ...scores.map((s, i) => e(`r${i}`, 'rate', { item: `I${i}`, at: i * H, attrs: { score: s } })),
    ];
    return { fires: week([1, 1, 1]), evidence: ['r0', 'r1', 'r2'], officer: A, near: week([1, 1, 5]) };
  },
  'SVC-16': () => ({ fires: [e('a', 'approve', { matter: 'M011', amount: 745_000 })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M011', amount: 740_000 })] }),
  'SVC-17': () => ({ fires: [e('c', 'accept', { officer: GONE })], evidence: ['c'], officer: GONE, near: [e('c', 'accept')] }),
  'SVC-18': () => ({ fires: [e('a', 'approve', { matter: 'M011', amount: 60_000 })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M011', amount: 60_001 })] }),
  'SVC-19': () => {
    const fires = many(15, (i) => e(`a${i}`, 'approve', { matter: 'M011', item: `I${i}`, at: i * 4 * MIN }));
    const near = [...many(14, (i) => e(`a${i}`, 'approve', { matter: 'M011', item: `I${i}`, at: i * 4 * MIN })), e('a14', 'approve', { matter: 'M011', item: 'I14', at: 61 * MIN })];
    return { fires, evidence: idsOf(fires), near };
  },
  'SVC-20': () => ({ fires: [e('c', 'complete', { matter: 'M011' })], evidence: ['c'], near: [e('c', 'complete', { matter: 'M011' }), e('f', 'feedback', { matter: 'M011', officer: 'system', at: 6 * D })] }),
  'SVC-21': () => ({ fires: [e('a', 'approve', { matter: 'M011' }), e('x', 'cancel', { matter: 'M011', officer: B, at: H })], evidence: ['a', 'x'], officer: B, near: [e('a', 'approve', { matter: 'M011' }), e('x', 'cancel', { matter: 'M011', at: H })] }),
  'SVC-22': () => ({ fires: [e('c', 'accept', { officer: DISC })], evidence: ['c'], officer: DISC, near: [e('c', 'accept')] }),
  'SVC-23': () => ({ fires: [e('a', 'approve', { matter: 'M011', attrs: { taxpayer_credit: 'D' } })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M011', attrs: { taxpayer_credit: 'B' } })] }),
  'SVC-24': () => ({
    fires: [e('l', 'approve', { matter: 'M054' }), e('r', 'approve', { matter: 'M011', item: 'I2', officer: B, at: 10 * D })], evidence: ['l', 'r'], officer: A,
    near: [e('l', 'approve', { matter: 'M054' }), e('r', 'approve', { matter: 'M011', item: 'I2', officer: B, at: 31 * D })],
  }),
  'SVC-25': () => ({ fires: [e('p', 'petition', { attrs: { kind: 'report' } })], evidence: ['p'], near: [e('p', 'petition', { attrs: { kind: 'complaint' } })] }),

  // ---- process ----
  'PRC-06': () => {
    const asg = (days: number[]) => days.map((d, i) => e(`s${i}`, 'assign', { officer: LEAD, at: d * D, attrs: { mode: 'random' } }));
    return { fires: asg([0, 3, 6]), evidence: ['s0', 's1', 's2'], officer: LEAD, near: asg([0, 3, 8]) };
  },
  'PRC-07': () => {
    const rej = (n: number) => many(n, (i) => e(`r${i}`, 'reject', { item: `I${i}`, at: i * 5 * MIN, attrs: { reason: 'x' } }));
    return { fires: rej(8), evidence: idsOf(rej(8)), near: rej(7) };
  },
  'PRC-08': () => ({
    fires: [e('a', 'approve', { matter: 'M038', attrs: { penalty: 4000, tax_base: 10_000 } })], evidence: ['a'],
    near: [e('a', 'approve', { matter: 'M038', attrs: { penalty: 5000, tax_base: 10_000 } })],
  }),
  'PRC-09': () => ({ fires: [e('x', 'cancel')], evidence: ['x'], near: [e('x', 'cancel', { attrs: { reason: '重复提交' } })] }),
  'PRC-10': () => ({ fires: [e('a', 'approve', { matter: 'M011' }), e('m', 'modify', { matter: 'M011', at: H })], evidence: ['a', 'm'], near: [e('a', 'approve', { matter: 'M011' }), e('m', 'modify', { matter: 'M011', at: H, officer: B })] }),
  'PRC-11': () => ({
    fires: [e('a', 'approve', { matter: 'M011' }), e('c', 'accept', { matter: 'M011', officer: B, at: H })], evidence: ['a', 'c'], officer: A,
    near: [e('c', 'accept', { matter: 'M011', officer: B }), e('a', 'approve', { matter: 'M011', at: H })],
  }),
  'PRC-12': () => ({
    fires: [e('c', 'accept', { matter: 'M035' }), e('a', 'approve', { matter: 'M035', officer: L5, at: 30_000, amount: 80_000_000 })], evidence: ['c', 'a'], officer: L5,
    near: [e('c', 'accept', { matter: 'M035' }), e('a', 'approve', { matter: 'M035', officer: L5, at: 2 * MIN, amount: 80_000_000 })],
  }),
  'PRC-13': () => ({ fires: [e('a', 'approve', { matter: 'M011' }), e('c', 'complete', { matter: 'M011', at: 21 * D })], evidence: ['a', 'c'], near: [e('a', 'approve', { matter: 'M011' }), e('c', 'complete', { matter: 'M011', at: 19 * D })] }),
  'PRC-14': () => ({ fires: [e('a', 'approve', { matter: 'M011' })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M011' }), e('c', 'complete', { matter: 'M011', at: 6 * D })] }),
  'PRC-15': () => {
    const week = (n: number) => [
      ...peers((o, i) => [e(`p${i}`, 'cancel', { officer: o, item: `P${i}`, attrs: { reason: 'x' } })]),
      ...many(n, (i) => e(`x${i}`, 'cancel', { item: `I${i}`, at: i * D, attrs: { reason: 'x' } })),
    ];
    return { fires: week(5), evidence: ['x0', 'x1', 'x2', 'x3', 'x4'], officer: A, near: week(4) };
  },
  'PRC-16': () => ({ fires: [e('c', 'accept', { matter: 'M001' })], evidence: ['c'], near: [e('c', 'accept', { matter: 'M001', officer: 'system' })] }),
  'PRC-17': () => ({ fires: [e('s', 'assign', { attrs: { mode: 'manual' } })], evidence: ['s'], near: [e('s', 'assign', { officer: LEAD, attrs: { mode: 'manual' } })] }),
  'PRC-18': () => ({ fires: [e('a', 'approve', { matter: 'M035', officer: L5, amount: 140_000_000 })], evidence: ['a'], near: [e('a', 'approve', { matter: 'M035', officer: L5, amount: 130_000_000 })] }),
  'PRC-19': () => {
    const mods = (n: number) => many(n, (i) => e(`m${i}`, 'modify', { item: `I${i}`, at: i * 5 * MIN }));
    return { fires: mods(10), evidence: idsOf(mods(10)), near: mods(9) };
  },
  'PRC-20': () => ({ fires: [e('x', 'cancel', { matter: 'M035', amount: 80_000_000 })], evidence: ['x'], near: [e('x', 'cancel', { matter: 'M035', amount: 70_000_000 })] }),
  'PRC-21': () => {
    const apr = (n: number) => many(n, (i) => e(`a${i}`, 'approve', { matter: 'M011', item: `I${i}`, at: i * 5 * D }));
    return { fires: apr(5), evidence: idsOf(apr(5)), near: apr(4) };
  },
  'PRC-22': () => ({
    fires: [e('m', 'modify', { matter: 'M011', attrs: { field: 'bank_account' } }), e('a', 'approve', { matter: 'M011', at: 2 * H })], evidence: ['m', 'a'],
    near: [e('m', 'modify', { matter: 'M011', attrs: { field: 'bank_account' } }), e('a', 'approve', { matter: 'M011', at: 25 * H })],
  }),
  'PRC-23': () => ({ fires: [e('r', 'reject', { matter: 'M011' }), e('a', 'approve', { matter: 'M011', at: 5 * MIN })], evidence: ['r', 'a'], near: [e('r', 'reject', { matter: 'M011' }), e('a', 'approve', { matter: 'M011', at: 11 * MIN })] }),
  'PRC-24': () => {
    const apr = (tss: number[]) => tss.map((ts, i) => e(`a${i}`, 'approve', { matter: 'M011', item: `I${i}`, ts }));
    return { fires: apr([SAT, SAT + H, SAT + D]), evidence: ['a0', 'a1', 'a2'], near: apr([SAT, SAT + H, SAT + 2 * D]) };
  },
  'PRC-25': () => {
    const acc = (bs: string[]) => bs.map((b, i) => e(`c${i}`, 'accept', { bureau: b, item: `I${i}`, at: i * D }));
    return { fires: acc(['B01', 'B02', 'B03']), evidence: ['c0', 'c1', 'c2'], near: acc(['B01', 'B02', 'B01']) };
  },
  'PRC-26': () => ({ fires: [e('s', 'assign', { attrs: { mode: 'random', assignee: A } })], evidence: ['s'], near: [e('s', 'assign', { attrs: { mode: 'random', assignee: B } })] }),
  'PRC-27': () => ({ fires: [e('r', 'reject', { matter: 'M011' })], evidence: ['r'], near: [e('r', 'reject', { matter: 'M011' }), e('h', 'handle', { matter: 'M011', at: 14 * D })] }),
  'PRC-28': () => ({ fires: [e('a', 'approve', { matter: 'M011', bureau: 'B02' })], evidence: ['a'], officer: A, near: [e('a', 'approve', { matter: 'M011' })] }),
  'PRC-29': () => {
    const week = (n: number) => [
      ...peers((o, i) => [e(`p${i}`, 'complete', { officer: o, item: `P${i}` })]),
      e('c', 'complete', { item: 'IC' }),
      ...many(n, (i) => e(`m${i}`, 'modify', { item: `I${i}`, at: i * H })),
    ];
    return { fires: week(6), evidence: ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'], officer: A, near: week(5) };
  },
  'PRC-30': () => ({
    fires: [e('a', 'approve', { matter: 'M038', attrs: { penalty: 60_000, tax_base: 10_000 } })], evidence: ['a'],
    near: [e('a', 'approve', { matter: 'M038', attrs: { penalty: 50_000, tax_base: 10_000 } })],
  }),

  // ---- inspection ----
  'INS-03': () => ({ fires: [e('i', 'issue', { matter: 'M074' })], evidence: ['i'], near: [e('i', 'issue', { matter: 'M074', attrs: { basis: 'JB-2026-001' } })] }),
  'INS-04': () => ({
    fires: [e('c', 'complete', { matter: 'M075', attrs: { penalty: 0, tax_base: 200_000 } })], evidence: ['c'],
    near: [e('c', 'complete', { matter: 'M075', attrs: { penalty: 0, tax_base: 50_000 } })],
  }),
  'INS-05': () => ({ fires: [e('c', 'complete', { matter: 'M075', attrs: { attachments: 2 } })], evidence: ['c'], near: [e('c', 'complete', { matter: 'M075', attrs: { attachments: 4 } })] }),
  'INS-06': () => ({
    fires: [e('a', 'approve', { matter: 'M075', officer: L4, amount: 500_000 }), e('m', 'modify', { matter: 'M075', amount: 300_000, at: D })], evidence: ['a', 'm'], officer: A,
    near: [e('a', 'approve', { matter: 'M075', officer: L4, amount: 500_000 }), e('m', 'modify', { matter: 'M075', amount: 500_000, at: D })],
  }),
  'INS-07': () => ({
    fires: [e('c', 'complete', { matter: 'M075', amount: 5000, attrs: { estimated: 100_000 } })], evidence: ['c'],
    near: [e('c', 'complete', { matter: 'M075', amount: 20_000, attrs: { estimated: 100_000 } })],
  }),
  'INS-08': () => ({ fires: [e('i', 'issue', { matter: 'M078' }), e('c', 'accept', { matter: 'M078', at: H })], evidence: ['i', 'c'], near: [e('i', 'issue', { matter: 'M078' }), e('c', 'accept', { matter: 'M078', at: H, officer: B })] }),
  'INS-09': () => {
    const comp = (amounts: number[]) => amounts.map((a, i) => e(`c${i}`, 'complete', { matter: 'M078', item: `I${i}`, amount: a, at: i * D }));
    return { fires: comp([0, 0, 0, 0, 0]), evidence: ['c0', 'c1', 'c2', 'c3', 'c4'], near: comp([0, 0, 900, 0, 0]) };
  },
  'INS-10': () => ({ fires: [e('x', 'cancel', { matter: 'M075', attrs: { stage: 'enforcement' } })], evidence: ['x'], near: [e('x', 'cancel', { matter: 'M075', attrs: { stage: 'examination' } })] }),
  'INS-11': () => ({ fires: [e('c', 'complete', { matter: 'M078' })], evidence: ['c'], near: [e('c', 'complete', { matter: 'M078' }), e('f', 'feedback', { matter: 'M078', at: 14 * D })] }),
  'INS-12': () => {
    const week = (amounts: number[]) => [
      ...peers((o, i) => [e(`p${i}a`, 'complete', { matter: 'M078', officer: o, item: `P${i}`, amount: 1000 }), e(`p${i}b`, 'complete', { matter: 'M078', officer: o, item: `Q${i}`, amount: 2000 })]),
      ...amounts.map((a, i) => e(`c${i}`, 'complete', { matter: 'M078', item: `I${i}`, amount: a, at: i * H })),
    ];
    return { fires: week([0, 0, 0, 0]), evidence: ['c0', 'c1', 'c2', 'c3'], officer: A, near: week([0, 0, 0, 700]) };
  },
  'INS-13': () => ({
    fires: [e('a', 'approve', { matter: 'M011' }), e('c', 'accept', { matter: 'M078', item: 'I2', at: 10 * D })], evidence: ['a', 'c'], officer: A,
    near: [e('a', 'approve', { matter: 'M011' }), e('c', 'accept', { matter: 'M078', item: 'I2', at: 10 * D, officer: B })],
  }),
  'INS-14': () => {
    const chain = (cancelAt: number) => [
      e('b', 'complete', { matter: 'M107', officer: 'system', item: 'IB' }),
      e('r', 'approve', { matter: 'M011', item: 'IR', at: 10 * D }),
      e('x', 'cancel', { matter: 'M075', item: 'IX', officer: B, at: cancelAt }),
    ];
    return { fires: chain(20 * D), evidence: ['b', 'r', 'x'], officer: B, near: chain(91 * D) };
  },
  'INS-15': () => ({ fires: [e('h', 'handle', { matter: 'M078' }), e('x', 'cancel', { matter: 'M078', officer: B, at: H })], evidence: ['h', 'x'], officer: B, near: [e('h', 'handle', { matter: 'M078' }), e('x', 'cancel', { matter: 'M078', at: H })] }),
  'INS-16': () => {
    const pet = (d2: number) => [e('p0', 'petition', { matter: 'M078', attrs: { kind: 'complaint' } }), e('p1', 'petition', { matter: 'M078', item: 'I2', at: d2 * D, attrs: { kind: 'complaint' } })];
    return { fires: pet(100), evidence: ['p0', 'p1'], near: pet(181) };
  },
  'INS-17': () => ({ fires: [e('i', 'issue', { matter: 'M078' }), e('a', 'approve', { matter: 'M078', at: D })], evidence: ['i', 'a'], near: [e('i', 'issue', { matter: 'M078' }), e('a', 'approve', { matter: 'M078', at: D, officer: B })] }),
  'INS-18': () => {
    const s = (amount: number) => [e('a', 'approve', { matter: 'M072', officer: L4, amount: 1_000_000 }), e('c', 'complete', { matter: 'M073', item: 'I2', amount, at: 30 * D })];
    return { fires: s(400_000), evidence: ['a', 'c'], officer: A, near: s(600_000) };
  },
  'INS-19': () => ({
    fires: [e('a', 'approve', { matter: 'M075', officer: B }), e('c', 'complete', { matter: 'M075', amount: 6_000_000, at: H })], evidence: ['c'],
    near: [e('a', 'approve', { matter: 'M075', officer: L4 }), e('c', 'complete', { matter: 'M075', amount: 6_000_000, at: H })],
  }),
  'INS-20': () => ({
    fires: [e('h', 'handle', { matter: 'M078' }), e('s', 'assign', { matter: 'M078', officer: LEAD, at: D, attrs: { mode: 'manual' } })], evidence: ['h', 's'], officer: LEAD,
    near: [e('s', 'assign', { matter: 'M078', officer: LEAD, attrs: { mode: 'manual' } }), e('h', 'handle', { matter: 'M078', at: D })],
  }),
  'INS-21': () => {
    const c = (d3: number) => [0, 10, d3].map((d, i) => e(`x${i}`, 'cancel', { matter: 'M078', item: `I${i}`, at: d * D, attrs: { reason: 'x' } }));
    return { fires: c(29), evidence: ['x0', 'x1', 'x2'], near: c(31) };
  },
  'INS-22': () => ({ fires: [e('i', 'issue', { matter: 'M078', officer: 'system' })], evidence: ['i'], near: [e('i', 'issue', { matter: 'M078', officer: 'system' }), e('c', 'accept', { matter: 'M078', at: 9 * D })] }),
  'INS-23': () => {
    const asg = (n: number) => many(n, (i) => e(`s${i}`, 'assign', { matter: 'M078', officer: LEAD, item: `I${i}`, at: i * D, attrs: { mode: 'manual' } }));
    return { fires: asg(4), evidence: idsOf(asg(4)), officer: LEAD, near: asg(3) };
  },
  'INS-24': () => {
    const week = (n: number) => [
      ...peers((o, i) => [e(`p${i}`, 'complete', { matter: 'M078', officer: o, item: `P${i}`, amount: 1000 })]),
      ...many(n, (i) => e(`c${i}`, 'complete', { matter: 'M078', item: `I${i}`, amount: 1000, at: i * H })),
    ];
    return { fires: week(10), evidence: many(10, (i) => e(`c${i}`, 'complete')).map((x) => x.id), officer: A, near: week(9) };
  },

  // ---- filing ----
  'FIL-02': () => ({
    fires: [e('c', 'accept', { matter: 'M101', attrs: { recorded_at: iso(T + 4 * D) } })], evidence: ['c'],
    near: [e('c', 'accept', { matter: 'M101', attrs: { recorded_at: iso(T + 2 * D) } })],
  }),
  'FIL-03': () => ({ fires: [e('c', 'accept', { matter: 'M104', attrs: { attachments: 1 } })], evidence: ['c'], near: [e('c', 'accept', { matter: 'M104', attrs: { attachments: 2 } })] }),
  'FIL-04': () => ({
    fires: [e('i', 'issue', { matter: 'M041', officer: 'system' }), e('d', 'complete', { matter: 'M099', item: 'I2', at: 30 * D })], evidence: ['i', 'd'], officer: A,
    near: [e('i', 'issue', { matter: 'M041', officer: 'system' }), e('p', 'complete', { matter: 'M041', officer: 'system', at: 10 * D }), e('d', 'complete', { matter: 'M099', item: 'I2', at: 30 * D })],
  }),
  'FIL-05': () => ({
    fires: [e('i', 'issue', { matter: 'M075', officer: 'system' }), e('d', 'complete', { matter: 'M099', item: 'I2', at: 30 * D })], evidence: ['i', 'd'], officer: A,
    near: [e('i', 'issue', { matter: 'M075', officer: 'system' }), e('p', 'complete', { matter: 'M075', officer: B, at: 10 * D }), e('d', 'complete', { matter: 'M099', item: 'I2', at: 30 * D })],
  }),
  'FIL-06': () => ({ fires: [e('h', 'handle', { matter: 'M101' }), e('m', 'modify', { matter: 'M101', officer: B, at: H })], evidence: ['h', 'm'], officer: B, near: [e('h', 'handle', { matter: 'M101' }), e('m', 'modify', { matter: 'M101', at: H })] }),
  'FIL-07': () => {
    const s = (at: number) => [e('b', 'complete', { matter: 'M107', officer: 'system' }), e('r', 'approve', { matter: 'M011', item: 'I2', at })];
    return { fires: s(3 * D), evidence: ['b', 'r'], officer: A, near: s(8 * D) };
  },
  'FIL-08': () => ({ fires: [e('c', 'complete', { matter: 'M101' })], evidence: ['c'], near: [e('a', 'accept', { matter: 'M101', officer: B }), e('c', 'complete', { matter: 'M101', at: H })] }),
  'FIL-09': () => ({ fires: [e('c', 'complete', { matter: 'M101' }), e('x', 'cancel', { matter: 'M101', officer: B, at: H })], evidence: ['c', 'x'], officer: B, near: [e('x', 'cancel', { matter: 'M101', officer: B }), e('c', 'complete', { matter: 'M101', at: H })] }),
  'FIL-10': () => {
    const acc = (n: number) => many(n, (i) => e(`c${i}`, 'accept', { matter: 'M101', officer: GHOST, item: `I${i}`, at: i * 6 * H }));
    return { fires: acc(20), evidence: idsOf(acc(20)), officer: GHOST, near: acc(19) };
  },
  'FIL-11': () => ({
    fires: [e('i', 'issue', { matter: 'M075', officer: 'system' }), e('m', 'modify', { matter: 'M101', item: 'I2', at: 5 * D })], evidence: ['i', 'm'], officer: A,
    near: [e('i', 'issue', { matter: 'M075', officer: 'system' }), e('p', 'complete', { matter: 'M075', officer: B, at: 2 * D }), e('m', 'modify', { matter: 'M101', item: 'I2', at: 5 * D })],
  }),
  'FIL-12': () => {
    const s = (amount: number) => [e('f', 'complete', { matter: 'M119', officer: 'system', amount: 100_000 }), e('c', 'approve', { matter: 'M118', item: 'I2', amount, at: 30 * D })];
    return { fires: s(40_000), evidence: ['f', 'c'], officer: A, near: s(60_000) };
  },
  'FIL-13': () => {
    const s = (at: number) => [e('g', 'complete', { matter: 'M100', officer: 'system' }), e('d', 'complete', { matter: 'M099', item: 'I2', at })];
    return { fires: s(60 * D), evidence: ['g', 'd'], officer: A, near: s(91 * D) };
  },
  'FIL-14': () => {
    const s = (at: number) => [e('g', 'complete', { matter: 'M100', officer: 'system' }), e('q', 'approve', { matter: 'M003', item: 'I2', at })];
    return { fires: s(10 * D), evidence: ['g', 'q'], officer: A, near: s(31 * D) };
  },
  'FIL-15': () => ({ fires: [e('c', 'accept', { matter: 'M104' }), e('d', 'complete', { matter: 'M104', at: MIN })], evidence: ['c', 'd'], near: [e('c', 'accept', { matter: 'M104' }), e('d', 'complete', { matter: 'M104', at: 3 * MIN })] }),
  'FIL-16': () => {
    const s = (at: number) => [e('f', 'complete', { matter: 'M109', officer: 'system' }), e('r', 'approve', { matter: 'M036', item: 'I2', at })];
    return { fires: s(10 * D), evidence: ['f', 'r'], officer: A, near: s(31 * D) };
  },
  'FIL-17': () => ({ fires: [e('r', 'reject', { matter: 'M101' }), e('a', 'approve', { matter: 'M101', officer: B, at: 2 * H })], evidence: ['r', 'a'], officer: B, near: [e('r', 'reject', { matter: 'M101' }), e('a', 'approve', { matter: 'M101', at: 2 * H })] }),
  'FIL-18': () => ({ fires: [e('c', 'accept', { matter: 'M101', taxpayer: undefined })], evidence: ['c'], near: [e('c', 'accept', { matter: 'M101' })] }),
  'FIL-19': () => {
    const acc = (ms: string[]) => ms.map((m, i) => e(`c${i}`, 'accept', { matter: m, item: `I${i}`, at: i * D }));
    return { fires: acc(['M101', 'M104', 'M106', 'M108']), evidence: ['c0', 'c1', 'c2', 'c3'], near: acc(['M101', 'M104', 'M106', 'M101']) };
  },
  'FIL-20': () => {
    const s = (at: number) => [e('x', 'cancel', { matter: 'M101', attrs: { reason: 'x' } }), e('c', 'accept', { matter: 'M101', item: 'I2', at })];
    return { fires: s(2 * H), evidence: ['x', 'c'], officer: A, near: s(25 * H) };
  },

  // ---- tasks (process) ----
  'TSK-03': () => ({
    fires: [e('r', 'assign', { officer: 'system', attrs: { mode: 'random', assignee: B } }), e('m', 'assign', { officer: LEAD, at: H, attrs: { mode: 'manual', assignee: A } })], evidence: ['r', 'm'], officer: LEAD,
    near: [e('m', 'assign', { officer: LEAD, attrs: { mode: 'manual', assignee: A } }), e('r', 'assign', { officer: 'system', at: H, attrs: { mode: 'random', assignee: B } })],
  }),
  'TSK-04': () => {
    const rej = (d3: number) => [0, 10, d3].map((d, i) => e(`r${i}`, 'reject', { at: d * D, attrs: { reason: 'x' } }));
    return { fires: rej(29), evidence: ['r0', 'r1', 'r2'], near: rej(31) };
  },
  'TSK-05': () => ({
    fires: [e('i', 'issue', { matter: 'M011', officer: 'system' }), e('c', 'complete', { matter: 'M011', at: 481 * H })], evidence: ['i', 'c'],
    near: [e('i', 'issue', { matter: 'M011', officer: 'system' }), e('c', 'complete', { matter: 'M011', at: 479 * H })],
  }),
  'TSK-06': () => {
    const day = (n: number) => [
      ...peers((o, i) => [e(`p${i}`, 'accept', { officer: o, item: `P${i}` })]),
      ...many(n, (i) => e(`c${i}`, 'accept', { item: `I${i}`, at: i * 5 * MIN })),
    ];
    return { fires: day(40), evidence: many(20, (i) => e(`c${i}`, 'accept')).map((x) => x.id), officer: A, near: day(39) };
  },
  'TSK-07': () => ({ fires: [e('s', 'assign', { officer: LEAD })], evidence: ['s'], near: [e('s', 'assign', { officer: LEAD, attrs: { mode: 'random' } })] }),
  'TSK-08': () => {
    const week = (n: number) => [
      ...peers((o, i) => [e(`p${i}`, 'assign', { officer: o, item: `P${i}`, attrs: { mode: 'manual' } })]),
      ...many(n, (i) => e(`s${i}`, 'assign', { item: `I${i}`, at: i * H, attrs: { mode: 'manual' } })),
    ];
    return { fires: week(5), evidence: ['s0', 's1', 's2', 's3', 's4'], officer: A, near: week(4) };
  },
  'TSK-09': () => {
    const draws = (who: string[]) => who.map((w, i) => e(`s${i}`, 'assign', { officer: 'system', item: `I${i}`, at: i * 20 * D, attrs: { mode: 'random', assignee: w } }));
    return { fires: draws([A, A, A, A]), evidence: ['s0', 's1', 's2', 's3'], officer: A, near: draws([A, A, B, A]) };
  },
  'TSK-10': () => ({
    fires: [e('i', 'issue', { matter: 'M011', officer: 'system' }), e('x', 'cancel', { matter: 'M011', at: 241 * H, attrs: { reason: 'x' } })], evidence: ['i', 'x'],
    near: [e('i', 'issue', { matter: 'M011', officer: 'system' }), e('x', 'cancel', { matter: 'M011', at: 239 * H, attrs: { reason: 'x' } })],
  }),
};

const sorted = (evs: OpEvent[]) => [...evs].sort((a, b) => a.ts - b.ts);

describe('every indicator of the default catalog: a stream that fires it, and a near miss that does not', () => {
  it('what it does when the catalog has an entry without a pair (or a pair without an entry): this fails', () => {
    expect(defaultCatalog.map((d) => d.id).filter((id) => !P[id])).toEqual([]);
    expect(Object.keys(P).filter((id) => !defaultCatalog.some((d) => d.id === id))).toEqual([]);
  });

  for (const def of defaultCatalog) {
    it(`${def.id} ${def.name.en}: fires with the exact evidence; the near miss raises nothing`, () => {
      const pair = P[def.id];
      if (!pair) throw new Error(`${def.id} has no behavioural pair`);
      const { fires, evidence, officer, near } = pair();
      const hit = run([def], sorted(fires), REF).filter((a) => a.indicator === def.id);
      expect(hit.map((a) => a.evidence)).toEqual([evidence]);
      if (officer) expect(hit[0]!.officer).toBe(officer);
      expect(hit[0]!.category).toBe(def.category);
      const miss = run([def], sorted(near), REF).filter((a) => a.indicator === def.id);
      expect(miss.map((a) => a.evidence)).toEqual([]);
    });
  }
});
