/**
 * The Cases view's state (docs/cases.md "The Cases view"): the list under its filters, paged with
 * the server's cursor (`next`), and one case with its tasks, alerts, timeline and the handovers
 * of its transferred tasks. Every step goes through the typed API client; after a step the case is
 * read again from the server, so what is shown is what the server holds.
 */
import { endpointUrl, request, ApiError, type CaseDTO, type CaseDetailDTO, type HandoverDTO, type HandoverStep } from '../api';
import { errorText } from '../errors';
import { handoverIdOf, type CaseStep } from '../cases';

export interface CaseFilters { state?: string; bureau?: string; officer?: string; assignee?: string; limit?: number }

export class CasesListState {
  rows = $state.raw<CaseDTO[]>([]);
  next = $state<string | null>(null);
  error = $state('');
  loading = $state(false);
  private gen = 0;
  private filters: CaseFilters = {};

  /** The first page under `filters`, or (`more`) the page after the last one shown. */
  async load(filters: CaseFilters, more = false): Promise<void> {
    const gen = more ? this.gen : ++this.gen;
    if (!more) this.filters = filters;
    const f = this.filters;
    this.loading = true;
    try {
      const r = await request('GET /api/cases', {
        query: { state: f.state, bureau: f.bureau, officer: f.officer, assignee: f.assignee, limit: f.limit ?? 50, cursor: more ? this.next ?? undefined : undefined },
      });
      if (gen !== this.gen) return;
      this.rows = more ? this.rows.concat(r.cases.filter((x) => !this.rows.some((y) => y.id === x.id))) : r.cases;
      this.next = r.next;
      this.error = '';
    } catch (e) {
      if (gen === this.gen) this.error = errorText(e);
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }
}

/** A transferred task's handover as shown: with its history, or not there yet (it is made right after the resolution). */
export type HandoverView = { state: 'ready'; handover: HandoverDTO & { history: HandoverStep[] }; packageUrl: string } | { state: 'pending' } | { state: 'error'; error: string };

export class CaseState {
  detail = $state.raw<CaseDetailDTO | null>(null);
  handovers = $state.raw<Record<string, HandoverView>>({});
  error = $state('');
  actionError = $state('');
  notice = $state('');
  busy = $state(false);
  private id = '';
  private gen = 0;

  async load(id: string): Promise<void> {
    if (id !== this.id) { this.detail = null; this.handovers = {}; this.actionError = ''; this.notice = ''; }
    this.id = id;
    const gen = ++this.gen;
    try {
      const d = await request('GET /api/cases/:id', { params: { id } });
      if (gen !== this.gen) return;
      this.detail = d;
      this.error = '';
      await this.loadHandovers(d, gen);
    } catch (e) {
      if (gen === this.gen) this.error = errorText(e);
    }
  }

  private async loadHandovers(d: CaseDetailDTO, gen: number): Promise<void> {
    const transferred = d.task_list.filter((t) => t.result === 'transferred');
    const entries = await Promise.all(transferred.map(async (t): Promise<[string, HandoverView]> => {
      const id = handoverIdOf(t.id);
      try {
        const h = await request('GET /api/handovers/:id', { params: { id } });
        return [t.id, { state: 'ready', handover: h, packageUrl: endpointUrl('/api/handovers/:id/package', { id }) }];
      } catch (e) {
        return [t.id, e instanceof ApiError && e.status === 404 ? { state: 'pending' } : { state: 'error', error: errorText(e) }];
      }
    }));
    if (gen === this.gen) this.handovers = Object.fromEntries(entries);
  }

  /** Whether a transferred task's handover is still to appear (the view reloads until it does). */
  get handoverPending(): boolean {
    return Object.values(this.handovers).some((h) => h.state === 'pending');
  }

  private async run(fn: () => Promise<unknown>, done: string): Promise<boolean> {
    if (!this.detail) return false;
    const id = this.detail.id;
    this.busy = true; this.actionError = ''; this.notice = '';
    try {
      await fn();
      this.notice = done;
      return true;
    } catch (e) {
      this.actionError = errorText(e);
      return false;
    } finally {
      this.busy = false;
      await this.load(id);
    }
  }

  /** A case step on `tasks`, or (`tasks` null) on the case as a whole: every task in the step's starting state. */
  step(step: CaseStep, tasks: string[] | null, fields: { result?: 'confirmed' | 'dismissed' | 'transferred'; finding?: string; note?: string }, done: string): Promise<boolean> {
    const id = this.detail?.id ?? '';
    const named = tasks ? { tasks } : {};
    return this.run(() => {
      if (step === 'accept') return request('POST /api/cases/:id/accept', { params: { id }, body: named });
      if (step === 'resolve') return request('POST /api/cases/:id/resolve', { params: { id }, body: { ...named, result: fields.result ?? 'confirmed', finding: fields.finding ?? '' } });
      return request('POST /api/cases/:id/close', { params: { id }, body: { ...named, note: fields.note || undefined } });
    }, done);
  }

  /** Sign-off refused for one task: back to investigating with the reason (per task, as in the Workbench). */
  sendBack(taskId: string, reason: string, done: string): Promise<boolean> {
    return this.run(() => request('POST /api/tasks/:id/send-back', { params: { id: taskId }, body: { reason } }), done);
  }

  /** A follow-up state of a handover (接收 with the receipt number, 初核, 立案, 处分 or 了结 with a note). */
  followUp(handoverId: string, state: 'received' | 'preliminary' | 'filed' | 'sanctioned' | 'closed', note: string, receiptNo: string, done: string): Promise<boolean> {
    return this.run(() => request('POST /api/handovers/:id/progress', {
      params: { id: handoverId }, body: { state, note: note.trim() || undefined, receipt_no: state === 'received' ? receiptNo : undefined },
    }), done);
  }
}
