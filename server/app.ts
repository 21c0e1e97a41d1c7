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
import { createLogger, type Logger } from './log.js';
import { loadSecrets, type Secrets } from './secrets.js';
import { TokenSigner } from './auth/tokens.js';
import { ReferenceService } from './reference/service.js';
import { UserService } from './users/service.js';
import { IngestService } from './ingest/service.js';
import { Spool } from './ingest/spool.js';
import { AlertSink } from './engine/alert-sink.js';
import { EngineService } from './engine/service.js';
import { createSocketServer, type TypedServer } from './socket/index.js';
import { registerAlertHandlers } from './socket/alerts.js';
import { errorHandler, sendError } from './http/errors.js';
import type { AppContext } from './context.js';
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
import { startWorkflow } from './workflow/index.js';
import { startSimulator } from './simulator.js';

export interface RunningApp {
  ctx: AppContext;
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

export async function startApp(config: Config, opts: { clock?: () => number; log?: Logger } = {}): Promise<RunningApp> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const store: Store = await openStore({
    dataDir: config.DATA_DIR, url: config.CLICKHOUSE_URL, user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD, database: config.CLICKHOUSE_DATABASE,
  });
  const spool = new Spool(join(config.DATA_DIR, 'spool'), config.SPOOL_MAX_BYTES);
  const secrets = loadSecrets(config.DATA_DIR, { ingestToken: config.INGEST_TOKEN, adminPassword: config.ADMIN_PASSWORD });
  const signer = new TokenSigner(secrets.sessionSecret, clock);

  // The store may be down at start (a remote server): the product still starts, answers health 503,
  // and ingestion accepts into the spool; schema and spool are applied when the store comes back.
  let schemaReady = false;
  const ensureSchema = async () => {
    if (!schemaReady) { await migrate(store); schemaReady = true; }
  };
  await ensureSchema().catch((err) => log.warn('store unreachable at start, running degraded:', err instanceof Error ? err.message : err));

  const reference = await ReferenceService.open(store, defaultReference, clock);
  const users = new UserService(store, clock);
  const adminState = schemaReady ? await users.bootstrapAdmin(secrets.adminPassword, config.ADMIN_PASSWORD !== undefined) : 'kept';
  const audit = await createAuditLog(store, clock).catch(() => whenStoreIsBack(() => createAuditLog(store, clock)));
  const ingest = new IngestService(
    { store, spool, reference: () => reference.current, clock, log, ensureSchema, filterDir: config.DATA_DIR, filterLog2Bits: config.DEDUPE_FILTER_LOG2_BITS },
    config.DEDUPE_CACHE_SIZE,
  );
  await ingest.start();

  const ctx: AppContext = { config, store, log, clock, secrets, signer, ingest, reference, users, audit, areas: {} };
  if (adminState !== 'kept') await audit.record({ actor: 'system', action: `admin_${adminState}`, target: 'user:admin' });

  const sink = new AlertSink(store, clock, log);
  const engine = new EngineService({ store, config, log, clock, reference, ingest, sink });
  ctx.areas.engine = engine;
  ctx.areas.sink = sink;

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  const http = createServer(app);
  const io = createSocketServer(http, signer);
  registerAlertHandlers(io, store, sink.shown$);
  const workflow = await startWorkflow(ctx, io, sink.stored$);

  await engine.start();

  for (const router of [healthRouter, eventsRouter, authRouter, referenceRouter, usersRouter, alertsRouter, indicatorsRouter, eventListRouter, deadLettersRouter]) app.use(router(ctx));
  for (const router of workflow.routers) app.use(router);
  app.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  const dist = join(ROOT, 'dist', 'client');
  if (existsSync(dist)) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    // The dashboard routes by hash: `/` is its page; any other path is a real 404 (the page shows it).
    app.get('/{*path}', (req, res) => res.status(req.path === '/' || req.path === '/index.html' ? 200 : 404).sendFile(join(dist, 'index.html')));
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
    ctx, http, io, url, secrets,
    async close() {
      if (closed) return;
      closed = true;
      simulator?.stop();
      await workflow.stop();
      io.close();
      await new Promise<void>((ok) => http.close(() => ok()));
      await ingest.stop();
      await engine.stop();
      await store.close();
    },
  };
}
