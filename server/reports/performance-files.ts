/**
 * The performance evaluation as files: XLSX and CSV written by exceljs from one workbook (the CSV
 * with a BOM so Excel reads Chinese as UTF-8). Figures are written as numbers (shares as fractions
 * with a percent format in XLSX), never re-counted here.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { PERFORMANCE_COLUMNS, type PerformanceReport } from './performance.js';

export type ReportLang = 'zh-CN' | 'en';

const LEVEL_NAMES: Record<string, [string, string]> = { officer: ['干部', 'officer'], window: ['科室/窗口', 'window'], bureau: ['基层局', 'bureau'] };

/** Text that a spreadsheet would read as a formula (= + - @ at the start) is neutralised (CSV injection). */
const safeText = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

function workbook(report: PerformanceReport, lang: ReportLang): ExcelJS.Workbook {
  const zh = lang === 'zh-CN';
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const ws = wb.addWorksheet(zh ? '绩效评价' : 'Performance');
  ws.columns = PERFORMANCE_COLUMNS.map((c) => ({
    header: zh ? c.zh : c.en, key: c.key, width: c.kind === 'text' ? 14 : 12,
    style: c.kind === 'share' ? { numFmt: '0.00%' } : c.kind === 'mean' ? { numFmt: '0.00' } : {},
  }));
  for (const r of report.rows) {
    ws.addRow(Object.fromEntries(PERFORMANCE_COLUMNS.map((c) => {
      const v = r[c.key];
      if (c.key === 'level') return [c.key, LEVEL_NAMES[String(v)]?.[zh ? 0 : 1] ?? v];
      return [c.key, typeof v === 'string' ? safeText(v) : v];
    })));
  }
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const about = wb.addWorksheet(zh ? '说明' : 'About');
  about.addRows([
    [zh ? '期间' : 'period', `${report.from} — ${report.to}`],
    [zh ? '时区' : 'time zone', report.timezone],
    [zh ? '范围' : 'scope', report.bureau ?? (zh ? '全市' : 'city')],
    [zh ? '层级' : 'level', LEVEL_NAMES[report.level]?.[zh ? 0 : 1] ?? report.level],
    [zh ? '口径' : 'definitions', zh ? '与领导看板 GET /api/kpis 同一汇总表、同一口径（docs/reports.md）' : 'the same rollups and definitions as the board, GET /api/kpis (docs/reports.md)'],
  ]);
  return wb;
}

export async function performanceXlsx(report: PerformanceReport, lang: ReportLang): Promise<Buffer> {
  return Buffer.from(await workbook(report, lang).xlsx.writeBuffer());
}

export async function performanceCsv(report: PerformanceReport, lang: ReportLang): Promise<Buffer> {
  const wb = workbook(report, lang);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await wb.csv.write(out, { sheetName: wb.worksheets[0]!.name, formatterOptions: { writeBOM: true } });
  return Buffer.concat(chunks);
}
