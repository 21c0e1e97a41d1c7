import { describe, expect, it } from 'vitest';
import { OVERSIGHT_INDICATORS, OversightEvaluator, type OversightRecord } from './indicators.js';
import { DAY, HOUR, WorkingCalendar } from '../time.js';

const cal = WorkingCalendar.PLAIN;
const TUE_10 = Date.UTC(2026, 10, 24, 2, 0, 0); // Tue 2026-11-24 10:00 Asia/Shanghai
let seq = 0;
const rec = (action: string, actor: string, role: string, officer: string, target: string, details: Record<string, unknown> = {}, ts = TUE_10): OversightRecord =>
  ({ seq: ++seq, ts, actor, action, target, details, actorRole: role, actorOfficer: officer });
const run = (ev: OversightEvaluator, rs: OversightRecord[]) => rs.flatMap((r) => ev.evaluate(r, cal));

describe('oversight indicators', () => {
  it('are four, each with a name and severity', () => {
    expect(OVERSIGHT_INDICATORS.map((d) => d.id)).toEqual(['OVS-01', 'OVS-02', 'OVS-03', 'OVS-04']);
  });

  describe('OVS-01 evidence read outside one\'s tasks', () => {
    const setup = () => {
      const ev = new OversightEvaluator();
      run(ev, ['T1', 'T2', 'T3', 'T4'].map((t) => rec('task_assign', 'system', '', '', `task:${t}`, { assignee: t === 'T4' ? 'D1' : 'D9' })));
      return ev;
    };
    it('fires when a discipline officer reads three tasks of others within 24 h', () => {
      const a = run(setup(), ['T1', 'T2', 'T3'].map((t, i) => rec('evidence_read', 'disc1', 'discipline', 'D1', `task:${t}`, {}, TUE_10 + i * HOUR)));
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({ indicator: 'OVS-01', subject: 'disc1', watched: ['disc1'], details: { tasks: ['T1', 'T2', 'T3'] } });
    });
    it('near miss: two tasks of others and one of their own, or the third after 24 h, or read by a leader', () => {
      expect(run(setup(), ['T1', 'T2', 'T4', 'T1'].map((t) => rec('evidence_read', 'disc1', 'discipline', 'D1', `task:${t}`)))).toEqual([]);
      expect(run(setup(), ['T1', 'T2', 'T3'].map((t, i) => rec('evidence_read', 'disc1', 'discipline', 'D1', `task:${t}`, {}, TUE_10 + i * 13 * HOUR)))).toEqual([]);
      expect(run(setup(), ['T1', 'T2', 'T3'].map((t) => rec('evidence_read', 'lead', 'leader', '', `task:${t}`)))).toEqual([]);
    });
    it('follows a reassignment: the new assignee reading their task does not count', () => {
      const ev = setup();
      run(ev, [rec('task_reassign', 'admin', 'admin', '', 'task:T3', { assignee: 'D1', subject: 'S1' })]);
      expect(run(ev, ['T1', 'T2', 'T3'].map((t) => rec('evidence_read', 'disc1', 'discipline', 'D1', `task:${t}`)))).toEqual([]);
    });
  });

  describe('OVS-02 dismissal rate far above peers', () => {
    const resolve = (who: string, result: string, i: number) => rec('task_resolve', who, 'discipline', who.toUpperCase(), `task:${who}-${i}`, { result }, TUE_10 + i * DAY);
    const peers = () => ['p1', 'p2', 'p3'].flatMap((p) => [0, 1, 2, 3, 4].map((i) => resolve(p, i === 0 ? 'dismissed' : 'confirmed', i))); // 20 %
    it('fires when an investigator dismisses 80 % against peers at 20 %', () => {
      const ev = new OversightEvaluator();
      run(ev, peers());
      const a = run(ev, [0, 1, 2, 3, 4].map((i) => resolve('x', i < 4 ? 'dismissed' : 'confirmed', i)));
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({ indicator: 'OVS-02', subject: 'x', details: { resolved: 5, dismissal_rate: 0.8, peer_rate: 0.2, peers: 3 } });
      // Once per window: a sixth dismissal does not raise a second alert.
      expect(run(ev, [resolve('x', 'dismissed', 5)])).toEqual([]);
    });
    it('near miss: 40 % against 20 % (below the margin), or too few peers', () => {
      const ev = new OversightEvaluator();
      run(ev, peers());
      expect(run(ev, [0, 1, 2, 3, 4].map((i) => resolve('x', i < 2 ? 'dismissed' : 'confirmed', i)))).toEqual([]);
      const few = new OversightEvaluator();
      run(few, peers().filter((r) => r.actor !== 'p3'));
      expect(run(few, [0, 1, 2, 3, 4].map((i) => resolve('x', 'dismissed', i)))).toEqual([]);
    });
  });

  describe('OVS-03 repeated reassignment of one subject\'s tasks', () => {
    const re = (task: string, subject: string, dt: number) => rec('task_reassign', 'admin', 'admin', '', `task:${task}`, { assignee: 'D2', subject, approved_by: 'hq' }, TUE_10 + dt);
    it('fires on the third reassignment of one subject\'s tasks within 30 days, watched: who proposed and approved', () => {
      const a = run(new OversightEvaluator(), [re('T1', 'S1', 0), re('T2', 'S1', 10 * DAY), re('T1', 'S1', 20 * DAY)]);
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({ indicator: 'OVS-03', subject: 'S1', watched: ['admin', 'hq'], details: { tasks: ['T1', 'T2'] } });
    });
    it('near miss: two of one subject and one of another, or the third after 30 days', () => {
      expect(run(new OversightEvaluator(), [re('T1', 'S1', 0), re('T2', 'S1', DAY), re('T3', 'S2', 2 * DAY)])).toEqual([]);
      expect(run(new OversightEvaluator(), [re('T1', 'S1', 0), re('T2', 'S1', DAY), re('T1', 'S1', 31 * DAY)])).toEqual([]);
    });
  });

  describe('OVS-04 administrative change outside working hours', () => {
    it('fires on an admin\'s change on a Saturday and at 23:00 on a working day', () => {
      const sat = TUE_10 + 4 * DAY;
      const night = TUE_10 + 13 * HOUR;
      const a = run(new OversightEvaluator(), [rec('user_update', 'admin', 'admin', '', 'user:x', {}, sat), rec('proposal_create', 'admin', 'admin', '', 'proposal:P', {}, night)]);
      expect(a.map((x) => x.indicator)).toEqual(['OVS-04', 'OVS-04']);
      expect(a[0]).toMatchObject({ subject: 'admin', watched: ['admin'] });
    });
    it('near miss: the same change in working hours, a read by an admin at night, a leader\'s change at night', () => {
      const night = TUE_10 + 13 * HOUR;
      expect(run(new OversightEvaluator(), [
        rec('user_update', 'admin', 'admin', '', 'user:x'), rec('evidence_read', 'admin', 'admin', '', 'alert:A', {}, night), rec('proposal_approve', 'hq', 'leader', '', 'proposal:P', {}, night),
      ])).toEqual([]);
    });
    it('follows the working calendar: a make-up working day is working time, a holiday is not', () => {
      const sat = TUE_10 + 4 * DAY; // 2026-11-28
      const withMakeUp = new WorkingCalendar({ holidays: ['2026-11-24'], workdays: ['2026-11-28'] });
      const ev = new OversightEvaluator();
      expect(ev.evaluate(rec('user_update', 'admin', 'admin', '', 'user:x', {}, sat), withMakeUp)).toEqual([]);
      expect(ev.evaluate(rec('user_update', 'admin', 'admin', '', 'user:x', {}, TUE_10), withMakeUp)).toHaveLength(1);
    });
  });

  it('gives the same alert ids when the same trail is replayed (stored once)', () => {
    seq = 1000;
    const trail = [0, 1, 2].map((i) => rec('user_update', 'admin', 'admin', '', 'user:x', {}, TUE_10 + 4 * DAY + i));
    const a = run(new OversightEvaluator(), trail).map((x) => x.id);
    const b = run(new OversightEvaluator(), trail).map((x) => x.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
  });
});
