/**
 * Leader reports produced on a schedule and on demand, stored in ClickHouse (migration 090) so that
 * a report fetched later is the one that was produced. The schedule runs on the injected clock:
 * every `checkMs` it makes the reports of the last completed week and month for the city and every
 * bureau that are not stored yet (so a stop over a period end is caught up at the next check).
 */
import type { Store } from '../../sql/store.js';
import type { AuditSink } from '../context.js';
import type { Logger } from '../log.js';
import type { ReferenceIndex } from '../../streams/reference/index.js';
import { existingReportIds, getLeaderReport, insertLeaderReport, listLeaderReports, type LeaderReportMeta } from '../../sql/queries/reports.js';
import { buildLeaderReport, lastCompleted, periodOf, REPORT_KINDS, type LeaderReportData, type Period, type ReportDeps, type ReportKind } from './leader.js';
import { failure, success, type Outcome } from '../outcome.js';

export interface ReportServiceDeps extends Omit<ReportDeps, 'reference'> {
  reference: () => ReferenceIndex;
  audit: AuditSink;
  clock: () => number;
  log: Logger;
}

export interface StoredReport { meta: LeaderReportMeta; data: LeaderReportData }

const ymd = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
export const scheduledReportId = (kind: ReportKind, scope: string, p: Period) => `rpt-${kind}-${scope}-${ymd(p.from)}`;

export class ReportService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: ReportServiceDeps) {}

  /** The scopes a schedule run covers: the city and every bureau but HQ (the city bureau's report is the city's). */
  scopes(): string[] {
    return ['city', ...[...this.deps.reference().bureaus.keys()].filter((b) => b !== 'HQ')];
  }

  private async produce(kind: ReportKind, scope: string, period: Period, id: string, trigger: 'schedule' | 'demand', by: string): Promise<StoredReport> {
    const now = this.deps.clock();
    const data = await buildLeaderReport({ ...this.deps, reference: this.deps.reference() }, kind, scope, period, now);
    const meta: LeaderReportMeta = { id, kind, scope, period_from: period.from, period_to: period.to, created_at: now, trigger, created_by: by };
    await insertLeaderReport(this.deps.store, { ...meta, data: JSON.stringify(data) });
    await this.deps.audit.record({ actor: by, action: 'report_create', target: `report:${id}`, details: { kind, scope, from: data.from, to: data.to, trigger } });
    return { meta, data };
  }

  /** Makes the missing scheduled reports of the last completed week and month; resolves to how many were made. */
  runSchedule(): Promise<number> {
    this.running ??= (async () => {
      const now = this.deps.clock();
      const wanted = REPORT_KINDS.flatMap((kind) => {
        const p = lastCompleted(kind, now);
        return this.scopes().map((scope) => ({ kind, scope, p, id: scheduledReportId(kind, scope, p) }));
      });
      const have = await existingReportIds(this.deps.store, wanted.map((w) => w.id));
      let made = 0;
      for (const w of wanted) {
        if (have.has(w.id)) continue;
        await this.produce(w.kind, w.scope, w.p, w.id, 'schedule', 'system');
        made++;
      }
      return made;
    })().finally(() => { this.running = null; });
    return this.running;
  }

  start(checkMs: number): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.runSchedule().catch((err) => this.deps.log.warn('scheduled reports failed', err instanceof Error ? err.message : err)).finally(tick);
      }, checkMs);
      this.timer.unref?.();
    };
    tick();
  }

  stop(): void { if (this.timer) clearTimeout(this.timer); this.timer = null; }

  /** On demand: the period containing `at` (default: the last completed one). */
  async create(kind: ReportKind, scope: string, at: number | undefined, by: string): Promise<Outcome<StoredReport>> {
    if (scope !== 'city' && !this.deps.reference().bureaus.has(scope)) return failure('bad_request', `scope: unknown bureau ${scope}`);
    const now = this.deps.clock();
    const period = at === undefined ? lastCompleted(kind, now) : periodOf(kind, at);
    if (period.from > now) return failure('bad_request', 'at: the period has not started yet');
    const id = `${scheduledReportId(kind, scope, period)}-d${now.toString(36)}`;
    return success(await this.produce(kind, scope, period, id, 'demand', by));
  }

  async get(id: string): Promise<StoredReport | null> {
    const row = await getLeaderReport(this.deps.store, id);
    if (!row) return null;
    const { data, ...meta } = row;
    return { meta, data: JSON.parse(data) as LeaderReportData };
  }

  list(q: { kind?: ReportKind; scopes: readonly string[] | null; limit: number }): Promise<LeaderReportMeta[]> {
    return listLeaderReports(this.deps.store, q);
  }
}
