/**
 * Reads a POST /api/events body from its bytes without holding the event loop: NDJSON is parsed
 * a chunk of lines at a time with a yield in between, so health, the dashboard and other senders
 * are answered while a body of a million lines is read. Invalid UTF-8 is never silently replaced.
 */
import { isUtf8 } from 'node:buffer';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type BodyItem, type NdjsonLine, firstInvalidUtf8, parseJsonBody, parseNdjsonLines, splitNdjsonBytes } from '../../streams/ingest/parse-body.js';

/** Lines parsed between two yields (~5–10 ms of work). */
export const LINES_PER_SLICE = 4_000;

export type BodyOutcome =
  | { ok: true; items: BodyItem[] }
  /** The whole body is refused (400); `raw` is kept as a dead letter, base64 when its bytes are not UTF-8. */
  | { ok: false; reason: string; raw: string; rawBase64: boolean };

const BOM = '\ufeff';

async function parseLines(lines: readonly NdjsonLine[]): Promise<BodyItem[]> {
  const items: BodyItem[] = [];
  for (let from = 0; from < lines.length; from += LINES_PER_SLICE) {
    if (from > 0) await yieldToLoop();
    parseNdjsonLines(lines, from, Math.min(lines.length, from + LINES_PER_SLICE), items);
  }
  return items;
}

/** NDJSON text parsed a slice of lines at a time, cut as it goes (a split of a million lines up front held the loop). */
async function parseTextLines(text: string): Promise<BodyItem[]> {
  const items: BodyItem[] = [];
  const lines: string[] = [];
  let start = 0;
  while (start <= text.length) {
    lines.length = 0;
    while (lines.length < LINES_PER_SLICE && start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      lines.push(text.slice(start, end));
      start = end + 1;
    }
    parseNdjsonLines(lines, 0, lines.length, items);
    if (start <= text.length) await yieldToLoop();
  }
  return items;
}

export async function readEventsBody(buf: Buffer, isNdjson: boolean): Promise<BodyOutcome> {
  const utf8 = isUtf8(buf);
  if (!utf8 && !isNdjson) {
    // One JSON document: an invalid byte anywhere makes the document unreadable as a whole.
    return { ok: false, reason: `body: is not valid UTF-8 (byte ${firstInvalidUtf8(buf)})`, raw: buf.toString('base64'), rawBase64: true };
  }
  if (!utf8) return { ok: true, items: await parseLines(splitNdjsonBytes(buf)) };
  let text = buf.toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  if (isNdjson) return { ok: true, items: await parseTextLines(text) };
  const json = parseJsonBody(text);
  if (json) return { ok: true, items: json };
  // NDJSON sent with a JSON content type: accept it when the lines are JSON of their own.
  const lines = text.split('\n');
  if (lines.filter((l) => l.trim() !== '').length > 1) {
    const items = await parseLines(lines);
    if (items.some((i) => i.ok)) return { ok: true, items };
  }
  return { ok: false, reason: 'body: is not valid JSON', raw: text, rawBase64: false };
}
