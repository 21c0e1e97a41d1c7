/** socket.io on the same origin and default path; a connection needs a valid token in the handshake. */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './events.js';
import type { TokenSigner } from '../auth/tokens.js';

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function createSocketServer(http: HttpServer, signer: TokenSigner): TypedServer {
  const io: TypedServer = new Server(http, { serveClient: false, maxHttpBufferSize: 1e6 });
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
