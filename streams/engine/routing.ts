/**
 * Routing: which compiled rules see an event, by action and matter (the matter filter is read
 * from the reference data as it stands; the table is a cache dropped when either changes).
 */
import type { OpEvent } from '../types.js';
import type { ReferenceIndex } from '../reference/index.js';
import { matterMatches, type Rule } from '../rules/common.js';

export interface Route {
  arrival: Rule[];
  ordered: Rule[];
  /** some ordered rule has time points */
  timers: boolean;
  /** the ordered rules with time points (their earliest time point may move when they see the event) */
  timerRules: Rule[];
}
const EMPTY: Route = { arrival: [], ordered: [], timers: false, timerRules: [] };

export { matterMatches };

export class Router {
  private byAction = new Map<string, Rule[]>();
  private table = new Map<string, Map<string, Route>>();
  /** actions some ordered rule listens to */
  readonly orderedActions = new Set<string>();

  constructor(private rules: Rule[], private ref: ReferenceIndex) {
    for (const r of rules) {
      for (const a of r.def.actions) {
        let arr = this.byAction.get(a);
        if (!arr) { arr = []; this.byAction.set(a, arr); }
        arr.push(r);
        if (r.ordered) this.orderedActions.add(a);
      }
    }
  }

  route(ev: OpEvent): Route {
    let byMatter = this.table.get(ev.action);
    if (!byMatter) { byMatter = new Map(); this.table.set(ev.action, byMatter); }
    let r = byMatter.get(ev.matter);
    if (!r) {
      const rules = this.byAction.get(ev.action);
      if (!rules) r = EMPTY;
      else {
        r = { arrival: [], ordered: [], timers: false, timerRules: [] };
        for (const rule of rules) {
          if (!matterMatches(rule.def.matters, ev.matter, this.ref)) continue;
          if (rule.wantsMatter && !rule.wantsMatter(ev.matter, this.ref)) continue;
          (rule.ordered ? r.ordered : r.arrival).push(rule);
          if (rule.ordered && (rule.def.kind === 'deadline' || rule.def.kind === 'peerOutlier')) { r.timers = true; r.timerRules.push(rule); }
        }
      }
      byMatter.set(ev.matter, r);
    }
    return r;
  }
}
