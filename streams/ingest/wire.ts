/** The wire format of an operation event: ts as ISO-8601 with the Asia/Shanghai offset. */
import type { OpEvent } from '../types.js';

const CST_MS = 8 * 3600 * 1000;

export function isoShanghai(ts: number): string {
  return new Date(ts + CST_MS).toISOString().replace('Z', '+08:00');
}

export type WireEvent = Omit<OpEvent, 'ts'> & { ts: string };

export function toWireEvent(e: OpEvent): WireEvent {
  return { ...e, ts: isoShanghai(e.ts) };
}
