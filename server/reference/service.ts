/** The current reference data: loaded from the latest stored version, or the built-in default set on first start. */
import { BehaviorSubject } from 'rxjs';
import type { Store } from '../../sql/store.js';
import { insertReferenceVersion, latestReference, listReferenceVersions } from '../../sql/queries/reference.js';
import { ReferenceIndex } from '../../streams/reference/index.js';
import type { ReferenceData } from '../../streams/types.js';
import type { ReferencePatch } from './schema.js';

/** The lists of the reference data, each replaced as a whole (events.md). */
export const REFERENCE_LISTS = ['bureaus', 'windows', 'officers', 'matters', 'calendar'] as const;

export class ReferenceService {
  readonly index$: BehaviorSubject<ReferenceIndex>;

  private constructor(private readonly store: Store, initial: ReferenceIndex, private readonly clock: () => number) {
    this.index$ = new BehaviorSubject(initial);
  }

  static async open(store: Store, fallback: ReferenceData, clock: () => number): Promise<ReferenceService> {
    let latest = await latestReference(store).catch(() => undefined);
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
    return new ReferenceService(store, new ReferenceIndex(data, latest.version), clock);
  }

  get current(): ReferenceIndex { return this.index$.value; }

  /** Replaces the given lists as a whole; the result is a new version. */
  async replace(patch: ReferencePatch, author: string): Promise<ReferenceIndex> {
    const cur = this.current;
    const lists = REFERENCE_LISTS.filter((k) => patch[k] !== undefined);
    const data: ReferenceData = {
      bureaus: patch.bureaus ?? cur.data.bureaus,
      windows: patch.windows ?? cur.data.windows,
      officers: patch.officers ?? cur.data.officers,
      matters: patch.matters ?? cur.data.matters,
      calendar: patch.calendar ?? cur.data.calendar ?? { holidays: [], workdays: [] },
    };
    const version = cur.version + 1;
    await insertReferenceVersion(this.store, { version, created_at: this.clock(), author, lists: [...lists], data });
    const next = new ReferenceIndex(data, version);
    this.index$.next(next);
    return next;
  }

  versions() { return listReferenceVersions(this.store); }
}
