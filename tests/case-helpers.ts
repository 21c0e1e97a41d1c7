/** Events that give one officer alerts of three indicators (one case), shared by the cases API and UI tests. */
import { defaultReference as ref } from '../streams/reference/default-data.js';

const iso = (t: number) => new Date(t).toISOString();
const taxOf = (b: string) => ref.officers.filter((o) => o.bureau === b && o.role === 'tax');
const nonPower = ref.matters.find((m) => !m.power && m.category !== 'service' && m.standard_hours >= 24)!;
const power = ref.matters.find((m) => m.power && m.category !== 'inspection')!;
const serviceMatter = ref.matters.find((m) => m.category === 'service' && !m.power)!;
const windowOf = (b: string) => ref.windows.find((w) => w.bureau === b)!.code;

/** The case's subject (a B01 tax officer) and an officer of another bureau. */
export const subject = taxOf('B01')[1]!;
export const other = taxOf('B02')[1]!;

/**
 * Self-approval (PRC-01), an off-hours approval of a power matter (SVC-01), a rejection without
 * reason (SVC-02), all by `who`; taxpayer ids start with `taxpayerTag` (each test file its own).
 */
export function threeIndicators(who: string, bureau: string, tag: string, taxpayerTag: string) {
  const t0 = Date.UTC(2026, 10, 24, 2, 0, 0); // Tue 10:00 Asia/Shanghai
  const ev = (n: number, dt: number, action: string, item: string, matter: string, officer = who) => ({
    id: `${tag}-${n}`, ts: iso(t0 + dt * 60_000), platform: 'service', bureau, officer, matter, item, action, window: windowOf(bureau), taxpayer: `91310000${taxpayerTag}${tag}${n}`,
  });
  return [
    ev(1, 0, 'issue', `${tag}-A`, nonPower.code, 'system'), ev(2, 1, 'accept', `${tag}-A`, nonPower.code), ev(3, 2, 'approve', `${tag}-A`, nonPower.code),
    ev(4, 3, 'complete', `${tag}-A`, nonPower.code),
    ev(5, 720, 'approve', `${tag}-B`, power.code), // 22:00 Shanghai
    ev(6, 30, 'issue', `${tag}-C`, serviceMatter.code, 'system'), ev(7, 31, 'reject', `${tag}-C`, serviceMatter.code),
  ];
}
