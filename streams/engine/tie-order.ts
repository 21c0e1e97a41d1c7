/**
 * (ts, id) order for events that come in ts order only (an import's rows as they load, docs/imports.md):
 * the events of the latest ts are held until a later ts (or the end) shows the group is complete,
 * then handed on sorted by id. Ids compare by their UTF-8 bytes, as ClickHouse's `ORDER BY ts, id`
 * does, so the replay sees exactly the order it would read back from the store. Pure.
 */
import type { OpEvent } from '../types.js';

/** Compares two strings by their UTF-8 bytes (code point order; UTF-16 order differs above U+D7FF). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (a code point above U+FFFF) sorts after U+E000–U+FFFF in UTF-8.
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

export class TieOrder<E extends OpEvent = OpEvent> {
  private held: E[] = [];

  /** Events of non-decreasing ts (throws otherwise: the caller checks the order before); the complete ts groups go to `out`. */
  push(events: readonly E[], out: E[]): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const h = this.held;
      if (h.length && e.ts !== h[0]!.ts) {
        if (e.ts < h[0]!.ts) throw new Error(`replay: events out of ts order at ${e.id}`);
        this.release(out);
      }
      this.held.push(e);
    }
  }

  /** The end: the last group goes to `out`. */
  flush(out: E[]): void { this.release(out); }

  private release(out: E[]): void {
    const h = this.held;
    if (h.length > 1) h.sort((a, b) => compareUtf8(a.id, b.id));
    for (let k = 0; k < h.length; k++) out.push(h[k]!);
    this.held = [];
  }
}
