/**
 * Cases (docs/cases.md) through the HTTP API, with the real embedded ClickHouse: alerts of three
 * indicators on one officer form one case, assigned by one verifiable draw; the case is handled as
 * one (accept all, resolve one task and then the rest, sign off); its timeline reads as one history;
 * scope and paging as for alerts.
 */
import { other, subject, threeIndicators } from './case-helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let admin: string;


beforeAll(async () => {
  app = await startTestApp();
  admin = await login(app.url);
});
afterAll(async () => { await app?.close(); });

const casesOf = async (officer: string) => (await api(app.url, admin, `/api/cases?officer=${officer}`)).json.cases as any[];

describe('cases', () => {
  let caseId = '';
  it('alerts of three indicators on one officer form one case, assigned by one draw, while another officer gets a case of their own', async () => {
    expect((await postEvents(app.url, [...threeIndicators(subject.id, 'B01', 'cs1', 'CS'), ...threeIndicators(other.id, 'B02', 'cs2', 'CS')])).status).toBe(202);
    const c = await eventually(async () => {
      const [only] = await casesOf(subject.id);
      const l = await api(app.url, admin, `/api/tasks?bureau=B01&limit=1000`);
      const tasks = (l.json.tasks as any[]).filter((t) => t.subject_officer === subject.id);
      const inds = new Set(tasks.map((t) => t.indicator));
      return only && ['PRC-01', 'SVC-01', 'SVC-02'].every((i) => inds.has(i)) && tasks.every((t) => t.state === 'assigned') && only.tasks.length === tasks.length ? { only, tasks } : undefined;
    }, 30_000);
    expect(await casesOf(subject.id)).toHaveLength(1);
    const { only, tasks } = c;
    caseId = only.id;
    expect(only.officer).toBe(subject.id);
    expect(only.bureau).toBe('B01');
    expect(only.state).toBe('assigned');
    expect(new Set(only.tasks)).toEqual(new Set(tasks.map((t: any) => t.id)));
    expect(new Set(only.alerts)).toEqual(new Set(tasks.flatMap((t: any) => t.alert_ids)));
    // One investigator: every task of the case has the case's assignee, drawn once.
    expect(only.assignee).toMatch(/\w/);
    expect(tasks.every((t: any) => t.assignee === only.assignee && t.case_id === only.id && t.draw_id === only.draw_id)).toBe(true);
    const drawn = tasks.filter((t: any) => t.id === only.draw_task);
    expect(drawn).toHaveLength(1);
    // Every task's assignment verifies against the case's draw, the ones that joined later included.
    for (const t of tasks) {
      const v = await api(app.url, admin, `/api/tasks/${t.id}/draw/verify`);
      expect(v.json.ok).toBe(true);
      expect(v.json.assigned_by_draw).toBe(true);
    }
    // The other officer: a case of their own (positive control of the grouping by officer).
    const theirs = await eventually(async () => { const l = await casesOf(other.id); return l.length ? l : undefined; });
    expect(theirs).toHaveLength(1);
    expect(theirs[0].id).not.toBe(caseId);
    expect(theirs[0].tasks.some((t: string) => only.tasks.includes(t))).toBe(false);
  });

  it('filters, paging and scope: a bureau leader sees their bureau only, a tax officer none', async () => {
    const all = (await api(app.url, admin, '/api/cases')).json.cases as any[];
    expect(all.length).toBeGreaterThanOrEqual(2);
    const p1 = await api(app.url, admin, '/api/cases?limit=1');
    expect(p1.json.cases).toHaveLength(1);
    expect(p1.json.next).toBeTruthy();
    const p2 = await api(app.url, admin, `/api/cases?limit=1&cursor=${p1.json.next}`);
    expect(p2.json.cases[0].id).not.toBe(p1.json.cases[0].id);
    expect((await api(app.url, admin, '/api/cases?state=assigned&bureau=B02')).json.cases.every((c: any) => c.bureau === 'B02' && c.state === 'assigned')).toBe(true);
    expect((await api(app.url, admin, '/api/cases?state=bogus')).status).toBe(400);
    const lb = await login(app.url, 'leader_b01');
    const mine = (await api(app.url, lb, '/api/cases')).json.cases as any[];
    expect(mine.map((c) => c.id)).toContain(caseId);
    expect(mine.every((c) => c.bureau === 'B01')).toBe(true);
    const b02 = (await casesOf(other.id))[0];
    expect((await api(app.url, lb, `/api/cases/${b02.id}`)).status).toBe(404);
    expect((await api(app.url, lb, `/api/cases?bureau=B02`)).status).toBe(400);
    const tax = await login(app.url, 'tax1');
    expect((await api(app.url, tax, '/api/cases')).status).toBe(403);
  });

  it('is handled as one: accepted together, one task resolved alone then the rest together, signed off by a second person; its timeline is one history', async () => {
    const c = (await api(app.url, admin, `/api/cases/${caseId}`)).json;
    const pw = 'Case-handler-pass-8841';
    const made = await api(app.url, admin, '/api/users', { method: 'POST', body: { username: 'casework', password: pw, role: 'discipline', bureau: 'HQ', officer: c.assignee } });
    expect(made.status).toBe(201);
    const me = await login(app.url, 'casework', pw);
    const leader = await login(app.url, 'leader');
    // Only the assignee accepts.
    expect((await api(app.url, leader, `/api/cases/${caseId}/accept`, { method: 'POST', body: {} })).status).toBe(403);
    const acc = await api(app.url, me, `/api/cases/${caseId}/accept`, { method: 'POST', body: {} });
    expect(acc.status).toBe(200);
    expect(acc.json.case.state).toBe('investigating');
    expect(acc.json.tasks.map((t: any) => t.id).sort()).toEqual([...c.tasks].sort());
    // One by one: the first task alone.
    const [first, ...rest] = c.tasks as string[];
    expect((await api(app.url, me, `/api/cases/${caseId}/resolve`, { method: 'POST', body: { tasks: ['TK-not-of-this-case'], result: 'confirmed', finding: 'x' } })).json.error.message).toMatch(/^tasks: /);
    expect((await api(app.url, me, `/api/cases/${caseId}/resolve`, { method: 'POST', body: { tasks: [first], result: 'maybe', finding: 'x' } })).json.error.message).toMatch(/^result: /);
    const one = await api(app.url, me, `/api/cases/${caseId}/resolve`, { method: 'POST', body: { tasks: [first], result: 'confirmed', finding: 'Self-approval confirmed from the records.' } });
    expect(one.status).toBe(200);
    expect(one.json.tasks.map((t: any) => t.id)).toEqual([first]);
    expect(one.json.case.state).toBe('investigating');
    // The rest together.
    const all = await api(app.url, me, `/api/cases/${caseId}/resolve`, { method: 'POST', body: { result: 'dismissed', finding: 'Explained by the duty roster.' } });
    expect(all.json.tasks.map((t: any) => t.id).sort()).toEqual([...rest].sort());
    expect(all.json.case.state).toBe('resolved');
    // Sign-off: not by the resolver; a leader closes every task.
    expect((await api(app.url, me, `/api/cases/${caseId}/close`, { method: 'POST', body: {} })).status).toBe(403);
    const closed = await api(app.url, leader, `/api/cases/${caseId}/close`, { method: 'POST', body: { note: 'signed off' } });
    expect(closed.status).toBe(200);
    expect(closed.json.case.state).toBe('closed');
    expect(closed.json.case.closed_at).toBeTruthy();
    expect((await api(app.url, leader, `/api/cases/${caseId}/close`, { method: 'POST', body: {} })).status).toBe(409);

    const d = (await api(app.url, admin, `/api/cases/${caseId}`)).json;
    expect(d.state).toBe('closed');
    expect(d.task_list.every((t: any) => t.state === 'closed' && t.closer === 'leader')).toBe(true);
    expect(d.task_list.find((t: any) => t.id === first).result).toBe('confirmed');
    expect(d.alert_list.every((a: any) => a.status === 'closed')).toBe(true);
    const tl = d.timeline as any[];
    const times = tl.map((e) => Date.parse(e.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const id of c.tasks) {
      const steps = tl.filter((e) => e.kind === 'task' && e.task === id).map((e) => e.action);
      expect(steps).toEqual(expect.arrayContaining(['create', 'assign', 'accept', 'resolve', 'close']));
      expect(tl.some((e) => e.kind === 'deadline' && e.task === id && e.details.met === true)).toBe(true);
    }
    expect(tl.some((e) => e.kind === 'audit' && e.action === 'draw_commit' && e.task === c.draw_task)).toBe(true);
    expect(tl.some((e) => e.kind === 'audit' && e.action === 'case_open')).toBe(true);
    expect(tl.filter((e) => e.kind === 'audit' && e.action === 'case_join')).toHaveLength(c.tasks.length - 1);
    // A new alert of the officer after the case was closed opens a new case.
    expect((await postEvents(app.url, threeIndicators(subject.id, 'B01', 'cs3', 'CS').slice(0, 4))).status).toBe(202);
    const next = await eventually(async () => { const l = await casesOf(subject.id); return l.length === 2 ? l : undefined; }, 30_000);
    expect(next.find((x: any) => x.id !== caseId).state).toBe('assigned');
  });

  it('masks taxpayers for analysts in a case as in alerts', async () => {
    const analyst = await login(app.url, 'analyst');
    const d = await api(app.url, analyst, `/api/cases/${caseId}`);
    expect(d.status).toBe(200);
    const seen = (await api(app.url, admin, `/api/cases/${caseId}`)).json.alert_list.map((a: any) => a.taxpayer).filter(Boolean);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((t: string) => t.startsWith('91310000CS'))).toBe(true);
    const masked = d.json.alert_list.map((a: any) => a.taxpayer).filter(Boolean);
    expect(masked.length).toBe(seen.length);
    for (const t of masked) expect(seen).not.toContain(t);
  });
});
