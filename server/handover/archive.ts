/**
 * The downloadable evidence package: a zip (fflate) with the package JSON (what the offline verifier
 * checks), a printable summary in Chinese (PDF) and a short note on how to verify it.
 */
import { strToU8, zipSync } from 'fflate';
import type { EvidencePackage } from '../../streams/handover/package-proof.js';
import { PdfWriter } from '../reports/pdf.js';

const time = (iso: unknown) => (typeof iso === 'string' && iso ? new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium', hour12: false }).format(new Date(iso)) : '—');
const RESULTS: Record<string, string> = { transferred: '移送纪检', confirmed: '查实', dismissed: '排除' };

export async function summaryPdf(p: EvidencePackage, font: { path: string; family?: string }): Promise<Buffer> {
  const t = p.task as Record<string, string | null>;
  const pdf = new PdfWriter(font, { title: `移送材料 ${p.handover.id}` });
  pdf.title('廉政风险线索移送材料', `移送编号 ${p.handover.id} · 生成于 ${time(p.handover.created_at)}`);
  pdf.heading('一、基本情况');
  pdf.line(`被反映干部：${p.handover.officer}    所属单位：${p.handover.bureau}    指标：${p.handover.indicator}`);
  pdf.line(`风险任务：${p.handover.task_id}    风险等级：${t.severity ?? ''}    办理结果：${RESULTS[String(t.result)] ?? t.result ?? ''}    移送人：${p.handover.transferred_by}`);
  pdf.line(`核查结论：${t.finding ?? ''}`);
  pdf.heading(`二、预警（${p.alerts.length} 条）`);
  pdf.table(['预警编号', '指标', '等级', '时间', '描述'], p.alerts.map((a) => [a.id, String(a.indicator ?? ''), String(a.severity ?? ''), time(a.ts),
    String((a.message as { zh?: string } | undefined)?.zh ?? '')]), [0.22, 0.1, 0.08, 0.18, 0.42]);
  pdf.heading(`三、证据事件（${p.events.length} 条）`);
  pdf.table(['事件编号', '时间', '操作', '干部', '事项', '工作事项', '纳税人'], p.events.map((e) => [e.id, time(e.ts), String(e.action ?? ''), String(e.officer ?? ''), String(e.matter ?? ''), String(e.item ?? ''), String(e.taxpayer ?? '')]),
    [0.17, 0.17, 0.1, 0.12, 0.1, 0.16, 0.18]);
  pdf.heading(`四、办理过程（${p.history.length} 步）`);
  pdf.table(['序号', '时间', '操作人', '操作', '状态', '说明'], (p.history as Record<string, unknown>[]).map((h) => [String(h.seq), time(h.ts), String(h.actor), String(h.action), `${h.from ?? ''} → ${h.to ?? ''}`, String(h.reason ?? '')]),
    [0.07, 0.2, 0.16, 0.15, 0.2, 0.22]);
  pdf.heading('五、留痕与校验');
  pdf.line(`审计链记录 ${p.chain.length} 条（序号 ${p.chain[0]?.seq ?? '—'}–${p.commit.seq}），承诺记录序号 ${p.commit.seq}。`);
  pdf.line(`链头哈希：${p.chain_head.hash}`, 9);
  pdf.line('每条预警、证据事件、任务及办理过程的 SHA-256 摘要已写入上述承诺记录。离线校验：npm run verify -- package <本压缩包>；并与系统公布的审计链头（GET /api/audit/verify）比对。', 9);
  return pdf.end();
}

export async function packageZip(p: EvidencePackage, font: { path: string; family?: string } | null): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {
    'package.json': strToU8(JSON.stringify(p, null, 2)),
    'README.txt': strToU8([
      `Evidence package ${p.handover.id} (format ${p.format})`,
      '',
      'package.json  the alerts, evidence events, task and its history, the audit records covering them with their hashes, and the chain head',
      'summary.pdf   a printable summary in Chinese (移送材料)',
      '',
      'Verify offline, with a checkout of the product and no server:  npm run verify -- package <this zip or package.json>',
      `Then compare the chain head (seq ${p.chain_head.seq}, hash ${p.chain_head.hash}) with the operator's published head or GET /api/audit?target=task:${p.handover.task_id}.`,
      '',
    ].join('\n')),
  };
  if (font) files['summary.pdf'] = await summaryPdf(p, font);
  return zipSync(files, { level: 6, mtime: new Date(p.handover.created_at) });
}
