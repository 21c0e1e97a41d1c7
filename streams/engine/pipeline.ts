/**
 * The RxJS pipeline around the engine, reading top to bottom:
 *
 *   accepted events
 *     → engine stage      (one plain call per event: routing + every rule; per-event alerts now,
 *                          ts-ordered ones as the watermark passes)
 *     → idle-tick stage   (merges a scheduler interval calling engine.onTick(clock()) so the
 *                          watermark moves on a quiet stream and deadlines fire)
 *     → non-empty stage   (drops empty alert batches)
 *
 * The clock and scheduler are injected, so marble tests run on virtual time.
 */
import { connect, endWith, filter, ignoreElements, interval, map, merge, takeUntil, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Alert, OpEvent } from '../types.js';
import type { IndicatorEngine } from './engine.js';

export interface PipelineDeps {
  engine: IndicatorEngine; clock: () => number; scheduler: SchedulerLike;
  /** true while the engine must not move (a checkpoint is being captured): idle ticks are skipped */
  paused?: () => boolean;
}
const NO_ALERTS: Alert[] = [];
export interface PipelineConfig { tickMs: number }

/**
 * The hot path: each event goes through the engine in one plain call. An accepted event carries its
 * arrival time; using it (not the clock at processing) makes a replay after a restart see the same clock.
 */
export function createEngineStage(deps: PipelineDeps, _config: PipelineConfig): OperatorFunction<OpEvent, Alert[]> {
  const { engine, clock } = deps;
  return map((ev: OpEvent & { arrivedAt?: number }) => engine.onEvent(ev, ev.arrivedAt ?? clock()));
}

/**
 * Idle ticks: every tickMs of scheduler time, advance the watermark with the clock; stops when the
 * input completes. A tick while paused is skipped (the next one advances as far).
 */
export function createIdleTickStage(deps: PipelineDeps, config: PipelineConfig): OperatorFunction<Alert[], Alert[]> {
  const { engine, clock, scheduler, paused } = deps;
  return connect((shared: Observable<Alert[]>) =>
    merge(
      shared,
      interval(config.tickMs, scheduler).pipe(
        takeUntil(shared.pipe(ignoreElements(), endWith(true))),
        map(() => (paused?.() ? NO_ALERTS : engine.onTick(clock()))),
      ),
    ),
  );
}

/** Only batches that hold alerts go on. */
export function createNonEmptyStage(_deps: PipelineDeps, _config: PipelineConfig): OperatorFunction<Alert[], Alert[]> {
  return filter((alerts: Alert[]) => alerts.length > 0);
}

export function createIndicatorPipeline(deps: PipelineDeps, config: PipelineConfig): OperatorFunction<OpEvent, Alert[]> {
  return (events$) =>
    events$.pipe(
      createEngineStage(deps, config),
      createIdleTickStage(deps, config),
      createNonEmptyStage(deps, config),
    );
}
