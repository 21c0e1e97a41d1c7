/**
 * The closed loop end to end, with the real embedded ClickHouse and real HTTP: events → alert →
 * risk task → reproducible draw → accept → resolve → close by a second person; the sampling draw;
 * the audit chain and its tamper detection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { sampleSize } from '../streams/workflow/sampling.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let admin: string;

const ref = defaultReference;
const officer = (id: string) => ref.officers.find((o) => o.id === id)!;
const taxOf = (b: string, minLevel = 1) => ref.officers.filter((o) => o.bureau === b && o.role === 'tax' && o.level >= minLevel);
const nonPower = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
const power = ref.matters.find((m) => m.power && m.category !== 'inspection')!;
const iso = (t: number) => new Date(t).toISOString();

beforeAll(async () => {
  app = await startTestApp({ KPI_PUSH_MS: '300' });
  admin = await login(app.url);
});
afterAll(async () => { await app?.close(); });

describe('risk tasks: the whole loop', () => {
  const subject = taxOf('B01')[0]!;
  const approverPeer = taxOf('B01', 4)[0]!;
  let taskId = '';

  it('an alert opens a task, a second alert of the same subject and indicator attaches, the draw picks an eligible officer', async () => {
    // Self-approval (PRC-01, high) twice by the same officer on two items, on a weekday in working hours.
    const t0 = Date.UTC(2026, 10, 24, 2, 0, 0); // Tue 10:00 Asia/Shanghai
    const ev = (id: string, dt: number, action: string, item: string, who = subject.id) => ({
      id, ts: iso(t0 + dt * 60_000), platform: 'service', bureau: 'B01', officer: who, matter: nonPower.code, item, action, window: ref.windows.find((w) => w.bureau === 'B01')!.code,
    });
    const events = [
      ev('wf-1', 0, 'issue', 'WF-I1', 'system'), ev('wf-2', 1, 'accept', 'WF-I1'), ev('wf-3', 2, 'approve', 'WF-I1'), ev('wf-4', 3, 'complete', 'WF-I1'),
      ev('wf-5', 10, 'issue', 'WF-I2', 'system'), ev('wf-6', 11, 'handle', 'WF-I2'), ev('wf-7', 12, 'approve', 'WF-I2'), ev('wf-8', 13, 'complete', 'WF-I2'),
      ev('wf-9', 20, 'handle', 'WF-I3', approverPeer.id),
    ];
    const r = await postEvents(app.url, events);
    expect(r.status).toBe(202);
    const task = await eventually(async () => {
      const l = await api(app.url, admin, `/api/tasks?indicator=PRC-01`);
      const t = (l.json.tasks as any[]).find((x) => x.subject_officer === subject.id);
      return t && t.alert_count === 2 && t.state === 'assigned' ? t : undefined;
    }, 30_000);
    taskId = task.id;
    expect(task.severity).toBe('high');
    expect(task.source).toBe('alert');
    expect(new Date(task.deadline).getTime() - new Date(task.created_at).getTime()).toBe(72 * 3600_000);
    expect(task.overdue).toBe(false);
    // Exactly one task for the subject + indicator.
    const all = (await api(app.url, admin, `/api/tasks?indicator=PRC-01`)).json.tasks.filter((x: any) => x.subject_officer === subject.id);
    expect(all).toHaveLength(1);
    // The assignee is eligible: a discipline officer, not the subject, not of B01, not a handler of evidence.
    const a = officer(task.assignee);
    expect(a.role).toBe('discipline');
    expect(a.bureau).not.toBe('B01');
    expect(a.id).not.toBe(subject.id);

    const detail = await api(app.url, admin, `/api/tasks/${taskId}`);
    expect(detail.status).toBe(200);
    expect(detail.json.alerts).toHaveLength(2);
    expect(detail.json.events.length).toBeGreaterThanOrEqual(4);
    expect(detail.json.draw.pick).toBe(task.assignee);
    expect(detail.json.draw.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(detail.json.draw.candidates.every((c: any) => officer(c.officer).bureau !== 'B01')).toBe(true);
    expect(detail.json.history.map((h: any) => h.action)).toEqual(['create', 'assign', 'attach']);
    // The alerts carry the task link.
    const alert = await api(app.url, admin, `/api/alerts/${detail.json.alert_ids[0]}`);
    expect(alert.json.task_id).toBe(taskId);
  });

  it('the stored draw recomputes identically', async () => {
    const v = await api(app.url, admin, `/api/tasks/${taskId}/draw/verify`);
    expect(v.status).toBe(200);
    expect(v.json.ok).toBe(true);
    expect(v.json.assigned_by_draw).toBe(true);
    expect(v.json.draws[0].weights_match).toBe(true);
    expect(v.json.draws[0].pick_match).toBe(true);
  });

  let assigneeUser = '';
  it('reassign needs a reason and an eligible officer, takes effect only on a second person\'s approval, and is recorded as an override', async () => {
    const d = (await api(app.url, admin, `/api/tasks/${taskId}`)).json;
    const users = (await api(app.url, admin, '/api/users')).json.users as any[];
    // A demo discipline user among the candidates, other than the drawn assignee: they investigate next.
    const cand = users.find((u) => u.role === 'discipline' && u.officer !== d.assignee && d.draw.candidates.some((c: any) => c.officer === u.officer));
    expect(cand).toBeTruthy();
    assigneeUser = cand.username;
    const other = cand.officer as string;
    expect((await api(app.url, admin, `/api/tasks/${taskId}/reassign`, { method: 'POST', body: { assignee: other } })).status).toBe(400);
    const sameBureau = ref.officers.find((o) => o.role === 'discipline' && o.bureau === 'B01')!;
    const bad = await api(app.url, admin, `/api/tasks/${taskId}/reassign`, { method: 'POST', body: { assignee: sameBureau.id, reason: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^assignee: /);
    const proposed = await api(app.url, admin, `/api/tasks/${taskId}/reassign`, { method: 'POST', body: { assignee: other, reason: 'workload balance' } });
    expect(proposed.status).toBe(202);
    expect(proposed.json.proposal.state).toBe('pending');
    expect((await api(app.url, admin, `/api/tasks/${taskId}`)).json.assignee).toBe(d.assignee);
    const leader = await login(app.url, 'leader');
    const approved = await api(app.url, leader, `/api/proposals/${proposed.json.proposal.id}/approve`, { method: 'POST', body: {} });
    expect(approved.status).toBe(200);
    const ok = (await api(app.url, admin, `/api/tasks/${taskId}`)).json;
    expect(ok.assignee).toBe(other);
    expect(ok.override).toBe(true);
    expect(ok.assigner).toBe('admin');
  });

  it('tax officers may not see tasks; the assignee accepts and resolves, an administrator may not; the resolver may not close; a leader closes', async () => {
    const tax = await login(app.url, 'tax1');
    expect((await api(app.url, tax, '/api/tasks')).status).toBe(403);
    const leader = await login(app.url, 'leader');
    const me = await login(app.url, assigneeUser);
    expect((await api(app.url, leader, `/api/tasks/${taskId}/accept`, { method: 'POST', body: {} })).status).toBe(403);
    expect((await api(app.url, admin, `/api/tasks/${taskId}/accept`, { method: 'POST', body: {} })).status).toBe(403);
    const acc = await api(app.url, me, `/api/tasks/${taskId}/accept`, { method: 'POST', body: {} });
    expect(acc.json.state).toBe('investigating');
    expect((await api(app.url, me, `/api/tasks/${taskId}/resolve`, { method: 'POST', body: { result: 'confirmed' } })).status).toBe(400);
    expect((await api(app.url, leader, `/api/tasks/${taskId}/close`, { method: 'POST', body: {} })).status).toBe(409);
    const res = await api(app.url, me, `/api/tasks/${taskId}/resolve`, { method: 'POST', body: { result: 'confirmed', finding: 'Self-approval on two items confirmed.' } });
    expect(res.json.state).toBe('resolved');
    expect(res.json.result).toBe('confirmed');
    const self = await api(app.url, me, `/api/tasks/${taskId}/close`, { method: 'POST', body: {} });
    expect(self.status).toBe(403);
    expect((await api(app.url, admin, `/api/tasks/${taskId}/close`, { method: 'POST', body: {} })).status).toBe(403);
    const closed = await api(app.url, leader, `/api/tasks/${taskId}/close`, { method: 'POST', body: { note: 'signed off' } });
    expect(closed.status).toBe(200);
    expect(closed.json.state).toBe('closed');
    expect(closed.json.closer).toBe('leader');
    const hist = await api(app.url, admin, `/api/tasks/${taskId}/history`);
    expect(hist.json.history.map((h: any) => h.action)).toEqual(['create', 'assign', 'attach', 'reassign', 'accept', 'resolve', 'close']);
    expect(hist.json.history.find((h: any) => h.action === 'reassign').reason).toBe('workload balance');
    const d = (await api(app.url, admin, `/api/tasks/${taskId}`)).json;
    expect(d.alerts.every((a: any) => a.status === 'closed' && a.task_id === taskId)).toBe(true);
    // Confirmed share per indicator reaches GET /api/indicators through the rollup.
    const inds = await api(app.url, admin, '/api/indicators');
    const prc = inds.json.indicators.find((i: any) => i.id === 'PRC-01');
    expect(prc.resolved).toBeGreaterThanOrEqual(1);
    expect(prc.confirmed).toBeGreaterThanOrEqual(1);
  });
});

describe('risk tasks after a crash', () => {
  it('gives a task to an alert that was stored but never turned into one', async () => {
    // As if the process died between storing the alert and opening its task.
    const { insertAlerts } = await import('../sql/queries/alerts.js');
    const subject = taxOf('B03')[0]!;
    const alert = {
      id: 'orphan-alert-1', indicator: 'TSK-02', indicator_version: 1, category: 'process' as const, severity: 'medium' as const,
      ts: Date.UTC(2026, 10, 20, 2), detected_at: Date.UTC(2026, 10, 20, 2, 0, 5), bureau: 'B03', officer: subject.id, taxpayer: null,
      item: 'orphan-item', matter: power.code, evidence: ['orphan-ev'], message: { zh: '手工分配', en: 'Manual assignment' }, status: 'open' as const,
    };
    await insertAlerts(app.ctx.store, [alert], Date.now());
    const tasks = app.ctx.services.tasks;
    expect(await tasks.adoptOrphans()).toBe(1);
    const list = await api(app.url, admin, '/api/tasks?indicator=TSK-02');
    const t = list.json.tasks.find((x: { subject_officer: string }) => x.subject_officer === subject.id);
    expect(t).toBeTruthy();
    const one = await api(app.url, admin, `/api/alerts/orphan-alert-1`);
    expect(one.json.task_id).toBe(t.id);
    expect(await tasks.adoptOrphans()).toBe(0);
  });

  it('turns a burst of alerts over many subjects into assigned tasks, each with its history, draw, alert links and audit records', async () => {
    const { insertAlerts } = await import('../sql/queries/alerts.js');
    const subjects = ['B04', 'B05', 'B06', 'B07'].flatMap((b) => taxOf(b).slice(0, 6));
    const alerts = subjects.map((s, i) => ({
      id: `burst-alert-${i}`, indicator: 'TSK-03', indicator_version: 1, category: 'process' as const, severity: 'medium' as const,
      ts: Date.UTC(2026, 10, 21, 2, i), detected_at: Date.UTC(2026, 10, 21, 2, i, 5), bureau: s.bureau, officer: s.id, taxpayer: null,
      item: `burst-item-${i}`, matter: power.code, evidence: [`burst-ev-${i}`], message: { zh: '突发', en: 'Burst' }, status: 'open' as const,
    }));
    await insertAlerts(app.ctx.store, alerts, Date.now());
    const tasks = app.ctx.services.tasks;
    await tasks.onAlerts(alerts);
    const list = (await api(app.url, admin, '/api/tasks?indicator=TSK-03&limit=1000')).json.tasks as any[];
    const bySubject = new Map(list.map((t) => [t.subject_officer, t]));
    for (const [i, s] of subjects.entries()) {
      const t = bySubject.get(s.id);
      expect(t, s.id).toBeTruthy();
      expect(t.state).toBe('assigned');
      expect(officer(t.assignee).bureau).not.toBe(s.bureau);
      const detail = (await api(app.url, admin, `/api/tasks/${t.id}`)).json;
      expect(detail.history.map((h: any) => h.action)).toEqual(['create', 'assign']);
      expect(detail.draw.pick).toBe(t.assignee);
      expect((await api(app.url, admin, `/api/alerts/burst-alert-${i}`)).json.task_id).toBe(t.id);
    }
    expect((await api(app.url, admin, `/api/tasks/${bySubject.get(subjects[0]!.id).id}/draw/verify`)).json.ok).toBe(true);
    expect((await api(app.url, admin, '/api/audit/verify')).json.ok).toBe(true);
  });
});

describe('sampling review', () => {
  const P0 = Date.UTC(2026, 10, 2, 16, 0, 0); // Tue 2026-11-03 00:00 Asia/Shanghai
  const P1 = P0 + 86400_000;
  const sizes: Record<string, number> = { B02: 25, B03: 10, B05: 3 };
  const handlersByItem = new Map<string, string[]>();

  it('draws ceil(10 %) per bureau and never assigns a handler', async () => {
    const events: any[] = [];
    let n = 0;
    for (const [b, count] of Object.entries(sizes)) {
      const tax = taxOf(b);
      const approvers = taxOf(b, 3);
      for (let i = 0; i < count; i++) {
        const item = `SR-${b}-${i}`;
        const m = i % 3 === 0 ? power : nonPower;
        const h = tax[i % tax.length]!, ap = approvers.find((o) => o.id !== h.id)!;
        const t = P0 + 2 * 3600_000 + i * 60_000; // 10:00 local onwards
        const e = (action: string, who: string, dt: number) => ({ id: `sr-${n++}`, ts: iso(t + dt * 1000), platform: 'service', bureau: b, officer: who, matter: m.code, item, action });
        events.push(e('issue', 'system', 0), e('handle', h.id, 10), e('approve', ap.id, 20), e('complete', h.id, 30));
        handlersByItem.set(item, [h.id, ap.id]);
      }
    }
    expect((await postEvents(app.url, events)).status).toBe(202);
    await eventually(async () => {
      const c = await app.ctx.store.query<{ c: number }>(`SELECT count() AS c FROM events WHERE item LIKE 'SR-%' AND action = 'complete'`);
      return Number(c[0]!.c) === 38 ? true : undefined;
    });
    const r = await api(app.url, admin, '/api/reviews/draw', { method: 'POST', body: { from: iso(P0), to: iso(P1) } });
    expect(r.status).toBe(201);
    expect(r.json.draw.seed).toMatch(/^[0-9a-f]{32}$/);
    const strata = Object.fromEntries((r.json.draw.strata as any[]).map((s) => [s.bureau, s]));
    for (const [b, count] of Object.entries(sizes)) {
      expect(strata[b].population).toBe(count);
      expect(strata[b].sampled).toBe(sampleSize(count, 0.1));
    }
    expect(sampleSize(25, 0.1)).toBe(3);
    expect(r.json.reviews).toHaveLength(3 + 1 + 1);
    for (const rv of r.json.reviews) {
      const handlers = handlersByItem.get(rv.item)!;
      expect(rv.bureau).toBe(rv.item.split('-')[1]);
      expect(rv.reviewers.length).toBe(rv.power ? 2 : 1);
      expect(rv.kind).toBe(rv.power ? 'joint' : 'cross');
      for (const id of rv.reviewers) {
        expect(handlers).not.toContain(id);
        expect(officer(id).bureau).not.toBe(rv.bureau);
        expect(officer(id).level).toBeGreaterThanOrEqual(3);
      }
      expect(rv.handlers.sort()).toEqual([...handlers].sort());
    }
    // A second draw of the same period finds nothing new (no item is drawn twice).
    const again = await api(app.url, admin, '/api/reviews/draw', { method: 'POST', body: { from: iso(P0), to: iso(P1) } });
    expect(again.json.reviews.filter((x: any) => r.json.reviews.some((y: any) => y.item === x.item))).toHaveLength(0);
  });

  it('joint disagreement goes to a third reviewer; an integrity suspicion opens a risk task', async () => {
    const list = (await api(app.url, admin, '/api/reviews?state=pending')).json.reviews as any[];
    const joint = list.find((x) => x.kind === 'joint');
    const cross = list.find((x) => x.kind === 'cross');
    expect(joint && cross).toBeTruthy();
    // Each reviewer submits as themselves: a login linked to the reviewer's officer.
    const tokens = new Map<string, string>();
    const as = async (officerId: string) => {
      if (!tokens.has(officerId)) {
        const username = `rv-${officerId}`;
        const o = officer(officerId);
        const c = await api(app.url, admin, '/api/users', { method: 'POST', body: { username, password: 'Reviewer-pass-7731x', role: 'tax', bureau: o.bureau, officer: o.id } });
        expect(c.status).toBe(201);
        tokens.set(officerId, await login(app.url, username, 'Reviewer-pass-7731x'));
      }
      return tokens.get(officerId)!;
    };
    const submit = async (id: string, body: { reviewer: string; [k: string]: unknown }) => api(app.url, await as(body.reviewer), `/api/reviews/${id}/submit`, { method: 'POST', body });
    expect((await submit(joint.id, { reviewer: joint.reviewers[0], outcome: 'non_compliant', note: 'x' })).status).toBe(400);
    // Nobody submits in another's name: not an administrator, not another reviewer.
    expect((await api(app.url, admin, `/api/reviews/${joint.id}/submit`, { method: 'POST', body: { reviewer: joint.reviewers[0], outcome: 'compliant' } })).status).toBe(403);
    expect((await api(app.url, await as(joint.reviewers[1]), `/api/reviews/${joint.id}/submit`, { method: 'POST', body: { reviewer: joint.reviewers[0], outcome: 'compliant' } })).status).toBe(403);
    const s1 = await submit(joint.id, { reviewer: joint.reviewers[0], outcome: 'compliant', note: '' });
    expect(s1.json.state).toBe('pending');
    const s2 = await submit(joint.id, { reviewer: joint.reviewers[1], outcome: 'non_compliant', aspect: 'policy', note: 'wrong rate applied' });
    expect(s2.json.state).toBe('escalated');
    expect(s2.json.reviewers).toHaveLength(3);
    const third = s2.json.reviewers[2];
    expect(joint.handlers).not.toContain(third);
    expect(officer(third).bureau).not.toBe(joint.bureau);
    const s3 = await submit(joint.id, { reviewer: third, outcome: 'non_compliant', aspect: 'policy', note: 'agree with reviewer 2' });
    expect(s3.json.state).toBe('decided');
    expect(s3.json.outcome).toBe('non_compliant');
    expect(s3.json.aspect).toBe('policy');

    const s4 = await submit(cross.id, { reviewer: cross.reviewers[0], outcome: 'integrity_suspicion', note: 'favouritism suspected' });
    expect(s4.json.state).toBe('decided');
    expect(s4.json.task_id).toMatch(/^TK-/);
    const task = await api(app.url, admin, `/api/tasks/${s4.json.task_id}`);
    expect(task.json.source).toBe('review');
    expect(task.json.review_id).toBe(cross.id);
    expect(task.json.subject_officer).toBe(cross.handler);
    expect(task.json.state).toBe('assigned');
    expect(officer(task.json.assignee).bureau).not.toBe(officer(cross.handler).bureau);
    const detail = await api(app.url, admin, `/api/reviews/${joint.id}`);
    expect(detail.json.history.map((h: any) => h.action)).toEqual(['create', 'submit', 'submit', 'escalate', 'submit', 'decide']);
    // The tax reviewer sees only their own reviews.
    const tax = await login(app.url, 'tax1');
    const mine = await api(app.url, tax, '/api/reviews');
    expect(mine.status).toBe(200);
    const me = (await api(app.url, admin, '/api/users')).json;
    const taxOfficer = (me.users ?? me).find((u: any) => u.username === 'tax1').officer;
    expect((mine.json.reviews as any[]).every((x) => x.reviewers.includes(taxOfficer))).toBe(true);
  });
});

describe('socket.io', () => {
  it("pushes kpi snapshots and task changes (without their evidence ids); tasks:mine answers the assignee's tasks, and none to an administrator (who never investigates)", async () => {
    const sock = connect(app.url, { auth: { token: admin }, transports: ['websocket'] });
    try {
      const kpi = await new Promise<any>((ok) => sock.once('kpi', ok));
      expect(kpi.scope).toEqual({ bureau: null });
      expect(typeof kpi.tasks_unfinished).toBe('number');
      const t = ((await api(app.url, admin, '/api/tasks?state=assigned&limit=1000')).json.tasks as any[]).find((x) => x.assignee);
      expect(t).toBeTruthy();
      // The administrator sees every task in the list, but "mine" is empty: on the socket and over HTTP.
      const adminMine = await new Promise<any>((ok) => sock.emit('tasks:mine', {}, ok));
      expect(adminMine).toEqual({ ok: true, data: [] });
      expect((await api(app.url, admin, '/api/tasks?mine=1')).json.tasks).toEqual([]);
      const pushed = new Promise<any>((ok) => sock.on('task', (x: any) => { if (x.id === t.id) ok(x); }));
      // The assignee accepts (administrators never do): a login linked to the assigned officer.
      const o = officer(t.assignee);
      const username = `as-${o.id}`;
      const created = await api(app.url, admin, '/api/users', { method: 'POST', body: { username, password: 'Assignee-pass-9917q', role: 'discipline', bureau: o.bureau, officer: o.id } });
      expect([201, 409]).toContain(created.status);
      const assignee = await login(app.url, username, 'Assignee-pass-9917q');
      // Positive control: the assignee's tasks:mine has this task, and only tasks assigned to them.
      const as = connect(app.url, { auth: { token: assignee }, transports: ['websocket'] });
      try {
        const mine = await new Promise<any>((ok) => as.emit('tasks:mine', {}, ok));
        expect(mine.ok).toBe(true);
        expect((mine.data as any[]).map((x) => x.id)).toContain(t.id);
        expect((mine.data as any[]).every((x) => x.assignee === o.id)).toBe(true);
      } finally { as.close(); }
      expect(((await api(app.url, assignee, '/api/tasks?mine=1')).json.tasks as any[]).map((x) => x.id)).toContain(t.id);
      expect((await api(app.url, assignee, `/api/tasks/${t.id}/accept`, { method: 'POST', body: {} })).status).toBe(200);
      const x = await pushed;
      expect(x.state).toBe('investigating');
      expect(x.overdue).toBe(false);
      // The push names the task's alerts but not its evidence, which the task's own read has (and audits).
      const full = (await api(app.url, admin, `/api/tasks/${t.id}`)).json;
      expect(x.alert_ids).toEqual(full.alert_ids);
      expect(x.alert_count).toBe(full.alert_ids.length);
      expect(Array.isArray(full.evidence)).toBe(true);
      expect('evidence' in x).toBe(false);
    } finally {
      sock.close();
    }
  });
});

describe('audit trail', () => {
  it('records logins, task changes, draws and evidence reads in a verifiable chain; tampering is detected', async () => {
    const list = await api(app.url, admin, '/api/audit?limit=1000');
    expect(list.status).toBe(200);
    const actions = new Set((list.json.records as any[]).map((r) => r.action));
    for (const a of ['login', 'task_create', 'task_assign', 'assignment_draw', 'task_close', 'evidence_read', 'review_draw', 'review_submit']) expect(actions).toContain(a);
    const leader = await login(app.url, 'leader');
    expect((await api(app.url, leader, '/api/audit')).status).toBe(403);
    const ok = await api(app.url, admin, '/api/audit/verify');
    expect(ok.json.ok).toBe(true);
    expect(ok.json.count).toBeGreaterThan(10);
    await app.ctx.store.command(`ALTER TABLE audit_log UPDATE actor = 'mallory' WHERE seq = 5 SETTINGS mutations_sync = 2`);
    const broken = await api(app.url, admin, '/api/audit/verify');
    expect(broken.json.ok).toBe(false);
    expect(broken.json.first_broken.seq).toBe(5);
    expect(broken.json.count).toBe(4);
  });
});
