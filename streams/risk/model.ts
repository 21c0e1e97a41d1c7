/**
 * The risk model (docs/risk.md), pure: an indicator's weight is the posterior mean of its confirmed
 * share under a Beta(α, β) prior, each resolution counted with weight 2^(−age/half-life) (age in
 * whole days); an officer's score is the sum over indicators of their alerts in the window × the weight.
 * The SQL in sql/queries/risk.ts computes exactly this inside ClickHouse; this module is its reference.
 */
export interface RiskParams { priorAlpha: number; priorBeta: number; halfLifeDays: number; windowDays: number }

export const DEFAULT_RISK_PARAMS: RiskParams = { priorAlpha: 1, priorBeta: 4, halfLifeDays: 180, windowDays: 90 };

export interface Resolution { ageDays: number; confirmed: boolean }

export const decay = (ageDays: number, halfLifeDays: number): number => Math.pow(2, -ageDays / halfLifeDays);

export function indicatorWeight(resolutions: readonly Resolution[], p: RiskParams): number {
  let c = 0;
  let r = 0;
  for (const x of resolutions) {
    const w = decay(x.ageDays, p.halfLifeDays);
    r += w;
    if (x.confirmed) c += w;
  }
  return (p.priorAlpha + c) / (p.priorAlpha + p.priorBeta + r);
}

export interface ScorePart { indicator: string; alerts: number; weight: number; confirmed: number; resolved: number }

export const scoreOf = (parts: readonly Pick<ScorePart, 'alerts' | 'weight'>[]): number => parts.reduce((s, p) => s + p.alerts * p.weight, 0);

/** "PRC-01 ×2, weight 0.60 from 14/23 confirmed" (counts undecayed; the weight is the decayed posterior). */
export const explainPart = (p: ScorePart): string =>
  `${p.indicator} ×${p.alerts}, weight ${p.weight.toFixed(2)} from ${p.confirmed}/${p.resolved} confirmed`;
