/**
 * Sampling review (workflow.md): a daily draw (01:00 Asia/Shanghai, for the previous day) and
 * on-demand draws of 10 % of the items completed in a period, stratified by bureau, with the seed
 * stored; reviewers from other bureaus, never a handler; joint reviews for power matters with a
 * third reviewer on disagreement; integrity suspicions open a risk task.
 */
import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import type { CoreContext } from '../context.js';
import type { SessionUser } from '../auth/tokens.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import {
  completedItems, getReview, getReviewDraw, insertReviewDraw, listReviewDraws, reviewsOfDrawAsCreated, insertReviewEvents, insertReviewVersions, itemFacts, reviewDrawForPeriod, reviewDrawSeed, reviewHistory, sampledItems,
  type ReviewDrawRow, type ReviewEventRow, type ReviewRow,
} from '../../sql/queries/reviews.js';
import { deriveSeed } from '../../streams/workflow/prng.js';
import { maxSeq } from '../../sql/queries/events.js';
import { auditRowAt } from '../../sql/queries/audit.js';
import { referenceVersion } from '../../sql/queries/reference.js';
import {
  REVIEW_DRAW_COMMIT_ACTION, REVIEW_DRAW_EXPORT_FORMAT, canonicalPopulation, deriveReviewDrawSeed, populationDigest, populationStrata, verifyReviewDrawExport,
  type ReviewDrawCommitDetails, type ReviewDrawExport, type ReviewDrawVerification,
} from '../../streams/workflow/review-draw-proof.js';
import { SAMPLING_ALGORITHM, decide, pickReviewers, stratifiedSample, stratumBureau, stratumOf, type ReviewAspect, type ReviewOutcome, type Submission } from '../../streams/workflow/sampling.js';
import type { TaskService } from './tasks.js';
import { DAY, localDayStart } from '../../streams/time.js';

export const SAMPLE_RATE = 0.1;
/** How far before the period an item's events are looked up (handlers, window, matter). */
const LOOKBACK_MS = 60 * 86400_000;
const OUTCOMES: readonly ReviewOutcome[] = ['compliant', 'non_compliant', 'integrity_suspicion'];
const ASPECTS: readonly ReviewAspect[] = ['process', 'policy', 'fairness'];
/** Start of the Asia/Shanghai day containing t (streams/time.ts owns the arithmetic). */
export const shanghaiDayStart = localDayStart;

export class ReviewService {
  readonly changes$ = new Subject<ReviewRow>();
  private chain: Promise<unknown> = Promise.resolve();
  private lastVersion = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: CoreContext, private readonly tasks: TaskService) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private version(): number {
    this.lastVersion = Math.max(this.ctx.clock() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }

  /** Schedules the daily draw at 01:00 Asia/Shanghai for the previous Shanghai day. */
  startDaily(): void {
    const schedule = () => {
      const now = this.ctx.clock();
      let next = shanghaiDayStart(now) + 3600_000;
      if (next <= now) next += DAY;
      this.timer = setTimeout(() => {
        const day = shanghaiDayStart(this.ctx.clock()) - DAY;
        this.draw(day, day + DAY, 'system', true)
          .catch((err) => this.ctx.log.error('daily sampling draw failed', err instanceof Error ? err.message : err))
          .finally(schedule);
      }, Math.min(next - now, 2 ** 31 - 1));
      this.timer.unref?.();
    };
    schedule();
  }

  stop(): void { if (this.timer) clearTimeout(this.timer); this.timer = null; }

  /** Draws the sample of [from, to). A scheduled draw runs once per period. */
  draw(from: number, to: number, actor: string, scheduled = false): Promise<{ draw: ReviewDrawRow; reviews: ReviewRow[] }> {
    return this.serial(async () => {
      if (scheduled) {
        const prev = await reviewDrawForPeriod(this.ctx.store, from, to);
        if (prev) return { draw: prev, reviews: [] };
      }
      const drawId = `RD-${randomUUID()}`;
      const eventsSeq = await maxSeq(this.ctx.store);
      const ref = this.ctx.reference.current;
      const all = await this.population(from, to, eventsSeq, SAMPLING_ALGORITHM);
      // Commit the inputs first (stored now, in the chain), then derive the seed from the chain's head at the commit: nobody picks it.
      const pop = canonicalPopulation(all);
      const details: ReviewDrawCommitDetails = {
        draw: drawId, algorithm: SAMPLING_ALGORITHM, rate: SAMPLE_RATE, from: new Date(from).toISOString(), to: new Date(to).toISOString(),
        reference_version: ref.version, events_seq: eventsSeq, population: pop.length, population_sha256: populationDigest(pop), strata: populationStrata(pop),
      };
      const commit = await this.ctx.audit.commit({ actor, action: REVIEW_DRAW_COMMIT_ACTION, target: `review_draw:${drawId}`, details: details as unknown as Record<string, unknown> });
      const seed = deriveReviewDrawSeed(commit.prev_hash, drawId);
      const strata = stratifiedSample(all, SAMPLE_RATE, seed, SAMPLING_ALGORITHM);
      const items = strata.flatMap((s) => s.sample);
      const now = this.ctx.clock();
      const drawRow: ReviewDrawRow = {
        id: drawId, ts: now, actor, period_from: from, period_to: to, algorithm: SAMPLING_ALGORITHM, seed, rate: SAMPLE_RATE,
        strata: JSON.stringify(strata.map((s) => ({ bureau: s.bureau, population: s.population, sampled: s.sample.length }))), items,
        commit_seq: commit.seq, reference_version: ref.version, events_seq: eventsSeq, population_items: pop.map(([i]) => i), population_bureaus: pop.map(([, b]) => b),
      };
      await insertReviewDraw(this.ctx.store, drawRow);
      const facts = await itemFacts(this.ctx.store, items, from - LOOKBACK_MS, to);
      const reviews: ReviewRow[] = [];
      for (const s of strata) {
        for (const item of s.sample) {
          const f = facts.get(item);
          const handlers = new Set((f?.officers ?? []).filter((o) => o !== 'system'));
          const matter = ref.matters.get(f?.matter ?? '');
          const power = matter?.power === true;
          const bureau = stratumBureau(s.bureau);
          const reviewers = pickReviewers({ officers: ref.data.officers, itemBureau: bureau, handlers }, power ? 2 : 1, deriveSeed(seed, `review:${item}`));
          reviews.push({
            id: `RV-${randomUUID()}`, draw_id: drawRow.id, item, bureau, window: f?.window ?? '', matter: f?.matter ?? '', power: power ? 1 : 0,
            handler: f?.handler ?? '', handlers: [...handlers].sort(), kind: power ? 'joint' : 'cross', reviewers, submissions: '[]', state: 'pending',
            outcome: '', aspect: '', task_id: '', created_at: now, decided_at: null, updated_at: now, version: this.version(),
          });
        }
      }
      await insertReviewVersions(this.ctx.store, reviews);
      await insertReviewEvents(this.ctx.store, reviews.map((r) => this.event(r, 1, actor, 'create', { reviewers: r.reviewers, kind: r.kind })));
      await this.ctx.audit.record({
        actor, action: 'review_draw', target: `review_draw:${drawRow.id}`,
        details: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), seed, commit_seq: commit.seq, strata: JSON.parse(drawRow.strata), reviews: reviews.length },
      });
      for (const r of reviews) this.changes$.next(r);
      return { draw: drawRow, reviews };
    });
  }

  /**
   * The draw's population: items completed in [from, to) among the events stored up to `eventsSeq`,
   * less those sampled by an earlier draw (`before`: drawn before that time, when re-deriving a past
   * draw), each with its stratum under `algorithm` (v2: items only the system touched apart).
   */
  private async population(from: number, to: number, eventsSeq: number, algorithm: string, before?: number): Promise<Map<string, string>> {
    const done = await completedItems(this.ctx.store, from, to, from - LOOKBACK_MS, eventsSeq);
    for (const i of await sampledItems(this.ctx.store, [...done.keys()], before)) done.delete(i);
    return new Map([...done].map(([item, c]) => [item, stratumOf(c.bureau, c.human, algorithm)]));
  }

  async draws(limit: number): Promise<ReviewDrawRow[]> { return listReviewDraws(this.ctx.store, limit); }

  /** A self-contained export of a review draw: `npm run verify -- draw <file>` checks it without the server. */
  async drawExport(id: string): Promise<ReviewDrawExport | null> {
    const d = await getReviewDraw(this.ctx.store, id);
    if (!d) return null;
    const [ref, commit, reviews] = await Promise.all([
      d.reference_version ? referenceVersion(this.ctx.store, d.reference_version) : null,
      d.commit_seq ? auditRowAt(this.ctx.store, d.commit_seq) : null,
      reviewsOfDrawAsCreated(this.ctx.store, d.id),
    ]);
    return {
      format: REVIEW_DRAW_EXPORT_FORMAT,
      draw: { id: d.id, algorithm: d.algorithm, seed: d.seed, rate: d.rate, from: new Date(d.period_from).toISOString(), to: new Date(d.period_to).toISOString(), items: d.items, commit_seq: d.commit_seq, reference_version: d.reference_version },
      commit,
      population: d.population_items.map((item, i) => [item, d.population_bureaus[i] ?? '']),
      reviews: reviews.map((r) => ({ item: r.item, bureau: r.bureau, matter: r.matter, kind: r.kind, handlers: r.handlers, reviewers: r.reviewers })),
      reference: { version: ref?.version ?? 0, officers: ref?.data.officers ?? [], matters: (ref?.data.matters ?? []).map((m) => ({ code: m.code, power: m.power === true })) },
    };
  }

  /** Verifies a review draw against its commitment, and its population against the one the stored events make. */
  async verifyDraw(id: string): Promise<ReviewDrawVerification | null> {
    const x = await this.drawExport(id);
    if (!x) return null;
    const d = (await getReviewDraw(this.ctx.store, id))!;
    const rederived = d.commit_seq ? canonicalPopulation(await this.population(d.period_from, d.period_to, d.events_seq, d.algorithm, d.ts)) : undefined;
    return verifyReviewDrawExport(x, rederived);
  }

  private event(r: ReviewRow, seq: number, actor: string, action: string, details?: object, outcome = '', aspect = ''): ReviewEventRow {
    return {
      review_id: r.id, seq, ts: this.ctx.clock(), actor, action, bureau: r.bureau, window: r.window, handler: r.handler, outcome, aspect,
      details: details ? JSON.stringify(details) : '',
    };
  }

  async get(id: string): Promise<ReviewRow | null> { return getReview(this.ctx.store, id); }
  history(id: string) { return reviewHistory(this.ctx.store, id); }

  submit(id: string, user: SessionUser, body: { outcome?: unknown; aspect?: unknown; note?: unknown; reviewer?: unknown }): Promise<ReviewRow> {
    return this.serial(async () => {
      if (typeof body.outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(body.outcome)) throw badRequest(`outcome: must be one of ${OUTCOMES.join(', ')}`);
      const outcome = body.outcome as ReviewOutcome;
      let aspect: ReviewAspect | null = null;
      if (outcome === 'non_compliant') {
        if (typeof body.aspect !== 'string' || !(ASPECTS as readonly string[]).includes(body.aspect)) throw badRequest(`aspect: required for non_compliant, one of ${ASPECTS.join(', ')}`);
        aspect = body.aspect as ReviewAspect;
      } else if (body.aspect !== undefined && body.aspect !== null) throw badRequest('aspect: only for non_compliant');
      if (body.note !== undefined && typeof body.note !== 'string') throw badRequest('note: must be a string');
      const note = ((body.note as string | undefined) ?? '').trim();
      if (outcome !== 'compliant' && !note) throw badRequest('note: a written note is required for a finding');
      const r = await getReview(this.ctx.store, id);
      if (!r) throw notFound('review not found');
      if (r.state === 'decided') throw conflict('the review is already decided');
      // An integrity suspicion is about a person (issue 13 point 7): an item only the system touched has nobody to suspect.
      if (outcome === 'integrity_suspicion' && !r.handler) throw badRequest('outcome: integrity_suspicion needs a human handler, and only the system handled this item (record a process finding instead)');
      // Nobody submits in another's name, an administrator included (administrators never review).
      if (user.role === 'admin') throw forbidden('administrators do not review: an assigned reviewer submits');
      if (body.reviewer !== undefined && body.reviewer !== user.officer) throw forbidden('reviewer: a review is submitted by the reviewer themselves, not in another user\'s name');
      const reviewer = user.officer;
      if (!reviewer || !r.reviewers.includes(reviewer)) throw forbidden('only an assigned reviewer may submit this review');
      const subs = JSON.parse(r.submissions || '[]') as Submission[];
      if (subs.some((s) => s.reviewer === reviewer)) throw conflict('this reviewer has already submitted');
      const now = this.ctx.clock();
      subs.push({ reviewer, outcome, aspect, note, at: now });
      const hist = await reviewHistory(this.ctx.store, id);
      let seq = hist.length ? Math.max(...hist.map((h) => h.seq)) : 0;
      const events: ReviewEventRow[] = [this.event(r, ++seq, user.username, 'submit', { reviewer, note }, outcome, aspect ?? '')];
      let next: ReviewRow = { ...r, submissions: JSON.stringify(subs), updated_at: now, version: this.version() };
      const d = decide(r.kind as 'cross' | 'joint', r.reviewers, subs);
      if (d.state === 'needs_third') {
        const draw = await this.drawSeed(r.draw_id);
        const ref = this.ctx.reference.current;
        const [third] = pickReviewers({ officers: ref.data.officers, itemBureau: r.bureau, handlers: new Set(r.handlers), exclude: new Set(r.reviewers) }, 1, deriveSeed(draw, `review:${r.item}:third`));
        if (third) {
          next = { ...next, state: 'escalated', reviewers: [...r.reviewers, third] };
          events.push(this.event(next, ++seq, 'system', 'escalate', { third, reason: 'joint reviewers disagree' }));
        } else {
          // No third reviewer available: the stricter of the two findings stands.
          const strict = [...subs].sort((a, b) => OUTCOMES.indexOf(b.outcome) - OUTCOMES.indexOf(a.outcome))[0]!;
          next = { ...next, state: 'decided', outcome: strict.outcome, aspect: strict.aspect ?? '', decided_at: now };
        }
      } else if (d.state === 'decided') {
        next = { ...next, state: 'decided', outcome: d.outcome, aspect: d.aspect ?? '', decided_at: now };
      }
      if (next.state === 'decided') {
        events.push(this.event(next, ++seq, 'system', 'decide', undefined, next.outcome, next.aspect));
      }
      await insertReviewVersions(this.ctx.store, [next]);
      await insertReviewEvents(this.ctx.store, events);
      await this.ctx.audit.record({ actor: user.username, action: 'review_submit', target: `review:${r.id}`, details: { reviewer, outcome, aspect, state: next.state } });
      if (next.state === 'decided' && next.outcome === 'integrity_suspicion') {
        const category = this.ctx.reference.current.matters.get(next.matter)?.category ?? 'process';
        // createFromReview serializes on the task service's own chain.
        const task = await this.tasks.createFromReview({ id: next.id, item: next.item, bureau: next.bureau, matter: next.matter, handler: next.handler, category }, user.username);
        next = { ...next, task_id: task.id, version: this.version() };
        await insertReviewVersions(this.ctx.store, [next]);
        await insertReviewEvents(this.ctx.store, [this.event(next, ++seq, 'system', 'task_opened', { task: task.id })]);
      }
      this.changes$.next(next);
      return next;
    });
  }

  private async drawSeed(drawId: string): Promise<string> {
    return (await reviewDrawSeed(this.ctx.store, drawId)) ?? deriveSeed('0', drawId);
  }
}
