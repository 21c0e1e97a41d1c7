/**
 * The officer profile's data (docs/officer-profile.md): the figures of GET /api/officers/:id/profile
 * (every one computed by the server), the officer's latest alerts and cases as lists. A newer load
 * supersedes an older one; a profile the user may not see ends as `denied` (the server's 403/404).
 */
import { ApiError, request, type AlertDTO, type CaseDTO, type OfficerProfile } from '../api';
import { errorText } from '../errors';

export interface ProfileQuery { id: string; from?: string; to?: string }

export class OfficerProfileData {
  profile = $state.raw<OfficerProfile | null>(null);
  alerts = $state.raw<AlertDTO[]>([]);
  cases = $state.raw<CaseDTO[]>([]);
  loading = $state(false);
  /** 'forbidden' (403) or 'not_found' (404: no such officer, or one outside the user's scope). */
  denied = $state<'forbidden' | 'not_found' | null>(null);
  error = $state('');
  private seq = 0;

  async load(q: ProfileQuery): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    this.denied = null;
    this.error = '';
    if (this.profile?.officer.id !== q.id) { this.profile = null; this.alerts = []; this.cases = []; }
    try {
      const [profile, alerts, cases] = await Promise.all([
        request('GET /api/officers/:id/profile', { params: { id: q.id }, query: { from: q.from, to: q.to } }),
        request('GET /api/alerts', { query: { officer: q.id, limit: 20 } }),
        request('GET /api/cases', { query: { officer: q.id, limit: 20 } }),
      ]);
      if (seq !== this.seq) return;
      this.profile = profile;
      this.alerts = alerts.alerts;
      this.cases = cases.cases;
    } catch (e) {
      if (seq !== this.seq) return;
      this.profile = null;
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) this.denied = e.status === 403 ? 'forbidden' : 'not_found';
      else this.error = errorText(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Every figure of the view is on screen (the browser tests wait on this). */
  get ready(): boolean { return !!this.profile && !this.loading; }
}
