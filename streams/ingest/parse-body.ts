/**
 * Splits a POST /api/events body into items: one event, a JSON array, or NDJSON.
 * Each item keeps its raw text so a rejection can be stored exactly as it was sent.
 */
import { type Outcome, ok, rejected } from '../types.js';

export type BodyItem = { ok: true; value: unknown; raw: string } | { ok: false; reason: string; raw: string };

function ndjson(text: string): BodyItem[] {
  const items: BodyItem[] = [];
  for (const line of text.split('\n')) {
    const raw = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    // A line starting with '{' is not blank: skip the trim (and its copy) on the common case.
    if (raw.length === 0 || (raw.charCodeAt(0) !== 123 && raw.trim() === '')) continue;
    try {
      items.push({ ok: true, value: JSON.parse(raw), raw });
    } catch {
      items.push({ ok: false, reason: 'line: is not valid JSON', raw });
    }
  }
  return items;
}

/** `isNdjson` from the Content-Type. A body that is not JSON at all is a rejection of the whole body. */
export function parseEventsBody(text: string, isNdjson: boolean): Outcome<BodyItem[]> {
  if (isNdjson) return ok(ndjson(text));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // NDJSON sent with a JSON content type: accept it when the lines are JSON of their own.
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1) {
      const items = ndjson(text);
      if (items.some((i) => i.ok)) return ok(items);
    }
    return rejected('body: is not valid JSON');
  }
  if (Array.isArray(parsed)) return ok(parsed.map((value) => ({ ok: true, value, raw: JSON.stringify(value) ?? 'null' })));
  return ok([{ ok: true, value: parsed, raw: text.trim() }]);
}
