/** The reorder buffer: a binary min-heap of events by (ts, id). */
import type { OpEvent } from '../types.js';

const less = (a: OpEvent, b: OpEvent) => a.ts < b.ts || (a.ts === b.ts && a.id < b.id);

export class EventHeap {
  private h: OpEvent[] = [];

  get size(): number { return this.h.length; }
  peek(): OpEvent | undefined { return this.h[0]; }

  push(e: OpEvent): void {
    const h = this.h;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, h[p])) break;
      h[i] = h[p]; i = p;
    }
    h[i] = e;
  }

  pop(): OpEvent | undefined {
    const h = this.h;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && less(h[c + 1], h[c])) c++;
        if (!less(h[c], last)) break;
        h[i] = h[c]; i = c;
      }
      h[i] = last;
    }
    return top;
  }

  toArray(): OpEvent[] { return this.h.slice(); }
}
