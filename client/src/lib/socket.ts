/**
 * The one owner of the socket.io connection. Views subscribe to typed pushes here;
 * after a reconnect it asks the server for the alerts it missed (`alerts:since`) and
 * replays them to the same listeners, so a view cannot tell a gap happened.
 */
import { io, type Socket } from 'socket.io-client';
import type { AckResult, AlertDTO, ClientToServerEvents, ImportDTO, KpiSnapshot, ReviewDTO, ServerToClientEvents, TaskChangeDTO, TaskDTO } from '../../../server/socket/events';
import { connection } from './state/connection.svelte';

export type { AlertDTO, ImportDTO, KpiSnapshot, ReviewDTO, TaskChangeDTO, TaskDTO };

type Listener<T> = (x: T) => void;
const alertListeners = new Set<Listener<AlertDTO>>();
const taskListeners = new Set<Listener<TaskChangeDTO>>();
const kpiListeners = new Set<Listener<KpiSnapshot>>();
const reviewListeners = new Set<Listener<ReviewDTO>>();
const importListeners = new Set<Listener<ImportDTO>>();

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
/** Requests made before there was a socket, waiting for `connectSocket`. */
const socketWaiters = new Set<(s: Socket<ServerToClientEvents, ClientToServerEvents>) => void>();
let lastAlertId: string | null = null;
let lostAt: string | null = null;

let sessionLost: ((dropped: boolean) => void) | null = null;
/** Called when the server refuses (false) or drops (true) the connection: the session may have ended. */
export function onSessionLost(fn: (dropped: boolean) => void) { sessionLost = fn; }

/** Connects with the session cookie (sent with the WebSocket handshake; no token in script). */
export function connectSocket() {
  disconnectSocket();
  connection.status = 'connecting';
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
  socket = s;
  for (const w of socketWaiters) w(s);
  socketWaiters.clear();
  let everConnected = false;
  connection.startTicking();
  s.on('connect', () => {
    connection.status = 'online';
    connection.heard();
    if (everConnected) void catchUp(s);
    everConnected = true;
  });
  s.on('disconnect', (reason) => {
    if (!socket) return;
    if (reason === 'io server disconnect') sessionLost?.(true);
    connection.status = 'connecting';
    connection.lost();
    lostAt = new Date().toISOString();
  });
  s.on('connect_error', (err) => {
    connection.status = 'connecting';
    connection.lost();
    if (/unauthorized|forbidden/.test(err.message)) sessionLost?.(false);
  });
  // The server's pings (every second) prove the line is alive even when nothing happens.
  s.io.on('ping', () => connection.heard());
  s.on('alert', (a) => {
    connection.heard();
    lastAlertId = a.id;
    for (const l of alertListeners) l(a);
  });
  s.on('task', (x) => { connection.heard(); for (const l of taskListeners) l(x); });
  s.on('kpi', (k) => { connection.heard(); for (const l of kpiListeners) l(k); });
  s.on('review', (r) => { connection.heard(); for (const l of reviewListeners) l(r); });
  s.on('import', (p) => { connection.heard(); for (const l of importListeners) l(p); });
}

const CATCH_UP_PAGE = 5000;

/** Replays what was missed since the last alert seen (or the time of the loss), page by page until a short page. */
async function catchUp(s: Socket<ServerToClientEvents, ClientToServerEvents>) {
  let q: { since_id?: string; since?: string } | null = lastAlertId ? { since_id: lastAlertId } : lostAt ? { since: lostAt } : null;
  if (!q) return;
  connection.catchingUp = true;
  const since = connection.lostAt;
  let count = 0;
  try {
    while (q && socket === s) {
      const r: AckResult<AlertDTO[]> | null = await s.timeout(15_000).emitWithAck('alerts:since', { ...q, limit: CATCH_UP_PAGE }).catch(() => null);
      if (!r || !r.ok) break;
      for (const a of r.data) {
        lastAlertId = a.id;
        for (const l of alertListeners) l(a);
      }
      count += r.data.length;
      const last = r.data[r.data.length - 1]?.id;
      q = r.data.length >= CATCH_UP_PAGE && last && last !== q.since_id ? { since_id: last } : null;
    }
  } finally {
    connection.catchingUp = false;
    connection.lastCatchUp = { at: Date.now(), count, since };
    connection.heard();
  }
}

export function disconnectSocket() {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  connection.status = 'offline';
  connection.stopTicking();
}

/**
 * A handle for the browser tests to cut and restore the connection (there is no way to
 * kill a loopback WebSocket from outside the page); `resume` takes the reconnect path.
 */
(globalThis as Record<string, unknown>).__imSocket = {
  pause: () => { socket?.disconnect(); lostAt = new Date().toISOString(); },
  resume: () => { socket?.connect(); },
};

function subscribe<T>(set: Set<Listener<T>>, l: Listener<T>): () => void {
  set.add(l);
  return () => set.delete(l);
}
export const onAlert = (l: Listener<AlertDTO>) => subscribe(alertListeners, l);
export const onTask = (l: Listener<TaskChangeDTO>) => subscribe(taskListeners, l);
export const onKpi = (l: Listener<KpiSnapshot>) => subscribe(kpiListeners, l);
export const onReview = (l: Listener<ReviewDTO>) => subscribe(reviewListeners, l);
/** Progress of running imports (admins only). */
export const onImport = (l: Listener<ImportDTO>) => subscribe(importListeners, l);

/**
 * Today's KPI snapshot for a bureau (or the city), on demand; null on refusal, or when no answer
 * comes within 10 s. Asked before there is a socket or before it has connected (a page opened
 * directly), the request waits for the socket, then in socket.io's send buffer until it connects.
 */
export async function kpiSnapshot(bureau: string | null): Promise<KpiSnapshot | null> {
  const s = socket ?? (await nextSocket(10_000));
  if (!s) return null;
  return new Promise((ok) => {
    s.timeout(10_000).emit('kpi:snapshot', bureau ? { bureau } : {}, (err, r) => ok(!err && r && r.ok ? r.data : null));
  });
}

/**
 * The socket once `connectSocket` has made it, or null after `ms`: a view mounted on a page opened
 * directly asks before the app's own effect (which runs after its children's) has connected.
 */
function nextSocket(ms: number): Promise<typeof socket> {
  return new Promise((ok) => {
    const timer = setTimeout(() => { socketWaiters.delete(done); ok(null); }, ms);
    const done = (s: typeof socket) => { clearTimeout(timer); ok(s); };
    socketWaiters.add(done);
  });
}
