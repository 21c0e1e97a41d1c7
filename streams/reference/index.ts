import type { Bureau, Matter, Officer, ReferenceData, Window } from '../types.js';
import { WorkingCalendar } from '../time.js';

/** Lookup tables over one version of the reference data. Immutable: a new version is a new index. */
export class ReferenceIndex {
  readonly bureaus: Map<string, Bureau>;
  readonly windows: Map<string, Window>;
  readonly officers: Map<string, Officer>;
  readonly matters: Map<string, Matter>;
  /** working days and hours; plain Monday–Friday when the data has no calendar */
  readonly calendar: WorkingCalendar;

  constructor(readonly data: ReferenceData, readonly version = 0) {
    this.bureaus = new Map(data.bureaus.map((b) => [b.code, b]));
    this.windows = new Map(data.windows.map((w) => [w.code, w]));
    this.officers = new Map(data.officers.map((o) => [o.id, o]));
    this.matters = new Map(data.matters.map((m) => [m.code, m]));
    this.calendar = data.calendar ? new WorkingCalendar(data.calendar) : WorkingCalendar.PLAIN;
  }

  /** Officer level 1–5; an unknown officer counts as level 1 (indicators.md, PRC-02). */
  levelOf(officer: string): number {
    return this.officers.get(officer)?.level ?? 1;
  }

  /** The officer's bureau from the reference data, else the given fallback (the event's bureau). */
  bureauOf(officer: string, fallback: string): string {
    return this.officers.get(officer)?.bureau ?? fallback;
  }
}
