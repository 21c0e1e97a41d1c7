/** Test helpers: the spec's example data, small reference sets, event builders. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { Alert, OpEvent, ReferenceData } from '../../types.js';
import { ReferenceIndex } from '../../reference/index.js';
import { CORE_IDS } from '../../catalog/types.js';

/** the spec's examples beside the repository (…/shared/spec/examples), or $EXAMPLES_DIR */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EXAMPLES = process.env.EXAMPLES_DIR ?? resolve(ROOT, '..', 'shared', 'spec', 'examples');

export function loadExampleReference(): ReferenceIndex {
  return new ReferenceIndex(JSON.parse(readFileSync(`${EXAMPLES}/reference.json`, 'utf8')) as ReferenceData);
}

export function loadExampleEvents(): OpEvent[] {
  return readFileSync(`${EXAMPLES}/events.ndjson`, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    const raw = JSON.parse(l) as Record<string, unknown>;
    return { ...raw, ts: Date.parse(raw.ts as string) } as OpEvent;
  });
}

export function loadExpected(): { indicator: string; evidence: string[] }[] {
  return JSON.parse(readFileSync(`${EXAMPLES}/expected-alerts.json`, 'utf8'));
}

const CORE = new Set<string>(CORE_IDS);
/** core alerts as sorted "indicator evidence…" strings */
export function coreKeys(alerts: { indicator: string; evidence: string[] }[]): string[] {
  return alerts.filter((a) => CORE.has(a.indicator)).map((a) => `${a.indicator} ${a.evidence.join(',')}`).sort();
}

export const T0 = Date.parse('2026-03-02T09:00:00+08:00'); // a Monday, 09:00 local

/** A small reference set: bureaus B1/B2, officers, matters of every category. */
export function smallReference(): ReferenceIndex {
  const officers = [] as ReferenceData['officers'];
  for (const b of ['B1', 'B2']) for (let i = 0; i < 12; i++) officers.push({ id: `${b}-O${i}`, name: `官${b}${i}`, bureau: b, level: (i % 5) + 1, role: 'tax' });
  return new ReferenceIndex({
    bureaus: [{ code: 'B1', name: '一局', name_en: 'One' }, { code: 'B2', name: '二局', name_en: 'Two' }],
    windows: [{ code: 'W1', bureau: 'B1' }, { code: 'W2', bureau: 'B2' }],
    officers,
    matters: [
      { code: 'RF', name: '退税审批', name_en: 'Refund approval', category: 'service', platform: 'collection', power: true, standard_hours: 72, difficulty: 3, limits: [1000, 5000, 20000, 100000, 500000] },
      { code: 'RD', name: '减免审批', name_en: 'Reduction approval', category: 'process', platform: 'administration', power: true, standard_hours: 120, difficulty: 4, limits: [1000, 5000, 20000, 100000, 500000] },
      { code: 'IN', name: '纳税评估', name_en: 'Tax assessment', category: 'inspection', platform: 'inspection', power: false, standard_hours: 240, difficulty: 4 },
      { code: 'FL', name: '涉税备案', name_en: 'Tax filing record', category: 'filing', platform: 'service', power: false, standard_hours: 48, difficulty: 1 },
      { code: 'CN', name: '发票代开', name_en: 'Invoice issuing', category: 'service', platform: 'service', power: false, standard_hours: 24, difficulty: 1 },
    ],
  });
}

let n = 0;
/** an event with defaults: bureau B1, officer B1-O0, matter RF, item I1 */
export function ev(p: Partial<OpEvent> & { action: OpEvent['action'] }, ts = T0): OpEvent {
  n++;
  return { id: p.id ?? `e${String(n).padStart(5, '0')}`, ts, platform: 'collection', bureau: 'B1', officer: 'B1-O0', matter: 'RF', item: 'I1', ...p } as OpEvent;
}

export function ids(alerts: Alert[], indicator?: string): string[][] {
  return alerts.filter((a) => !indicator || a.indicator === indicator).map((a) => a.evidence);
}
