import { describe, expect, it } from 'vitest';
import type { IndicatorDef } from '../catalog/types.js';
import { ReferenceIndex } from '../reference/index.js';
import { ev, smallReference } from '../engine/testing/fixtures.js';
import { FAR, defsOf, engineFor, evidence, run } from '../engine/testing/harness.js';
import type { CalendarData } from '../time.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const withCalendar = (calendar: CalendarData) => new ReferenceIndex({ ...smallReference().data, calendar });
// Thu 2026-10-01 a holiday; Sat 2026-10-10 a make-up working day
const CAL: CalendarData = { holidays: ['2026-10-01'], workdays: ['2026-10-10'] };

const def = (over: Partial<IndicatorDef> & Pick<IndicatorDef, 'kind' | 'params' | 'actions'>): IndicatorDef => ({
  id: 'TST-01', version: 1, name: { zh: '测试', en: 'Test' }, category: 'process', severity: 'low', matters: {}, enabled: true,
  rationale: { zh: '测试', en: 'Test' }, ...over,
});

describe('off-hours and rest-day conditions follow the working calendar', () => {
  const evs = () => [
    ev({ id: 'hol', action: 'approve' }, at('2026-10-01T10:00:00+08:00')), // holiday Thursday
    ev({ id: 'sat', action: 'approve' }, at('2026-10-10T10:00:00+08:00')), // make-up Saturday
    ev({ id: 'thu', action: 'approve' }, at('2026-10-08T10:00:00+08:00')), // ordinary Thursday
    ev({ id: 'sun', action: 'approve' }, at('2026-10-11T10:00:00+08:00')), // ordinary Sunday
  ];

  it('what SVC-01 does on a holiday and on a make-up Saturday: the holiday is off-hours, the Saturday is not', () => {
    expect(evidence(run(['SVC-01'], evs(), withCalendar(CAL)))).toEqual([['hol'], ['sun']]);
    // positive control: without the calendar, the Saturday fires and the holiday Thursday does not
    expect(evidence(run(['SVC-01'], evs(), withCalendar({ holidays: [], workdays: [] })))).toEqual([['sat'], ['sun']]);
  });

  it('what restDay and weekend do on the same days: restDay follows the calendar, weekend the plain week', () => {
    const rest = def({ kind: 'predicate', actions: ['approve'], params: { when: [{ restDay: true }] } });
    const weekend = def({ id: 'TST-02', kind: 'predicate', actions: ['approve'], params: { when: [{ weekend: true }] } });
    const out = run([rest, weekend], evs(), withCalendar(CAL));
    expect(evidence(out, 'TST-01')).toEqual([['hol'], ['sun']]);
    expect(evidence(out, 'TST-02')).toEqual([['sat'], ['sun']]);
  });

  it('what the engine does when the calendar changes while it runs: the next decision uses the new one', () => {
    const eng = engineFor(['SVC-01'], withCalendar({ holidays: [], workdays: [] }));
    const t = at('2026-10-10T10:00:00+08:00');
    expect(evidence(eng.onEvent(ev({ id: 's1', action: 'approve' }, t), t))).toEqual([['s1']]);
    eng.setReference(withCalendar(CAL));
    expect(evidence(eng.onEvent(ev({ id: 's2', action: 'approve' }, t + 1), t + 1))).toEqual([]);
    const h = at('2026-10-01T10:00:00+08:00'); // late, still evaluated on arrival
    expect(evidence(eng.onEvent(ev({ id: 'h1', action: 'approve' }, h), t + 2))).toEqual([['h1']]);
  });
});

describe('working-time deadlines and elapsed times', () => {
  // 10 working hours from Wed 09-30 17:00: 1 h on 09-30, holiday 10-01, 9 h on Fri 10-02 → 10-02 17:00
  const start = at('2026-09-30T17:00:00+08:00');
  const wdl = (workingTime: boolean) => def({
    kind: 'deadline', actions: ['issue', 'complete'],
    params: { start: { actions: ['issue'], includeSystem: true }, close: { actions: ['complete'] }, fixedMs: 10 * H, ...(workingTime ? { workingTime: true } : {}) },
  });

  it('what a working-time deadline does across a holiday: it falls 10 working hours later, not 10 elapsed hours', () => {
    const evs = [ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system' }, start)];
    const alerts = run([wdl(true)], evs, withCalendar(CAL));
    expect(alerts.map((a) => a.ts)).toEqual([at('2026-10-02T17:00:00+08:00')]);
    expect(run([wdl(false)], evs, withCalendar(CAL)).map((a) => a.ts)).toEqual([start + 10 * H]); // control: elapsed time
    expect(run([wdl(true)], evs, withCalendar({ holidays: [], workdays: [] })).map((a) => a.ts)).toEqual([at('2026-10-01T17:00:00+08:00')]);
  });

  it('what a working-time deadline does when a holiday is declared after the start: it waits for the later deadline', () => {
    const eng = engineFor([wdl(true)], withCalendar({ holidays: [], workdays: [] }));
    eng.onEvent(ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system' }, start), start);
    eng.setReference(withCalendar(CAL));
    // a complete on 10-02 at 12:00 is before the new deadline (10-02 17:00) though after the old one (10-01 17:00)
    const done = at('2026-10-02T12:00:00+08:00');
    eng.onEvent(ev({ id: 'c1', item: 'A', action: 'complete', officer: 'B1-O1' }, done), done);
    expect(eng.onTick(FAR)).toEqual([]);
    // control: the same stream under the calendar it started with raises the alert at 10-01 17:00
    const eng2 = engineFor([wdl(true)], withCalendar({ holidays: [], workdays: [] }));
    eng2.onEvent(ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system' }, start), start);
    const out = eng2.onEvent(ev({ id: 'c1', item: 'A', action: 'complete', officer: 'B1-O1' }, done), done);
    expect(out.map((a) => a.ts)).toEqual([at('2026-10-01T17:00:00+08:00')]);
  });

  it('what a working-time elapsed check does: nights and holidays between the two actions do not count', () => {
    const slow = (workingTime: boolean) => def({
      kind: 'elapsed', actions: ['accept', 'complete'],
      params: { from: { actions: ['accept'] }, to: { actions: ['complete'] }, op: 'gt', thresholdMs: 8 * H, ...(workingTime ? { workingTime: true } : {}) },
    });
    const evs = [
      ev({ id: 'a1', item: 'A', action: 'accept' }, at('2026-09-30T16:00:00+08:00')),
      ev({ id: 'c1', item: 'A', action: 'complete' }, at('2026-10-02T12:00:00+08:00')), // 2 + 4 = 6 working hours
    ];
    expect(run([slow(true)], evs, withCalendar(CAL))).toEqual([]);
    expect(evidence(run([slow(false)], evs, withCalendar(CAL)))).toEqual([['a1', 'c1']]); // control: 44 elapsed hours
    expect(evidence(run([slow(true)], evs, withCalendar({ holidays: [], workdays: [] })))).toEqual([['a1', 'c1']]); // 2 + 10 + 4 = 16 h
  });

  it('what TSK-01 does across a holiday: standard_hours stay elapsed time', () => {
    const evs = [ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system' }, start)];
    expect(run(defsOf('TSK-01'), evs, withCalendar(CAL)).map((a) => a.ts)).toEqual([start + 72 * H]);
  });
});
