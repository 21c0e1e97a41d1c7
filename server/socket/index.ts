/** socket.io on the same origin and default path; a connection needs a valid token in the handshake. */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './events.js';
import type { TokenSigner } from '../auth/tokens.js';

/** socket.io ping period; the client shows a connection silent for 2 s as lost (client/src/lib/state/connection.svelte.ts). */
export const SOCKET_PING_MS = 1000;

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function createSocketServer(http: HttpServer, signer: TokenSigner): TypedServer {
  // A ping every second lets the client tell a silent connection from a quiet one within
  // 2 s (client/src/lib/state/connection.svelte.ts); the generous timeout keeps a busy event loop from
  // dropping clients that did answer.
  const io: TypedServer = new Server(http, { serveClient: false, maxHttpBufferSize: 1e6, pingInterval: SOCKET_PING_MS, pingTimeout: 5000 });
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const user = typeof token === 'string' ? signer.verify(token) : null;
    if (!user) return next(new Error('unauthorized'));
    socket.data.user = user;
    // Rooms by role and bureau let pushes go only where they are in scope.
    void socket.join(`role:${user.role}`);
    void socket.join(`bureau:${user.bureau}`);
    void socket.join(`user:${user.username}`);
    next();
  });
  return io;
}
