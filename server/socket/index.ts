/**
 * socket.io on the same origin and default path. A connection authenticates in the handshake
 * with `auth: { token }` (API clients) or the session cookie (the browser; then its Origin must be
 * ours). Every client event re-checks the session and re-reads the user; when a session ends
 * (logout, revocation, idle or absolute limit) its sockets are disconnected at once.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './events.js';
import type { SessionService } from '../auth/sessions.js';
import { cookieToken } from '../http/auth.js';
import type { OriginPolicy } from '../http/origin.js';

/** socket.io ping period; the client shows a connection silent for 2 s as lost (client/src/lib/state/connection.svelte.ts). */
export const SOCKET_PING_MS = 1000;

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** How often sessions of connected sockets are checked against the idle and absolute limits. */
const SWEEP_MS = 15_000;

export interface SocketServer {
  io: TypedServer;
  /** Checks connected sockets' sessions against the limits now (also every SWEEP_MS). */
  sweep(): void;
  stop(): void;
}

export function createSocketServer(http: HttpServer, sessions: SessionService, origins: OriginPolicy): SocketServer {
  // A ping every second lets the client tell a silent connection from a quiet one within
  // 2 s (client/src/lib/state/connection.svelte.ts); the generous timeout keeps a busy event
  // loop from dropping clients that did answer.
  const io: TypedServer = new Server(http, { serveClient: false, maxHttpBufferSize: 1e6, pingInterval: SOCKET_PING_MS, pingTimeout: 5000 });
  io.use(async (socket, next) => {
    const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    let token = typeof given === 'string' ? given : null;
    if (!token) {
      token = cookieToken(socket.handshake.headers.cookie);
      // A cookie is sent by the browser whoever opened the connection: only our own pages may use it.
      if (token && !origins.allows(socket.handshake.headers.origin, socket.handshake.headers.host)) return next(new Error('forbidden: foreign origin'));
    }
    const a = token ? await sessions.authenticate(token) : null;
    if (!a) return next(new Error('unauthorized'));
    socket.data.user = a.user;
    socket.data.sessionId = a.sessionId;
    // Rooms by role and bureau let pushes go only where they are in scope.
    void socket.join(`role:${a.user.role}`);
    void socket.join(`bureau:${a.user.bureau}`);
    void socket.join(`user:${a.user.username}`);
    void socket.join(`session:${a.sessionId}`);
    next();
  });
  io.on('connection', (socket) => {
    socket.use((_packet, next) => {
      const a = sessions.check(socket.data.sessionId, true);
      if (!a) {
        next(new Error('unauthorized'));
        socket.disconnect(true);
        return;
      }
      socket.data.user = a.user;
      next();
    });
  });
  const sub = sessions.ended$.subscribe(({ ids }) => {
    for (const id of ids) io.in(`session:${id}`).disconnectSockets(true);
  });
  /** An open socket is a user at work: it keeps its session from going idle, not past its absolute end. */
  const sweep = () => {
    const seen = new Set<string>();
    for (const s of io.sockets.sockets.values()) {
      if (seen.has(s.data.sessionId)) continue;
      seen.add(s.data.sessionId);
      sessions.check(s.data.sessionId, true);
    }
    sessions.sweep();
  };
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref?.();
  return { io, sweep, stop: () => { clearInterval(timer); sub.unsubscribe(); } };
}
