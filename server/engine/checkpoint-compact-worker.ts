/** The compactor's worker thread: one compact copy of the checkpoint on disk, then it exits (checkpoint-compact.ts). */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { compactCheckpoint, type CompactWorkerData, type CompactWorkerMessage } from './checkpoint-compact.js';

const { jsonFile, compactFile } = workerData as CompactWorkerData;
const send = (m: CompactWorkerMessage) => parentPort!.postMessage(m);
// The copy only speeds up a restart: it gets the CPU the engine and ClickHouse leave. On Linux the
// nice value is per thread, so this lowers this worker alone (the 2026-12-04 soak at nice 0: the
// copy competed with the inserts, event→alert p99 8.8–11.3 s, the spool backed up).
try { setPriority(19); } catch { /* not allowed here: the copy runs at the server's priority */ }
try {
  send({ ok: true, result: await compactCheckpoint(jsonFile, compactFile) });
} catch (err) {
  send({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
