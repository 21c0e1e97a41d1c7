/** Compile an indicator definition into a rule of its kind. */
import type { IndicatorDef } from '../catalog/types.js';
import type { Rule } from './common.js';
import { PredicateRule } from './predicate.js';
import { PairRule } from './pair.js';
import { DeadlineRule } from './deadline.js';
import { SlidingCountRule } from './slidingCount.js';
import { DistinctCountRule } from './distinctCount.js';
import { ElapsedRule } from './elapsed.js';
import { PeerOutlierRule } from './peerOutlier.js';
import { SequenceRule } from './sequence.js';
import { AmountChangeRule } from './amountChange.js';
import { AssignmentBiasRule } from './assignmentBias.js';
import { QueueJumpRule } from './queueJump.js';

export type { Rule, RuleCtx, Hit } from './common.js';

export function createRule(def: IndicatorDef): Rule {
  switch (def.kind) {
    case 'predicate': return new PredicateRule(def);
    case 'pair': return new PairRule(def);
    case 'deadline': return new DeadlineRule(def);
    case 'slidingCount': return new SlidingCountRule(def);
    case 'distinctCount': return new DistinctCountRule(def);
    case 'elapsed': return new ElapsedRule(def);
    case 'peerOutlier': return new PeerOutlierRule(def);
    case 'sequence': return new SequenceRule(def);
    case 'amountChange': return new AmountChangeRule(def);
    case 'assignmentBias': return new AssignmentBiasRule(def);
    case 'queueJump': return new QueueJumpRule(def);
  }
  throw new Error(`unknown rule kind ${(def as IndicatorDef).kind}`);
}
