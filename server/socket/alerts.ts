/** socket.io, alerts area: push each stored alert to the users whose scope it is in; catch-up after a reconnect. */
import type { Observable } from 'rxjs';
import type { Store } from '../../sql/store.js';
import { alertsByIds, listAlerts } from '../../sql/queries/alerts.js';
import type { Alert } from '../../streams/types.js';
import { alertToDTO, alertViewKey, canSeeAlert } from '../engine/dto.js';
import type { TypedServer } from './index.js';
import type { SocketData } from './events.js';
import type { TaxpayerTokens } from '../auth/taxpayer-tokens.js';

export function registerAlertHandlers(io: TypedServer, store: Store, stored$: Observable<Alert[]>, tokens: TaxpayerTokens): () => void {
  const sub = stored$.subscribe((alerts) => {
    // Sockets grouped by how their users see alerts: each alert is shaped and encoded once per group
    // (a broadcast to the group's socket ids), not once per socket: 50 walls cost one encode.
    const groups = new Map<string, { user: SocketData['user']; ids: string[] }>();
    for (const s of io.sockets.sockets.values()) {
      const user = s.data.user;
      if (!user) continue;
      const key = alertViewKey(user as never);
      if (key === null) continue;
      const g = groups.get(key);
      if (g) g.ids.push(s.id); else groups.set(key, { user, ids: [s.id] });
    }
    for (const { user, ids } of groups.values()) {
      const to = io.to(ids);
      for (const a of alerts) if (canSeeAlert(user as never, a)) to.emit('alert', alertToDTO(a, user as never, tokens));
    }
  });

  io.on('connection', (socket) => {
    socket.on('alerts:since', async (q, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const user = socket.data.user;
        let after: number | undefined;
        if (q?.since_id) {
          const [a] = await alertsByIds(store, [String(q.since_id)]);
          after = a?.detected_at;
        }
        if (after === undefined && q?.since) {
          const t = Date.parse(q.since);
          if (!Number.isFinite(t)) return ack({ ok: false, error: 'since: must be an ISO-8601 instant' });
          after = t;
        }
        if (after === undefined) return ack({ ok: false, error: 'since_id or since: one is required' });
        const limit = Math.min(Math.max(Number(q.limit) || 1000, 1), 5000);
        const rows = await listAlerts(store, { eq: {}, limit, detectedAfter: after });
        ack({ ok: true, data: rows.filter((a) => canSeeAlert(user as never, a)).map((a) => alertToDTO(a, user as never, tokens)) });
      } catch (err) {
        ack({ ok: false, error: err instanceof Error ? err.message : 'failed' });
      }
    });
  });
  return () => sub.unsubscribe();
}
