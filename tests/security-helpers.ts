/** Fixtures of the security tests: events that raise an alert in a given bureau, and socket clients. */
import { io as connect, type Socket } from 'socket.io-client';
import { defaultReference as ref } from '../streams/reference/default-data.js';

const iso = (t: number) => new Date(t).toISOString();

/** One self-approval (PRC-01, high) in `bureau`: an officer accepts and approves the same item. */
export function selfApprovalEvents(bureau: string, prefix: string, t0 = Date.UTC(2026, 10, 24, 2, 0, 0), taxpayer = `${prefix}-TP-91440300`) {
  const subject = ref.officers.find((o) => o.bureau === bureau && o.role === 'tax')!;
  const matter = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
  const window = ref.windows.find((w) => w.bureau === bureau)!.code;
  const item = `${prefix}-I1`;
  const ev = (n: number, action: string, who: string) => ({
    id: `${prefix}-${n}`, ts: iso(t0 + n * 60_000), platform: 'service', bureau, officer: who, matter: matter.code, item, action, window, taxpayer,
  });
  return [ev(1, 'issue', 'system'), ev(2, 'accept', subject.id), ev(3, 'approve', subject.id), ev(4, 'complete', subject.id)];
}

export interface WatchedSocket {
  socket: Socket;
  alerts: { id: string; bureau: string | null; taxpayer: string | null }[];
  disconnects: string[];
  close(): void;
}

/** A socket.io client that records the alerts it is pushed and why it was disconnected. */
export async function watchSocket(url: string, opts: { token?: string; cookie?: string; origin?: string } = {}): Promise<WatchedSocket> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  const socket = connect(url, { auth: opts.token ? { token: opts.token } : {}, transports: ['websocket'], reconnection: false, extraHeaders: headers, forceNew: true });
  const w: WatchedSocket = { socket, alerts: [], disconnects: [], close: () => socket.close() };
  socket.on('alert', (a: { id: string; bureau: string | null; taxpayer: string | null }) => w.alerts.push(a));
  socket.on('disconnect', (reason) => w.disconnects.push(reason));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', (e) => fail(e));
  });
  return w;
}

/** Whether a socket connection is refused, and with which message. */
export async function socketRefused(url: string, opts: { token?: string; cookie?: string; origin?: string }): Promise<string | null> {
  try {
    const w = await watchSocket(url, opts);
    w.close();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
