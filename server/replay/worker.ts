/** A replay worker thread: one isolated Replay (streams/engine/replay.ts) fed page by page by the server. */
import { parentPort, workerData } from 'node:worker_threads';
import { BacktestTally, Replay } from '../../streams/engine/replay.js';
import { TieOrder } from '../../streams/engine/tie-order.js';
import type { Alert, OpEvent } from '../../streams/types.js';
import type { FromWorker, ReplayInit, ToWorker } from './protocol.js';

const init = workerData as ReplayInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

try {
  const replay = new Replay(init.catalog, init.refs);
  const tally = init.mode === 'tally' ? new BacktestTally(init.range!, init.findings ?? []) : null;
  const ties = new TieOrder();
  port.on('message', (m: ToWorker) => {
    try {
      const out: Alert[] = [];
      if (m.type === 'events' || m.type === 'rows') {
        if (m.type === 'events') replay.push(m.events, out);
        else {
          const ready: OpEvent[] = [];
          ties.push(m.events, ready);
          replay.push(ready, out);
        }
        if (tally) { tally.add(out); send({ type: 'page', alerts: [], events: replay.events }); }
        else send({ type: 'page', alerts: out, events: replay.events });
      } else {
        const last: OpEvent[] = [];
        ties.flush(last);
        replay.push(last, out);
        replay.finish(m.end, out);
        if (tally) { tally.add(out); send({ type: 'finished', alerts: [], result: tally.result(), events: replay.events }); }
        else send({ type: 'finished', alerts: out, result: null, events: replay.events });
      }
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

