/** The compactor's worker thread: one compact copy of the checkpoint on disk, then it exits (checkpoint-compact.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { compactCheckpoint, type CompactWorkerData, type CompactWorkerMessage } from './checkpoint-compact.js';

const { jsonFile, compactFile } = workerData as CompactWorkerData;
const send = (m: CompactWorkerMessage) => parentPort!.postMessage(m);
try {
  send({ ok: true, result: await compactCheckpoint(jsonFile, compactFile) });
} catch (err) {
  send({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
