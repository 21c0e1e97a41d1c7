/**
 * Splits a POST /api/events body into items: one event, a JSON array, or NDJSON.
 * Each item keeps its raw text so a rejection can be stored exactly as it was sent; a line that is
 * not valid UTF-8 keeps its raw bytes (base64), since no text can hold them unchanged.
 */
import { isUtf8 } from 'node:buffer';
import { type Outcome, ok, rejected } from '../types.js';

export type BodyItem =
  | { ok: true; value: unknown; raw: string }
  | { ok: false; reason: string; raw: string; rawBase64?: boolean };

/** An NDJSON line: its text, or its bytes when they are not valid UTF-8. */
export type NdjsonLine = string | Buffer;

const isBlank = (raw: string) => raw.length === 0 || (raw.charCodeAt(0) !== 123 && raw.trim() === '');

/** Byte offset where the first invalid UTF-8 sequence starts (for the error message), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= b.length) return i;
    // the second byte's range excludes overlong forms, UTF-16 surrogates (ED A0..BF) and > U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Parses lines [from, to) into `out` (non-blank lines only, so indexes count non-blank lines). */
export function parseNdjsonLines(lines: readonly NdjsonLine[], from: number, to: number, out: BodyItem[]): void {
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (typeof line !== 'string') {
      const text = line.toString('latin1');
      if (isBlank(text.endsWith('\r') ? text.slice(0, -1) : text)) continue;
      out.push({ ok: false, reason: `line: is not valid UTF-8 (byte ${firstInvalidUtf8(line)} of the line)`, raw: line.toString('base64'), rawBase64: true });
      continue;
    }
    const raw = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    // A line starting with '{' is not blank: skip the trim (and its copy) on the common case.
    if (isBlank(raw)) continue;
    try {
      out.push({ ok: true, value: JSON.parse(raw), raw });
    } catch {
      out.push({ ok: false, reason: 'line: is not valid JSON', raw });
    }
  }
}

/** Splits a body's bytes into lines; each line that is not valid UTF-8 stays bytes. */
export function splitNdjsonBytes(buf: Buffer): NdjsonLine[] {
  // The common case, all of it valid UTF-8: one decode and one split instead of a check and a decode per line.
  if (isUtf8(buf)) return buf.toString('utf8').split('\n');
  const lines: NdjsonLine[] = [];
  let start = 0;
  while (start <= buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    const line = buf.subarray(start, end);
    lines.push(isUtf8(line) ? line.toString('utf8') : Buffer.from(line));
    start = end + 1;
  }
  return lines;
}

/**
 * The text of each element of a JSON array, exactly as sent (the array is already known to be
 * valid JSON). A plain loop with a depth counter: no recursion, so a 50,000-level nested element
 * costs nothing special (JSON.stringify of it would overflow the stack).
 */
export function arrayElementTexts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) { inString = true; if (depth === 1 && start < 0) start = i; continue; }
    if (c === 91 || c === 123) { // [ {
      if (depth === 1 && start < 0) start = i;
      depth++;
      continue;
    }
    if (c === 93 || c === 125) { // ] }
      depth--;
      if (depth === 0) { if (start >= 0) out.push(text.slice(start, i).trim()); break; }
      continue;
    }
    if (depth === 1) {
      if (c === 44) { out.push(text.slice(start, i).trim()); start = -1; } // ,
      else if (start < 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13) start = i;
    }
  }
  return out;
}

/** A JSON (not NDJSON) body: one event or an array of events. Null when the text is not JSON. */
export function parseJsonBody(text: string): BodyItem[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return [{ ok: true, value: parsed, raw: text.trim() }];
  const texts = arrayElementTexts(text);
  return parsed.map((value, i) => ({ ok: true, value, raw: texts[i] ?? '' }));
}

/** `isNdjson` from the Content-Type. A body that is not JSON at all is a rejection of the whole body. */
export function parseEventsBody(text: string, isNdjson: boolean): Outcome<BodyItem[]> {
  const lines = () => text.split('\n');
  if (isNdjson) {
    const items: BodyItem[] = [];
    const all = lines();
    parseNdjsonLines(all, 0, all.length, items);
    return ok(items);
  }
  const json = parseJsonBody(text);
  if (json) return ok(json);
  // NDJSON sent with a JSON content type: accept it when the lines are JSON of their own.
  const all = lines();
  if (all.filter((l) => l.trim() !== '').length > 1) {
    const items: BodyItem[] = [];
    parseNdjsonLines(all, 0, all.length, items);
    if (items.some((i) => i.ok)) return ok(items);
  }
  return rejected('body: is not valid JSON');
}
