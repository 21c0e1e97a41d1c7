/**
 * Builds the running product from a config: store and migrations, secrets, reference data,
 * users, ingestion, the indicator engine, the closed loop, HTTP and socket.io, the simulator.
 * Only wiring here; each area lives in its own folder.
 */
import express from 'express';
import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { openStore, migrate, type Store } from '../sql/store.js';
import { FaultyStore, parseFaultSpec } from '../sql/faulty-store.js';
import { WriteHealth } from '../sql/isolate.js';
import { createLogger, type Logger } from './log.js';
import { loadSecrets, type Secrets } from './secrets.js';
import helmet from 'helmet';
import { SessionService } from './auth/sessions.js';
import { LoginGuard } from './auth/login-guard.js';
import { TaxpayerTokens } from './auth/taxpayer-tokens.js';
import { OriginPolicy, originCheck } from './http/origin.js';
import { securePermissions } from './files.js';
import { ReferenceService } from './reference/service.js';
import { UserService } from './users/service.js';
import { IngestService } from './ingest/service.js';
import { Spool } from './ingest/spool.js';
import { AlertSink } from './engine/alert-sink.js';
import { EngineService } from './engine/service.js';
import { createSocketServer, type TypedServer } from './socket/index.js';
import { registerAlertHandlers } from './socket/alerts.js';
import { errorHandler, sendError } from './http/errors.js';
import { compressResponses, serveClient } from './http/static.js';
import type { AppContext, CoreContext } from './context.js';
import { eventsRouter } from './routes/events.js';
import { authRouter } from './routes/auth.js';
import { referenceRouter } from './routes/reference.js';
import { usersRouter } from './routes/users.js';
import { healthRouter } from './routes/health.js';
import { alertsRouter } from './routes/alerts.js';
import { indicatorsRouter } from './routes/indicators.js';
import { eventListRouter } from './routes/event-list.js';
import { deadLettersRouter } from './routes/dead-letters.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { createAuditLog } from './audit/service.js';
import { startWorkflow, workflowRouters } from './workflow/index.js';
import { startSimulator } from './simulator.js';
import { ProposalService } from './proposals/service.js';
import { proposalsRouter } from './routes/proposals.js';
import { oversightRouter } from './routes/oversight.js';
import { OversightService } from './oversight/service.js';
import { indicatorChangeApplier } from './engine/indicator-changes.js';
import { userChangeApplier } from './users/changes.js';
import { ImportService } from './imports/service.js';
import { importsRouter } from './routes/imports.js';
import { importToDTO } from './imports/dto.js';
import { exportsRouter } from './routes/exports.js';
import { reportsRouter } from './routes/reports.js';
import { ReportService } from './reports/service.js';
import { HandoverService } from './handover/service.js';
import { handoversRouter } from './routes/handovers.js';
import { EventLoopDelayMonitor } from './health/event-loop.js';

export interface RunningApp {
  ctx: AppContext;
  /** The Express app (the role matrix test walks its router stack). */
  app: express.Express;
  /** Ends sessions past their idle or absolute limit now and drops their sockets (also runs on a timer). */
  sweepSessions(): void;
  http: HttpServer;
  io: TypedServer;
  url: string;
  secrets: Secrets;
  close(): Promise<void>;
}

/**
 * A service that needs the store to open (the audit chain reads its head): while the store is
 * down at start, each call opens it first, so the product still starts and spools events.
 */
function whenStoreIsBack<T extends object>(open: () => Promise<T>): T {
  let real: Promise<T> | null = null;
  const get = () => (real ??= open().catch((err) => { real = null; throw err; }));
  return new Proxy({} as T, {
    // not a thenable: `await` must not try to open it
    get: (_t, prop) => (prop === 'then' ? undefined : async (...args: unknown[]) => {
      const r = await get();
      return (r[prop as keyof T] as (...a: unknown[]) => unknown).apply(r, args);
    }),
  });
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface StartOptions {
  clock?: () => number;
  log?: Logger;
  /** Tests: wrap the real store (fault injection, sql/faulty-store.ts). */
  wrapStore?: (store: Store) => Store;
}

export async function startApp(config: Config, opts: StartOptions = {}): Promise<RunningApp> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  // Before anything is written: everything under DATA_DIR private (docs/security.md, "Files").
  securePermissions(config.DATA_DIR, log);
  const realStore = await openStore({
    dataDir: config.DATA_DIR, url: config.CLICKHOUSE_URL, user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD, database: config.CLICKHOUSE_DATABASE,
  });
  const faulted = config.FAULT_INJECT ? new FaultyStore(realStore, parseFaultSpec(config.FAULT_INJECT)) : realStore;
  const store: Store = opts.wrapStore ? opts.wrapStore(faulted) : faulted;
  const spool = new Spool(join(config.DATA_DIR, 'spool'), config.SPOOL_MAX_BYTES);
  const secrets = loadSecrets(config.DATA_DIR, { ingestToken: config.INGEST_TOKEN, adminPassword: config.ADMIN_PASSWORD });

  // The store may be down at start (a remote server): the product still starts, answers health 503,
  // and ingestion accepts into the spool; schema and spool are applied when the store comes back.
  let schemaReady = false;
  const ensureSchema = async () => {
    if (!schemaReady) { await migrate(store); schemaReady = true; }
  };
  await ensureSchema().catch((err) => log.warn('store unreachable at start, running degraded:', err instanceof Error ? err.message : err));

  const reference = await ReferenceService.open(store, defaultReference, clock);
  const users = new UserService(store, clock);
  const sessions = new SessionService({
    store, clock, log, currentUser: (u) => users.current(u), loadUsers: () => users.load(),
    limits: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3600_000 },
  });
  // Revoked before the change is written: a failed write leaves the user logged out, never in with old rights.
  users.beforeSecurityChange((username, reason) => sessions.revokeUser(username, reason));
  if (schemaReady) await sessions.load();
  const taxpayers = new TaxpayerTokens(secrets.taxpayerKey);
  const loginGuard = new LoginGuard({
    accountMaxFailures: config.LOGIN_MAX_FAILURES, addressMaxFailures: config.LOGIN_ADDRESS_MAX_FAILURES, windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS, lockoutMaxSeconds: config.LOGIN_LOCKOUT_MAX_SECONDS,
  });
  const adminState = schemaReady ? await users.bootstrapAdmin(secrets.adminPassword, config.ADMIN_PASSWORD !== undefined) : 'kept';
  // The oversight indicators read the audit trail as it is appended (docs/security.md "Oversight indicators").
  const oversight = new OversightService({
    store, log, clock, calendar: () => reference.current.calendar,
    userOf: (u) => { const s = users.current(u); return s ? { role: s.role, officer: s.officer } : null; },
  });
  const audit = await createAuditLog(store, clock, oversight.onAppended).catch(() => whenStoreIsBack(() => createAuditLog(store, clock, oversight.onAppended)));
  const storeWrites = new WriteHealth(clock);
  const ingest = new IngestService(
    {
      store, spool, reference: () => reference.current, clock, log, ensureSchema, filterDir: config.DATA_DIR, filterLog2Bits: config.DEDUPE_FILTER_LOG2_BITS,
      health: storeWrites, maxInflightBytes: config.INGEST_MAX_INFLIGHT_BYTES, maxBacklogEvents: config.INGEST_MAX_BACKLOG_EVENTS,
    },
    config.DEDUPE_CACHE_SIZE,
  );
  await ingest.start();

  const proposals = new ProposalService({ store, audit, clock, ttlMs: config.PROPOSAL_TTL_HOURS * 3600_000 });
  const core: CoreContext = { config, store, log, clock, secrets, sessions, signer: sessions, loginGuard, taxpayers, ingest, reference, users, audit, storeWrites, proposals };
  proposals.register('user_change', userChangeApplier({ users, audit }));
  if (adminState !== 'kept') await audit.record({ actor: 'system', action: `admin_${adminState}`, target: 'user:admin' });

  const sink = new AlertSink(store, clock, log, storeWrites);
  const engine = new EngineService({ store, config, log, clock, reference, ingest, sink });
  proposals.register('indicator_change', indicatorChangeApplier({ engine, store, audit, clock }));

  const app = express();
  app.disable('x-powered-by');
  compressResponses(app);
  app.set('query parser', 'extended');
  app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  const origins = new OriginPolicy(config.ALLOWED_ORIGINS);
  app.use(securityHeaders());
  app.use('/api', (_req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  app.use(originCheck(origins));
  const http = createServer(app);
  const sockets = createSocketServer(http, sessions, origins);
  const io = sockets.io;
  registerAlertHandlers(io, store, sink.shown$, taxpayers);
  const workflow = await startWorkflow(core, io, sink.stored$);
  const reports = new ReportService({
    store, clock, log, audit, reference: () => reference.current, catalog: () => engine.catalog,
    targets: { overdue_rate: config.OVERDUE_RATE_TARGET, compliance_rate: config.REVIEW_COMPLIANCE_TARGET, satisfaction_mean: config.SATISFACTION_TARGET },
  });
  if (config.REPORT_SCHEDULE === '1') reports.start(config.REPORT_CHECK_MINUTES * 60_000);
  const imports = new ImportService({
    store, dataDir: config.DATA_DIR, batchBytes: config.IMPORT_BATCH_BYTES, ingest, audit, log, clock, catalog: () => engine.catalog, referenceHistory: () => reference.history(),
    currentReference: () => ({ validFrom: -Infinity, version: reference.current.version, data: reference.current.data }),
    show: (alerts) => sink.shown$.next(alerts),
  });
  const importPush = imports.progress$.subscribe((p) => io.to('role:admin').emit('import', importToDTO(p)));
  await oversight.start();
  const handovers = new HandoverService(core, workflow.services.tasks);
  await handovers.start().catch((err) => log.warn('handovers not started', err instanceof Error ? err.message : err));
  const loopDelay = new EventLoopDelayMonitor(Date.now);
  const ctx: AppContext = { ...core, services: { engine, sink, imports, oversight, reports, handovers, notify: { backtest: (u, p) => { io.to(`user:${u}`).emit('backtest', p); } }, ...workflow.services, health: () => ({ ...workflow.services.health(), ...engine.health() }), loopDelay } };

  await engine.start();
  // Imports a stop or a crash interrupted go on (each in its own replay; the live engine is not involved).
  if (schemaReady) await imports.resumeAll();

  for (const router of [healthRouter, eventsRouter, authRouter, referenceRouter, usersRouter, alertsRouter, indicatorsRouter, eventListRouter, deadLettersRouter, proposalsRouter, exportsRouter, oversightRouter, importsRouter, reportsRouter, handoversRouter]) app.use(router(ctx));
  for (const router of workflowRouters) app.use(router(ctx));
  app.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  const dist = join(ROOT, 'dist', 'client');
  if (existsSync(dist)) {
    serveClient(app, dist);
  } else {
    app.get('/', (_req, res) => res.type('text').send('Client not built: run `npm run build:client`.'));
  }
  app.use(errorHandler);

  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(config.PORT, config.HOST, () => ok());
  });
  const addr = http.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;

  const simulator = config.SIMULATE === '1' ? startSimulator(ctx, config.SIMULATE_RATE) : null;

  let closed = false;
  return {
    ctx, app, http, io, url, secrets, sweepSessions: sockets.sweep,
    async close() {
      if (closed) return;
      closed = true;
      simulator?.stop();
      reports.stop();
      await imports.stop();
      importPush.unsubscribe();
      handovers.stop();
      await handovers.idle();
      await workflow.stop();
      sockets.stop();
      loopDelay.stop();
      // disconnects the sockets now; the HTTP server's close is awaited just below
      void io.close();
      await new Promise<void>((ok) => http.close(() => ok()));
      await ingest.stop();
      await engine.stop();
      await store.close();
    },
  };
}

/** Express 'trust proxy' from TRUST_PROXY: 0/1/true/false, a hop count, or names/subnets. */
function trustProxy(v: string): boolean | number | string {
  if (v === '0' || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/**
 * Browser hardening with helmet: a CSP that allows only this origin's scripts, styles and
 * connections (the built client passes it: tests/browser/csp.test.ts), no framing, no sniffing,
 * the referrer only to ourselves.
 */
function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"],
        connectSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
}
