/**
 * The officer profile (docs/officer-profile.md): one officer's figures for a period of whole
 * Asia/Shanghai days, each beside the peers of their section, every figure computed by ClickHouse
 * (sql/queries/officer-profile.ts); the risk score and its parts from the risk service.
 */
import type { Store } from '../../sql/store.js';
import type { Officer } from '../../streams/types.js';
import type { RiskService, OfficerRisk } from '../risk/service.js';
import {
  alertsQuery, casesQuery, officerSection, overdueQuery, profileRiskSeries, reviewsQuery,
  riskScoreQuery, runFigures, satisfactionQuery,
  type IndicatorCount, type PeerFigure, type ReviewCount, type RiskPeerPoint,
} from '../../sql/queries/officer-profile.js';
import { explainPart, scoreOf } from '../../streams/risk/model.js';
import { DAY, TZ_OFFSET_MS } from '../../streams/time.js';

export interface OfficerProfile {
  officer: { id: string; name: string; bureau: string; level: number; role: string; active: boolean };
  /** Whole Asia/Shanghai days, `to` included. */
  period: { from: string; to: string; days: number };
  /** The officer's section: their main business line in the period (null: no events, peers = the bureau's officers with events). */
  section: { bureau: string; line: string | null; peers: string[] };
  alerts: { total: PeerFigure; by_indicator: IndicatorCount[] };
  cases: { open: PeerFigure; closed: PeerFigure };
  reviews: { reviews: number; findings: number; findings_share: PeerFigure; by_outcome: ReviewCount[] };
  overdue: { due: number; overdue: number; rate: PeerFigure; section_rate: number | null };
  satisfaction: { ratings: number; low: number; score: PeerFigure; section_score: number | null };
  risk: { as_of: string; score: number; parts: OfficerRisk['parts']; peers: PeerFigure; series: RiskPeerPoint[] };
}

/** 'YYYY-MM-DD' (Asia/Shanghai) → the epoch ms of that day's start. */
export const dayStart = (d: string): number => Date.parse(`${d}T00:00:00Z`) - TZ_OFFSET_MS;
const dayOf = (ms: number): string => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 10);

export async function officerProfile(
  deps: { store: Store; risk: RiskService; clock: () => number },
  o: Officer, period: { from: string; to: string },
): Promise<OfficerProfile> {
  const from = dayStart(period.from), to = dayStart(period.to) + DAY;
  const today = dayOf(deps.clock());
  const asOf = period.to < today ? period.to : today;
  const sec = await officerSection(deps.store, { officer: o.id, bureau: o.bureau, from, to });
  const s = { officer: o.id, bureau: o.bureau, peers: sec.peers, from, to };
  // The figures in one round trip (one read per rollup; the score's parts with the peers' scores); the risk series beside.
  const [figs, series] = await Promise.all([
    runFigures(deps.store, {
      alerts: alertsQuery(s), cases: casesQuery(s), reviews: reviewsQuery(s), overdue: overdueQuery(s),
      satisfaction: satisfactionQuery(s), riskPeers: riskScoreQuery(s, asOf, deps.risk.params),
    }),
    profileRiskSeries(deps.store, s),
  ]);
  const { alerts, cases, reviews, overdue, satisfaction, riskPeers } = figs;
  // Score and parts as GET /api/officers/:id/risk gives them (server/risk/service.ts), from the peers' computation.
  const parts = riskPeers.parts;
  const risk = { score: scoreOf(parts), parts: parts.map((p) => ({ ...p, text: explainPart(p) })) };
  return {
    officer: { id: o.id, name: o.name, bureau: o.bureau, level: o.level, role: o.role, active: o.active !== false },
    period: { from: period.from, to: period.to, days: Math.round((to - from) / DAY) },
    section: { bureau: o.bureau, line: sec.line, peers: sec.peers },
    alerts,
    cases,
    reviews: { reviews: reviews.reviews, findings: reviews.findings, findings_share: pick(reviews), by_outcome: reviews.by_outcome },
    overdue: { due: overdue.due, overdue: overdue.overdue, rate: pick(overdue), section_rate: overdue.section_rate },
    satisfaction: { ratings: satisfaction.ratings, low: satisfaction.low, score: pick(satisfaction), section_score: satisfaction.section_score },
    risk: { as_of: asOf, score: risk.score, parts: risk.parts, peers: pick(riskPeers), series },
  };
}

const pick = ({ value, peers, mean, median, min, max, rank }: PeerFigure): PeerFigure => ({ value, peers, mean, median, min, max, rank });
