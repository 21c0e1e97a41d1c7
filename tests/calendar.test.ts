/** The working calendar through the API: GET/PUT /api/reference, and SVC-01 following it live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';
import { DAY, HOUR, localDate, localWeekStart, toIsoShanghai } from '../streams/time.js';

let app: RunningApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp();
  token = await login(app.url);
});
afterAll(async () => { await app?.close(); });

// A week in the recent past (events may not lie in the future): its Thursday becomes a holiday,
// its Saturday a make-up working day; the Wednesday and the Sunday are the controls.
const monday = localWeekStart(Date.now() - 14 * DAY);
const day = (n: number, hour: number) => monday + n * DAY + hour * HOUR;
const WED = day(2, 10), THU = day(3, 10), SAT = day(5, 10), SUN = day(6, 10);

async function svc01For(prefix: string): Promise<string[]> {
  const r = await api(app.url, token, '/api/alerts?indicator=SVC-01&limit=1000');
  expect(r.status).toBe(200);
  return (r.json.alerts as { evidence: string[] }[]).flatMap((a) => a.evidence).filter((id) => id.startsWith(prefix)).sort();
}

describe('the working calendar in reference data', () => {
  it('what GET /api/reference returns on a fresh server: the built-in State Council calendar', async () => {
    const r = await api(app.url, token, '/api/reference');
    expect(r.status).toBe(200);
    expect(r.json.calendar.holidays).toContain('2026-10-01');
    expect(r.json.calendar.workdays).toContain('2026-10-10');
  });

  it('what PUT /api/reference does with a bad calendar: 400 naming the field, nothing changed', async () => {
    const bad = await api(app.url, token, '/api/reference', { method: 'PUT', body: { calendar: { holidays: ['2026-02-30'], workdays: [] } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^calendar\.holidays\[0\]/);
    const both = await api(app.url, token, '/api/reference', { method: 'PUT', body: { calendar: { holidays: ['2026-10-10'], workdays: ['2026-10-10'] } } });
    expect(both.status).toBe(400);
    expect(both.json.error.message).toMatch(/^calendar\.workdays\[0\]/);
    const missing = await api(app.url, token, '/api/reference', { method: 'PUT', body: { calendar: { holidays: [] } } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/^calendar\.workdays/);
    expect((await api(app.url, token, '/api/reference')).json.calendar.holidays).toContain('2026-10-01');
  });

  it('what SVC-01 does after a holiday and a make-up Saturday are put through the API: it follows the new calendar', async () => {
    const ref = (await api(app.url, token, '/api/reference')).json;
    const matter = ref.matters.find((m: { power: boolean }) => m.power).code as string;
    const officer = ref.officers.find((o: { role: string }) => o.role === 'tax');
    const approve = (id: string, ts: number) => ({
      id, ts: toIsoShanghai(ts), platform: 'collection', bureau: officer.bureau, officer: officer.id, matter, item: `I-${id}`, action: 'approve',
    });

    // first a plain week, whatever the built-in calendar says of these dates
    const put1 = await api(app.url, token, '/api/reference', { method: 'PUT', body: { calendar: { holidays: [], workdays: [] } } });
    expect(put1.status).toBe(200);
    const v1 = put1.json.version as number;
    expect((await postEvents(app.url, [approve('b-wed', WED), approve('b-thu', THU), approve('b-sat', SAT), approve('b-sun', SUN)])).json.accepted).toBe(4);
    // positive control: on the plain week the Saturday and Sunday approvals are off-hours
    expect(await eventually(async () => { const got = await svc01For('b-'); return got.length >= 2 ? got : undefined; })).toEqual(['b-sat', 'b-sun']);

    const put2 = await api(app.url, token, '/api/reference', { method: 'PUT', body: { calendar: { holidays: [localDate(THU)], workdays: [localDate(SAT)] } } });
    expect(put2.status).toBe(200);
    expect(put2.json.version).toBe(v1 + 1);
    expect(put2.json.calendar).toEqual({ holidays: [localDate(THU)], workdays: [localDate(SAT)] });
    expect((await api(app.url, token, '/api/reference')).json.calendar).toEqual({ holidays: [localDate(THU)], workdays: [localDate(SAT)] });

    expect((await postEvents(app.url, [approve('a-wed', WED + 1), approve('a-sat', SAT + 1), approve('a-thu', THU + 1), approve('a-sun', SUN + 1)])).json.accepted).toBe(4);
    // the holiday Thursday now raises SVC-01, the make-up Saturday no longer does; the ordinary Sunday still does
    expect(await eventually(async () => { const got = await svc01For('a-'); return got.length >= 2 ? got : undefined; })).toEqual(['a-sun', 'a-thu']);
    await new Promise((r) => setTimeout(r, 700)); // one more alert-store flush (500 ms): nothing else arrives
    expect(await svc01For('a-')).toEqual(['a-sun', 'a-thu']);
    expect(await svc01For('b-')).toEqual(['b-sat', 'b-sun']); // alerts already raised stay

    const versions = await api(app.url, token, '/api/reference/versions');
    expect(versions.json.versions[0]).toMatchObject({ version: v1 + 1, lists: ['calendar'] });
  });
});
