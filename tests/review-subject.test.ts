/**
 * Issue 13 point 7 (part): a review's integrity_suspicion always has a subject officer. An item only
 * the system handled cannot be found an integrity suspicion (400 naming `outcome`; a process finding
 * is accepted); an item a person handled can, and its risk task's subject is that person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, postEvents, startTestApp } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let admin: string;
beforeAll(async () => { app = await startTestApp({ REVIEW_DAILY: '0' }); admin = await login(app.url); });
afterAll(async () => { await app?.close(); });

const officer = (id: string) => ref.officers.find((o) => o.id === id)!;
const matter = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
const t0 = Date.UTC(2026, 9, 13, 2, 0, 0); // Tue 10:00 Asia/Shanghai
const human = ref.officers.find((o) => o.bureau === 'B04' && o.role === 'tax')!;

describe('integrity suspicion needs a subject', () => {
  it('refuses it for an item only the system handled, accepts it for one a person handled (with that person as subject)', async () => {
    const ev = (id: string, dt: number, bureau: string, officerId: string, item: string, action: string) => ({
      id, ts: new Date(t0 + dt * 60_000).toISOString(), platform: 'service', bureau, officer: officerId, matter: matter.code, item, action,
    });
    const events = [
      ev('rs-1', 0, 'B03', 'system', 'RS-SYS', 'issue'), ev('rs-2', 1, 'B03', 'system', 'RS-SYS', 'complete'),
      ev('rs-3', 0, 'B04', 'system', 'RS-HUM', 'issue'), ev('rs-4', 1, 'B04', human.id, 'RS-HUM', 'accept'), ev('rs-5', 2, 'B04', human.id, 'RS-HUM', 'complete'),
    ];
    expect((await postEvents(app.url, events)).status).toBe(202);
    const d = await api(app.url, admin, '/api/reviews/draw', { method: 'POST', body: { from: new Date(t0 - 3600_000).toISOString(), to: new Date(t0 + 3600_000).toISOString() } });
    expect(d.status).toBe(201);
    const reviews = d.json.reviews as any[];
    const sys = reviews.find((r) => r.item === 'RS-SYS');
    const hum = reviews.find((r) => r.item === 'RS-HUM');
    expect(sys && hum).toBeTruthy();
    expect(sys.handler).toBe('');
    expect(hum.handler).toBe(human.id);
    const as = async (officerId: string) => {
      const o = officer(officerId);
      const username = `rs-${officerId}`;
      expect((await api(app.url, admin, '/api/users', { method: 'POST', body: { username, password: 'Reviewer-pass-5521q', role: 'tax', bureau: o.bureau, officer: o.id } })).status).toBe(201);
      return login(app.url, username, 'Reviewer-pass-5521q');
    };
    const submit = (token: string, id: string, body: unknown) => api(app.url, token, `/api/reviews/${id}/submit`, { method: 'POST', body });
    const sysReviewer = await as(sys.reviewers[0]);
    const refused = await submit(sysReviewer, sys.id, { outcome: 'integrity_suspicion', note: 'looks odd' });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/^outcome: /);
    const proc = await submit(sysReviewer, sys.id, { outcome: 'non_compliant', aspect: 'process', note: 'completed without a step' });
    expect(proc.status).toBe(200);
    expect(proc.json.state).toBe('decided');
    // Positive control: the human-handled item.
    const humReviewers = await Promise.all((hum.reviewers as string[]).map(as));
    let last: any;
    for (const tk of humReviewers) last = await submit(tk, hum.id, { outcome: 'integrity_suspicion', note: 'favouritism suspected' });
    expect(last.status).toBe(200);
    expect(last.json.task_id).toMatch(/^TK-/);
    const task = await api(app.url, admin, `/api/tasks/${last.json.task_id}`);
    expect(task.json.subject_officer).toBe(human.id);
  });
});
