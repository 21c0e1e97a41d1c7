/** Oversight alerts (OVS-01..04) for HQ leaders: the list, its exact counts per indicator (from the server), the definitions. */
import { request, type OversightAlertDTO, type ResponseOf } from '../api';
import { errorText } from '../errors';

type Indicators = ResponseOf<'GET /api/oversight/indicators'>['indicators'];

export class OversightState {
  alerts = $state.raw<OversightAlertDTO[]>([]);
  counts = $state.raw<Record<string, number>>({});
  total = $state(0);
  next = $state<string | null>(null);
  indicators = $state.raw<Indicators>([]);
  indicator = $state('');
  error = $state('');
  loading = $state(false);

  async load(more = false): Promise<void> {
    this.loading = true; this.error = '';
    try {
      const [r, defs] = await Promise.all([
        request('GET /api/oversight/alerts', { query: { indicator: this.indicator || undefined, limit: 100, cursor: more ? this.next ?? undefined : undefined } }),
        this.indicators.length ? Promise.resolve(null) : request('GET /api/oversight/indicators'),
      ]);
      this.alerts = more ? [...this.alerts, ...r.alerts] : r.alerts;
      this.counts = r.counts;
      this.total = r.total;
      this.next = r.next;
      if (defs) this.indicators = defs.indicators;
    } catch (e) { this.error = errorText(e); }
    finally { this.loading = false; }
  }
}
