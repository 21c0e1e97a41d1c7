/** The leader reports view: the stored reports (GET /api/reports) and the one on screen (GET /api/reports/:id). */
import { request, type LeaderReportData, type ReportKind, type ReportMeta } from '../api';

export class ReportsState {
  list = $state.raw<ReportMeta[]>([]);
  current = $state.raw<(ReportMeta & { report: LeaderReportData }) | null>(null);
  error = $state('');
  busy = $state(false);

  async loadList(): Promise<void> {
    try { this.list = (await request('GET /api/reports', { query: { limit: 200 } })).reports; this.error = ''; } catch (e) { this.error = e instanceof Error ? e.message : String(e); }
  }

  async open(id: string): Promise<void> {
    if (this.current?.id === id) return;
    try { this.current = await request('GET /api/reports/:id', { params: { id } }); this.error = ''; } catch (e) { this.error = e instanceof Error ? e.message : String(e); }
  }

  /** Makes a report now; resolves to its id. */
  async create(kind: ReportKind, scope: string | undefined): Promise<string | null> {
    this.busy = true;
    try {
      const r = await request('POST /api/reports', { body: { kind, scope } });
      this.current = r;
      await this.loadList();
      return r.id;
    } catch (e) { this.error = e instanceof Error ? e.message : String(e); return null; } finally { this.busy = false; }
  }
}
