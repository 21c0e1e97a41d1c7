/**
 * PDF documents with pdfkit: a Chinese font (Noto Sans CJK, Debian's fonts-noto-cjk, or REPORT_FONT)
 * embedded as a subset, headings, key/value lines and simple ruled tables. Used by the leader report
 * and the handover summary. Without a CJK font a Chinese document cannot be made: the caller answers 503.
 */
import PDFDocument from 'pdfkit';
import { existsSync } from 'node:fs';

export const DEFAULT_CJK_FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
];

/** The font file and, for a collection (.ttc), the face to use; null when none is installed. */
export function findCjkFont(configured?: string): { path: string; family?: string } | null {
  for (const path of configured ? [configured] : DEFAULT_CJK_FONTS) {
    if (!existsSync(path)) continue;
    if (!path.endsWith('.ttc')) return { path };
    return { path, family: path.includes('Serif') ? 'NotoSerifCJKsc-Regular' : 'NotoSansCJKsc-Regular' };
  }
  return null;
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private readonly left = 48;
  private readonly width: number;

  constructor(font: { path: string; family?: string }, meta: { title: string; author?: string }) {
    this.doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: meta.title, Author: meta.author ?? 'integrity-monitor', CreationDate: new Date(0) } });
    this.width = this.doc.page.width - 96;
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((ok, fail) => {
      this.doc.on('end', () => ok(Buffer.concat(this.chunks)));
      this.doc.on('error', fail);
    });
    this.doc.registerFont('body', font.path, font.family);
    this.doc.font('body');
  }

  title(text: string, sub?: string): this {
    this.doc.fontSize(18).fillColor('#1a202c').text(text, { align: 'center' });
    if (sub) this.doc.moveDown(0.3).fontSize(10).fillColor('#4a5568').text(sub, { align: 'center' });
    this.doc.moveDown(0.8).fillColor('#000');
    return this;
  }

  heading(text: string): this {
    this.ensure(60);
    this.doc.moveDown(0.6).fontSize(13).fillColor('#9b2c2c').text(text, this.left).fillColor('#000').moveDown(0.3);
    return this;
  }

  line(text: string, size = 10): this {
    this.doc.fontSize(size).text(text, this.left, undefined, { width: this.width });
    return this;
  }

  /** A ruled table; `widths` are fractions of the text width. */
  table(header: string[], rows: string[][], widths: number[]): this {
    const size = 9, pad = 3;
    const cols = widths.map((w) => w * this.width);
    const drawRow = (cells: string[], bold: boolean) => {
      this.doc.fontSize(size);
      const h = Math.max(...cells.map((c, i) => this.doc.heightOfString(c || ' ', { width: cols[i]! - 2 * pad }))) + 2 * pad;
      this.ensure(h);
      const y = this.doc.y;
      if (bold) this.doc.rect(this.left, y, this.width, h).fill('#edf2f7').fillColor('#000');
      let x = this.left;
      cells.forEach((c, i) => {
        this.doc.text(c, x + pad, y + pad, { width: cols[i]! - 2 * pad, lineBreak: true });
        x += cols[i]!;
      });
      this.doc.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(0.5).strokeColor('#cbd5e0').stroke();
      this.doc.x = this.left;
      this.doc.y = y + h;
    };
    drawRow(header, true);
    for (const r of rows) drawRow(r, false);
    this.doc.moveDown(0.5);
    return this;
  }

  private ensure(h: number): void {
    if (this.doc.y + h > this.doc.page.height - 56) this.doc.addPage();
  }

  end(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }
}
