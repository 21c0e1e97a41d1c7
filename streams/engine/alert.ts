/** Hit → Alert: stable id (sha1 of indicator id + evidence ids), subject's bureau, zh/en message. */
import { createHash } from 'node:crypto';
import type { Alert } from '../types.js';
import type { ReferenceIndex } from '../reference/index.js';
import type { IndicatorDef } from '../catalog/types.js';
import type { Hit } from '../rules/common.js';

export function alertId(indicator: string, evidence: string[]): string {
  return createHash('sha1').update(indicator + '\n' + evidence.join('\n')).digest('hex').slice(0, 32);
}

export function buildAlert(def: IndicatorDef, hit: Hit, ref: ReferenceIndex, detectedAt: number): Alert {
  const officer = ref.officers.get(hit.subject);
  const matter = hit.matter ? ref.matters.get(hit.matter) : undefined;
  const zh: string[] = [`${def.name.zh}：${officer ? `${officer.name}（${hit.subject}）` : hit.subject === 'system' ? '系统' : hit.subject}`];
  const en: string[] = [`${def.name.en}: ${officer ? `${officer.name} (${hit.subject})` : hit.subject}`];
  if (hit.item) { zh.push(`工作项 ${hit.item}`); en.push(`item ${hit.item}`); }
  if (hit.matter) { zh.push(`事项 ${matter ? matter.name : hit.matter}`); en.push(`matter ${matter ? matter.name_en : hit.matter}`); }
  if (hit.taxpayer) { zh.push(`纳税人 ${hit.taxpayer}`); en.push(`taxpayer ${hit.taxpayer}`); }
  if (hit.amount !== undefined) { zh.push(`金额 ${hit.amount} 元`); en.push(`amount CNY ${hit.amount}`); }
  if (hit.detail) { zh.push(hit.detail.zh); en.push(hit.detail.en); }
  return {
    id: alertId(def.id, hit.evidence),
    indicator: def.id,
    indicator_version: def.version,
    category: def.category,
    severity: def.severity,
    ts: hit.ts,
    detected_at: detectedAt,
    bureau: ref.bureauOf(hit.subject, hit.bureau),
    officer: hit.subject,
    taxpayer: hit.taxpayer ?? null,
    item: hit.item ?? null,
    matter: hit.matter ?? null,
    evidence: hit.evidence,
    message: { zh: zh.join('，'), en: en.join(', ') },
    status: 'open',
  };
}
