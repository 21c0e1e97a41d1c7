/**
 * Risk scores (docs/risk.md): an officer's explained score as of a day, computed by ClickHouse from
 * the rollups; every officer's daily snapshot recomputed whenever a task is resolved (coalesced: one
 * computation at a time, one more if resolutions arrived meanwhile) and once at start.
 */
import type { Observable, Subscription } from 'rxjs';
import type { Store } from '../../sql/store.js';
import type { Logger } from '../log.js';
import type { TaskRow } from '../../sql/queries/tasks.js';
import { bureauRiskByMonth, officerRiskParts, officerRiskSeries, recomputeScores, type BureauRiskPoint, type RiskPoint } from '../../sql/queries/risk.js';
import { explainPart, scoreOf, type RiskParams, type ScorePart } from '../../streams/risk/model.js';
import { localDate } from '../../streams/time.js';

export interface RiskDeps { store: Store; clock: () => number; log: Logger; params: RiskParams; taskChanges$: Observable<TaskRow> }

export interface OfficerRisk {
  officer: string; as_of: string; score: number; parts: (ScorePart & { text: string })[]; series: RiskPoint[]; model: RiskParams;
}

export class RiskService {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly sub: Subscription;

  constructor(private readonly deps: RiskDeps) {
    // A resolution (and a send-back, which takes one away) changes the weights, so every score.
    this.sub = deps.taskChanges$.subscribe((t) => { if (t.state === 'resolved' || t.state === 'investigating') void this.schedule(); });
  }

  stop(): void { this.sub.unsubscribe(); }

  /** The model's parameters (docs/risk.md). */
  get params(): RiskParams { return this.deps.params; }

  /** Today's snapshot of every officer, recomputed now (or right after the computation running now). */
  schedule(): Promise<void> {
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await recomputeScores(this.deps.store, localDate(this.deps.clock()), this.deps.params, this.deps.clock());
        } catch (err) {
          this.deps.log.warn('risk scores not recomputed', err instanceof Error ? err.message : err);
        }
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  /** Resolves once no recomputation is running or queued. */
  async idle(): Promise<void> { while (this.running) await this.running; }

  async officer(officer: string, asOf: string = localDate(this.deps.clock()), seriesFrom?: string): Promise<OfficerRisk> {
    const from = seriesFrom ?? localDate(this.deps.clock() - 365 * 86_400_000);
    const [parts, series] = await Promise.all([
      officerRiskParts(this.deps.store, officer, asOf, this.deps.params), officerRiskSeries(this.deps.store, officer, from),
    ]);
    return { officer, as_of: asOf, score: scoreOf(parts), parts: parts.map((p) => ({ ...p, text: explainPart(p) })), series, model: this.deps.params };
  }

  bureaus(fromDay: string, bureau?: string): Promise<BureauRiskPoint[]> { return bureauRiskByMonth(this.deps.store, fromDay, bureau); }
}
