/**
 * The closed loop (workflow.md): risk tasks from alerts, random weighted assignment, sampling
 * review, KPIs from the ClickHouse rollups, and their HTTP routes and socket.io handlers.
 */
import type { Observable } from 'rxjs';
import type { AppServices, CoreContext } from '../context.js';
import type { TypedServer } from '../socket/index.js';
import type { Alert } from '../../streams/types.js';
import { TaskService } from './tasks.js';
import { ReviewService } from './reviews.js';
import { CaseService } from './cases.js';
import { casesRouter } from '../routes/cases.js';
import { RiskService } from '../risk/service.js';
import { riskRouter } from '../routes/risk.js';
import { officersRouter } from '../routes/officers.js';
import { confirmedShareByIndicator, refreshOverdue, replaceMatterHours } from '../../sql/queries/kpis.js';
import { seedDemoUsers } from '../users/seed.js';
import { tasksRouter } from '../routes/tasks.js';
import { reviewsRouter } from '../routes/reviews.js';
import { kpisRouter } from '../routes/kpis.js';
import { auditRouter } from '../routes/audit.js';
import { registerTaskHandlers } from '../socket/tasks.js';
import { registerKpiHandlers } from '../socket/kpis.js';

export type WorkflowServices = Pick<AppServices, 'tasks' | 'reviews' | 'cases' | 'risk' | 'kpis' | 'confirmedShare' | 'health'>;
export interface Workflow { services: WorkflowServices; stop(): Promise<void> }

/** The workflow's HTTP routes, given the wired context by server/app.ts. */
export const workflowRouters = [tasksRouter, reviewsRouter, kpisRouter, auditRouter, casesRouter, riskRouter, officersRouter];

export async function startWorkflow(ctx: CoreContext, io: TypedServer, alerts$: Observable<Alert[]>): Promise<Workflow> {
  const { config, store } = ctx;
  // Standard hours per matter feed the overdue rollup; rewritten whenever the reference data changes.
  const refSub = ctx.reference.index$.subscribe((ref) => {
    replaceMatterHours(store, ref.data.matters.map((m) => ({ matter: m.code, hours: m.standard_hours })))
      .catch((err) => ctx.log.error('matter hours update failed', err instanceof Error ? err.message : err));
  });

  const tasks = new TaskService(ctx, {
    minSeverity: config.TASK_MIN_SEVERITY,
    deadlineHours: { critical: config.TASK_DEADLINE_HOURS_CRITICAL, high: config.TASK_DEADLINE_HOURS_HIGH, medium: config.TASK_DEADLINE_HOURS_MEDIUM, low: config.TASK_DEADLINE_HOURS_LOW },
    caseWindowMs: config.CASE_GROUPING_DAYS * 86_400_000,
    attachEveryMs: config.TASK_ATTACH_EVERY_MS,
  });
  // Seeding and the working set need the store; while it is down (degraded start) they retry in the background.
  const demoUsers = (config.DEMO_USERS ?? config.SIMULATE) === '1';
  const ready = tasks.init(async () => {
    if (!demoUsers) return;
    const seeded = await seedDemoUsers(ctx.users, ctx.reference.current.data, ctx.secrets.adminPassword);
    if (seeded.length) await ctx.audit.record({ actor: 'system', action: 'demo_users_created', target: 'users', details: { users: seeded } });
  });
  if (await store.ping()) await Promise.race([ready, new Promise((r) => setTimeout(r, 15_000).unref())]);
  const reviews = new ReviewService(ctx, tasks);
  if (config.REVIEW_DAILY === '1') reviews.startDaily();

  ctx.proposals.register('task_reassign', tasks.applyReassign);
  const risk = new RiskService({
    store, clock: ctx.clock, log: ctx.log, taskChanges$: tasks.changes$,
    params: { priorAlpha: config.RISK_PRIOR_ALPHA, priorBeta: config.RISK_PRIOR_BETA, halfLifeDays: config.RISK_HALF_LIFE_DAYS, windowDays: config.RISK_WINDOW_DAYS },
  });
  void ready.then(() => risk.schedule());
  const services: WorkflowServices = {
    tasks, reviews, cases: new CaseService({ store, tasks, clock: ctx.clock }), risk,
    confirmedShare: () => confirmedShareByIndicator(store),
    kpis: { refresh: () => refreshOverdue(store) },
    health: () => {
      const now = ctx.clock();
      const open = tasks.unfinished();
      return { tasks_unfinished: open.length, tasks_overdue: open.filter((t) => now > t.deadline).length, tasks_recovered_batches: tasks.recovered, tasks_alerts_held: tasks.heldAlerts };
    },
  };

  const alertSub = alerts$.subscribe((batch) => void tasks.onAlerts(batch));
  // After the working set is loaded: alerts a previous run stored but did not turn into tasks.
  void ready.then(() => tasks.adoptOrphans()).then(
    (n) => { if (n) ctx.log.info(`risk tasks: ${n} alerts without a task taken up`); },
    (err) => ctx.log.warn('orphan alerts not taken up', err instanceof Error ? err.message : err),
  );
  const stopTaskSockets = registerTaskHandlers(io, store, tasks, reviews, ctx.clock);
  const stopKpiSockets = registerKpiHandlers(io, store, tasks, ctx.clock, config.KPI_PUSH_MS, (err) => ctx.log.warn('kpi push failed', err instanceof Error ? err.message : err));

  return {
    services,
    async stop() {
      alertSub.unsubscribe();
      refSub.unsubscribe();
      reviews.stop();
      risk.stop();
      tasks.stop();
      stopKpiSockets();
      stopTaskSockets();
      await tasks.idle();
    },
  };
}
