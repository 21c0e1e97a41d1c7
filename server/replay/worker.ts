/** A replay worker thread: one isolated Replay (streams/engine/replay.ts) fed page by page by the server. */
import { parentPort, workerData } from 'node:worker_threads';
import { BacktestTally, Replay } from '../../streams/engine/replay.js';
import type { Alert } from '../../streams/types.js';
import type { FromWorker, ReplayInit, ToWorker } from './protocol.js';

const init = workerData as ReplayInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

try {
  const replay = new Replay(init.catalog, init.refs);
  const tally = init.mode === 'tally' ? new BacktestTally(init.range!, init.findings ?? []) : null;
  port.on('message', (m: ToWorker) => {
    try {
      const out: Alert[] = [];
      if (m.type === 'events') {
        replay.push(m.events, out);
        if (tally) { tally.add(out); send({ type: 'page', alerts: [], events: replay.events }); }
        else send({ type: 'page', alerts: out, events: replay.events });
      } else {
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
