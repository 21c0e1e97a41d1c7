/**
 * Oversight indicators (issue 10 point 8, docs/security.md "Oversight indicators"): the product
 * watching its own watchers. They read the product's audit trail — not the business events — and
 * raise alerts of category `oversight` that only HQ leaders see, never the people they are about.
 *
 * The four definitions are data (OVERSIGHT_INDICATORS); OversightEvaluator applies them to audit
 * records in chain order. Pure: no I/O, no clock (time is the record's own `ts`); the server
 * enriches each record with the actor's role and officer and gives the working calendar.
 *
 *   OVS-01  a discipline officer reads the evidence of tasks not assigned to them
 *   OVS-02  an investigator's dismissal rate far above their peers'
 *   OVS-03  the tasks of one subject reassigned again and again
 *   OVS-04  an administrator changes the product outside working hours
 */
import { DAY, HOUR, toIsoShanghai } from '../time.js';
import type { Severity } from '../types.js';

export interface OversightIndicator {
  id: string; name: string; name_zh: string; severity: Severity; description: string;
  params: Record<string, number>;
}

export const OVERSIGHT_INDICATORS: readonly OversightIndicator[] = [
  {
    id: 'OVS-01', name: 'Evidence read outside one\'s tasks', name_zh: '越权查阅证据', severity: 'high',
    description: 'A discipline officer opens the evidence of `minTasks` or more distinct risk tasks assigned to someone else within `windowHours`.',
    params: { minTasks: 3, windowHours: 24 },
  },
  {
    id: 'OVS-02', name: 'Dismissal rate far above peers', name_zh: '排除率显著高于同侪', severity: 'high',
    description: 'Over `windowDays`, an investigator with at least `minResolved` resolved tasks dismisses a share at least `margin` above, and at least `ratio` times, the pooled share of at least `minPeers` other investigators with `minResolved` each; once per `windowDays` per investigator.',
    params: { windowDays: 90, minResolved: 5, minPeers: 3, margin: 0.3, ratio: 2 },
  },
  {
    id: 'OVS-03', name: 'Repeated reassignment of one subject\'s tasks', name_zh: '同一对象任务反复改派', severity: 'high',
    description: 'The risk tasks of one subject officer are reassigned `minReassignments` or more times within `windowDays`.',
    params: { minReassignments: 3, windowDays: 30 },
  },
  {
    id: 'OVS-04', name: 'Administrative change outside working hours', name_zh: '非工作时间的管理变更', severity: 'medium',
    description: 'An administrator proposes, approves or makes a change (users, reference data, indicators, reassignments, review draws) outside working hours of the working calendar.',
    params: {},
  },
];

/** What the server gives for each audit record. */
export interface OversightRecord {
  seq: number; ts: number; actor: string; action: string; target: string; details: Record<string, unknown>;
  /** The actor's role and officer id ('' when unknown: `system`, a deleted user). */
  actorRole: string; actorOfficer: string;
}

export interface OversightAlert {
  id: string; indicator: string; severity: Severity; ts: number;
  /** Whom the alert is about (a username, or a subject officer id for OVS-03). */
  subject: string; subject_role: string; message: string; details: Record<string, unknown>;
  audit_seqs: number[];
  /** Usernames the alert is about: none of them may see it. */
  watched: string[];
}

export interface CalendarLike { isWorkingTime(ts: number): boolean }

/** The audit actions an administrator's change is recorded under (OVS-04). */
export const ADMIN_CHANGE_ACTIONS: ReadonlySet<string> = new Set([
  'user_create', 'user_update', 'reference_change', 'indicator_change', 'task_reassign', 'review_draw', 'review_draw_commit',
  'proposal_create', 'proposal_approve', 'proposal_reject', 'proposal_withdraw',
]);

/** Every audit action an indicator reads: the server replays only these at start. */
export const OVERSIGHT_ACTIONS: readonly string[] = [...new Set([
  'evidence_read', 'task_assign', 'task_reassign', 'task_close', 'task_resolve', ...ADMIN_CHANGE_ACTIONS,
])];

/** The longest window of any indicator: how much audit trail a restart replays. */
export const OVERSIGHT_HORIZON_MS = Math.max(
  ...OVERSIGHT_INDICATORS.map((d) => (d.params.windowDays ?? 0) * DAY), ...OVERSIGHT_INDICATORS.map((d) => (d.params.windowHours ?? 0) * HOUR));

const def = (id: string) => OVERSIGHT_INDICATORS.find((d) => d.id === id)!;
const taskOf = (target: string) => (target.startsWith('task:') ? target.slice(5) : '');
const str = (v: unknown) => (typeof v === 'string' ? v : '');

interface Read { ts: number; task: string; seq: number }
interface Resolution { ts: number; dismissed: boolean; seq: number }
interface Reassign { ts: number; task: string; seq: number; actors: string[] }

export class OversightEvaluator {
  /** task → assignee officer, from the assignment and reassignment records. */
  private readonly assignee = new Map<string, string>();
  private readonly reads = new Map<string, Read[]>();
  private readonly resolutions = new Map<string, Resolution[]>();
  private readonly lastOvs02 = new Map<string, number>();
  private readonly reassigns = new Map<string, Reassign[]>();
  private readonly defs: Map<string, OversightIndicator>;

  constructor(defs: readonly OversightIndicator[] = OVERSIGHT_INDICATORS) {
    this.defs = new Map(defs.map((d) => [d.id, d]));
  }

  private p(id: string, k: string): number { return (this.defs.get(id) ?? def(id)).params[k]!; }

  /** Seeds the assignee of a task (at start, from the tasks table, before the audit trail is replayed). */
  knowAssignee(task: string, officer: string): void { if (officer) this.assignee.set(task, officer); }

  /** Applies one audit record (in chain order); answers the alerts it raises. */
  evaluate(r: OversightRecord, calendar: CalendarLike): OversightAlert[] {
    const out: OversightAlert[] = [];
    const task = taskOf(r.target);
    switch (r.action) {
      case 'task_assign':
      case 'task_reassign':
        if (task && str(r.details.assignee)) this.assignee.set(task, str(r.details.assignee));
        break;
      case 'task_close':
        if (task) this.assignee.delete(task);
        break;
    }
    if (r.action === 'evidence_read') this.ovs01(r, task, out);
    if (r.action === 'task_resolve') this.ovs02(r, out);
    if (r.action === 'task_reassign') this.ovs03(r, task, out);
    if (r.actorRole === 'admin' && ADMIN_CHANGE_ACTIONS.has(r.action) && !calendar.isWorkingTime(r.ts)) {
      out.push(this.alert('OVS-04', r, r.actor, 'admin', `${r.actor} made a change (${r.action} ${r.target}) outside working hours, at ${toIsoShanghai(r.ts)}`,
        { action: r.action, target: r.target }, [r.seq], [r.actor]));
    }
    return out;
  }

  private alert(id: string, r: OversightRecord, subject: string, role: string, message: string, details: Record<string, unknown>, seqs: number[], watched: string[]): OversightAlert {
    const d = this.defs.get(id) ?? def(id);
    // The id is the indicator and the record that raised it: replaying the trail raises the same alert again, stored once.
    return { id: `${id}:${r.seq}`, indicator: id, severity: d.severity, ts: r.ts, subject, subject_role: role, message, details: { ...details, params: d.params }, audit_seqs: seqs, watched: [...new Set(watched)].sort() };
  }

  private ovs01(r: OversightRecord, task: string, out: OversightAlert[]): void {
    if (r.actorRole !== 'discipline' || !task) return;
    const owner = this.assignee.get(task);
    // Reading one's own task is the work itself.
    if (owner !== undefined && owner === r.actorOfficer) return;
    const window = this.p('OVS-01', 'windowHours') * HOUR;
    const l = (this.reads.get(r.actor) ?? []).filter((x) => x.ts > r.ts - window);
    l.push({ ts: r.ts, task, seq: r.seq });
    const tasks = [...new Set(l.map((x) => x.task))];
    if (tasks.length >= this.p('OVS-01', 'minTasks')) {
      out.push(this.alert('OVS-01', r, r.actor, 'discipline',
        `${r.actor} read the evidence of ${tasks.length} tasks assigned to others within ${this.p('OVS-01', 'windowHours')} h`,
        { tasks, officer: r.actorOfficer || null }, l.map((x) => x.seq), [r.actor]));
      this.reads.delete(r.actor);
    } else {
      this.reads.set(r.actor, l);
    }
  }

  private ovs02(r: OversightRecord, out: OversightAlert[]): void {
    if (r.actorRole !== 'discipline') return;
    const result = str(r.details.result);
    if (!result) return;
    const window = this.p('OVS-02', 'windowDays') * DAY;
    const since = r.ts - window;
    const mine = (this.resolutions.get(r.actor) ?? []).filter((x) => x.ts > since);
    mine.push({ ts: r.ts, dismissed: result === 'dismissed', seq: r.seq });
    this.resolutions.set(r.actor, mine);
    const min = this.p('OVS-02', 'minResolved');
    if (mine.length < min) return;
    const last = this.lastOvs02.get(r.actor);
    if (last !== undefined && last > since) return;
    let peers = 0; let peerN = 0; let peerDismissed = 0;
    for (const [who, list] of this.resolutions) {
      if (who === r.actor) continue;
      const recent = list.filter((x) => x.ts > since);
      if (recent.length !== list.length) this.resolutions.set(who, recent);
      if (recent.length < min) continue;
      peers++; peerN += recent.length; peerDismissed += recent.filter((x) => x.dismissed).length;
    }
    if (peers < this.p('OVS-02', 'minPeers')) return;
    const rate = mine.filter((x) => x.dismissed).length / mine.length;
    const peerRate = peerDismissed / peerN;
    if (rate >= peerRate + this.p('OVS-02', 'margin') && rate >= peerRate * this.p('OVS-02', 'ratio')) {
      this.lastOvs02.set(r.actor, r.ts);
      const pct = (x: number) => `${Math.round(x * 100)} %`;
      out.push(this.alert('OVS-02', r, r.actor, 'discipline',
        `${r.actor} dismissed ${pct(rate)} of ${mine.length} resolved tasks in ${this.p('OVS-02', 'windowDays')} days; ${peers} peers ${pct(peerRate)}`,
        { resolved: mine.length, dismissal_rate: rate, peer_rate: peerRate, peers, officer: r.actorOfficer || null }, mine.map((x) => x.seq), [r.actor]));
    }
  }

  private ovs03(r: OversightRecord, task: string, out: OversightAlert[]): void {
    const subject = str(r.details.subject);
    if (!subject || !task) return;
    const window = this.p('OVS-03', 'windowDays') * DAY;
    const actors = [r.actor, str(r.details.approved_by)].filter((a) => a && a !== 'system');
    const l = (this.reassigns.get(subject) ?? []).filter((x) => x.ts > r.ts - window);
    l.push({ ts: r.ts, task, seq: r.seq, actors });
    if (l.length >= this.p('OVS-03', 'minReassignments')) {
      const who = [...new Set(l.flatMap((x) => x.actors))].sort();
      out.push(this.alert('OVS-03', r, subject, 'subject',
        `the tasks of ${subject} were reassigned ${l.length} times within ${this.p('OVS-03', 'windowDays')} days (by ${who.join(', ')})`,
        { tasks: [...new Set(l.map((x) => x.task))], reassigned_by: who }, l.map((x) => x.seq), who));
      this.reassigns.delete(subject);
    } else {
      this.reassigns.set(subject, l);
    }
  }
}
