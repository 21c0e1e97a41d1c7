/** The current reference data: loaded from the latest stored version, or the built-in default set on first start. */
import { BehaviorSubject } from 'rxjs';
import type { Store } from '../../sql/store.js';
import { insertReferenceVersion, latestReference, listReferenceVersions, maxReferenceVersion, referenceVersionsByValidity, type ReferenceVersion } from '../../sql/queries/reference.js';
import { ReferenceIndex } from '../../streams/reference/index.js';
import type { ReferenceData } from '../../streams/types.js';
import type { ReferencePatch } from './schema.js';

/** The lists of the reference data, each replaced as a whole (events.md). */
export const REFERENCE_LISTS = ['bureaus', 'windows', 'officers', 'matters', 'calendar'] as const;

export class ReferenceService {
  readonly index$: BehaviorSubject<ReferenceIndex>;

  /** Validity start of the version running now. */
  private currentValidFrom: number;

  private constructor(private readonly store: Store, initial: ReferenceIndex, private readonly clock: () => number, validFrom = 0) {
    this.index$ = new BehaviorSubject(initial);
    this.currentValidFrom = validFrom;
  }

  static async open(store: Store, fallback: ReferenceData, clock: () => number): Promise<ReferenceService> {
    let latest = await latestReference(store, clock()).catch(() => undefined);
    if (latest === undefined) {
      // Store unreachable: run on the built-in set until it is back (nothing is versioned meanwhile).
      return new ReferenceService(store, new ReferenceIndex(fallback, 0), clock);
    }
    if (!latest) {
      latest = { version: 1, created_at: clock(), author: 'system', lists: [...REFERENCE_LISTS], data: fallback };
      await insertReferenceVersion(store, latest);
    }
    // A version stored before the calendar existed runs on the built-in calendar (it never had one of its own).
    const data = latest.data.calendar ? latest.data : { ...latest.data, calendar: fallback.calendar };
    return new ReferenceService(store, new ReferenceIndex(data, latest.version), clock, latest.valid_from ?? latest.created_at);
  }

  get current(): ReferenceIndex { return this.index$.value; }

  /**
   * Replaces the given lists as a whole; the result is a new version. `validFrom` (default now)
   * dates it: a version valid from a past time is history (an import's replay judges events of
   * that time by it); the running version changes only when the new one is the one valid now.
   * Lists not given come from the version valid at `validFrom`.
   */
  async replace(patch: ReferencePatch, author: string, validFrom?: number): Promise<ReferenceIndex> {
    const now = this.clock();
    const from = validFrom ?? now;
    let base: ReferenceData = this.current.data;
    if (validFrom !== undefined) {
      const valid = ReferenceService.validAt(await referenceVersionsByValidity(this.store), from);
      if (valid) base = valid.data;
    }
    const lists = REFERENCE_LISTS.filter((k) => patch[k] !== undefined);
    const data: ReferenceData = {
      bureaus: patch.bureaus ?? base.bureaus,
      windows: patch.windows ?? base.windows,
      officers: patch.officers ?? base.officers,
      matters: patch.matters ?? base.matters,
      calendar: patch.calendar ?? base.calendar ?? { holidays: [], workdays: [] },
    };
    const version = Math.max(this.current.version, await maxReferenceVersion(this.store)) + 1;
    await insertReferenceVersion(this.store, { version, created_at: now, valid_from: from, author, lists: [...lists], data });
    const next = new ReferenceIndex(data, version);
    if (from <= now && from >= this.currentValidFrom) {
      this.currentValidFrom = from;
      this.index$.next(next);
    }
    return next;
  }

  /** The version valid at `t` among versions sorted by validity: the last one starting at or before t, else the earliest. */
  static validAt(versions: readonly ReferenceVersion[], t: number): ReferenceVersion | undefined {
    let hit: ReferenceVersion | undefined;
    for (const v of versions) if ((v.valid_from ?? v.created_at) <= t) hit = v;
    return hit ?? versions[0];
  }

  /** Every stored version, by validity start (the replay's reference as of each event's time). */
  history(): Promise<ReferenceVersion[]> { return referenceVersionsByValidity(this.store); }

  versions() { return listReferenceVersions(this.store); }
}
