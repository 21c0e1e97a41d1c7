import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCatalog } from '../../streams/catalog/index.js';
import { defaultReference } from '../../streams/reference/default-data.js';
import { ReferenceIndex } from '../../streams/reference/index.js';
import { IndicatorEngine, type EngineSnapshot } from '../../streams/engine/engine.js';
import { LiveSimulator } from '../../streams/simulator/live.js';
import { CheckpointFile, jsonCheckpointHead, serializeInSlices, type SliceClock } from './checkpoint.js';
import { CheckpointCompactor, compactCheckpoint } from './checkpoint-compact.js';

const ref = new ReferenceIndex(defaultReference, 1);
const cfg = { latenessMs: 5000, idleMs: 2000 };
const clock: SliceClock = { now: () => 0, yield: async () => {} };

function engineWithState(seconds: number): IndicatorEngine {
  let now = Date.parse('2026-07-07T10:00:00+08:00');
  const sim = new LiveSimulator({ reference: defaultReference, ratePerSecond: 200, seed: 5, clock: () => now });
  const eng = new IndicatorEngine(defaultCatalog, ref, cfg);
  for (let s = 0; s < seconds; s++) { now += 1000; for (const e of sim.next(now)) eng.onEvent(e, now); eng.onTick(now); }
  return eng;
}

/** the engine's checkpoint as the server writes it (rule by rule, in parts), at `seq` */
async function writeCheckpoint(file: CheckpointFile<EngineSnapshot>, eng: IndicatorEngine, seq: number, writtenAt: number): Promise<void> {
  const { head, rules } = eng.snapshotParts();
  const out = await serializeInSlices({ seq, written_at: writtenAt, head, rules }, clock, Infinity);
  await file.writeParts(out.parts);
}

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'irm-compact-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('the checkpoint compact copy', () => {
  it('what a restart reads when the copy was made from the checkpoint on disk: the copy, equal to the JSON, and an engine restored from it equal to one restored from the JSON', async () => {
    const eng = engineWithState(120);
    expect(eng.stats().keyedItems).toBeGreaterThan(1000);
    const file = new CheckpointFile<EngineSnapshot>(tempDir());
    await writeCheckpoint(file, eng, 42, 1_796_000_000_123);
    const json = JSON.parse(readFileSync(file.jsonFile, 'utf8'));
    expect(jsonCheckpointHead(file.jsonFile)).toEqual({ seq: 42, written_at: 1_796_000_000_123 });

    // positive control: without a copy the JSON is read
    expect(file.read()).toEqual(json);
    expect(file.lastReadFormat).toBe('json');

    const made = await compactCheckpoint(file.jsonFile, file.compactFile);
    expect(made).toMatchObject({ seq: 42, written_at: 1_796_000_000_123 });
    expect(made.bytes).toBeLessThan(readFileSync(file.jsonFile).length);
    const back = file.read();
    expect(file.lastReadFormat).toBe('compact');
    expect(back).toEqual(json);
    const fromCopy = IndicatorEngine.restore(back!.snapshot, defaultCatalog, ref, cfg);
    const fromJson = IndicatorEngine.restore(json.snapshot, defaultCatalog, ref, cfg);
    expect(JSON.stringify(fromCopy.snapshot())).toBe(JSON.stringify(fromJson.snapshot()));
  });

  it('what a restart reads when the copy is stale (a newer checkpoint was written) or damaged: the JSON', async () => {
    const eng = engineWithState(60);
    const file = new CheckpointFile<EngineSnapshot>(tempDir());
    await writeCheckpoint(file, eng, 10, 1000);
    await compactCheckpoint(file.jsonFile, file.compactFile);
    file.read();
    expect(file.lastReadFormat).toBe('compact'); // positive control: the current copy is read
    const copy = readFileSync(file.compactFile);

    // a newer checkpoint: the copy is of seq 10, the JSON of seq 11
    await writeCheckpoint(file, eng, 11, 2000);
    expect(file.read()!.seq).toBe(11);
    expect(file.lastReadFormat).toBe('json');
    // the same seq, another time (written again with nothing new): still not the same checkpoint
    await writeCheckpoint(file, eng, 10, 3000);
    expect(file.read()!.written_at).toBe(3000);
    expect(file.lastReadFormat).toBe('json');

    // the copy of the checkpoint on disk, but cut short or overwritten with garbage
    await writeCheckpoint(file, eng, 10, 1000);
    writeFileSync(file.compactFile, copy);
    expect(file.read()!.seq).toBe(10);
    expect(file.lastReadFormat).toBe('compact');
    truncateSync(file.compactFile, copy.length - 100);
    expect(file.read()).toEqual(JSON.parse(readFileSync(file.jsonFile, 'utf8')));
    expect(file.lastReadFormat).toBe('json');
    writeFileSync(file.compactFile, Buffer.concat([copy.subarray(0, 16), Buffer.from('{not json')]));
    expect(file.read()!.seq).toBe(10);
    expect(file.lastReadFormat).toBe('json');
  });

  it('what the compactor does in its worker thread: writes the copy of the checkpoint on disk, and makes it again when a newer one is written meanwhile', async () => {
    const eng = engineWithState(60);
    const file = new CheckpointFile<EngineSnapshot>(tempDir());
    const warnings: string[] = [];
    const compactor = new CheckpointCompactor({ jsonFile: file.jsonFile, compactFile: file.compactFile }, (m) => warnings.push(m));
    await writeCheckpoint(file, eng, 1, 100);
    compactor.request();
    await writeCheckpoint(file, eng, 2, 200); // while the first copy is (likely) being made
    compactor.request();
    await compactor.idle();
    expect(warnings).toEqual([]);
    expect(compactor.last).toMatchObject({ seq: 2, written_at: 200 });
    expect(file.read()!.seq).toBe(2);
    expect(file.lastReadFormat).toBe('compact');

    // a checkpoint that cannot be read: a failure, reported, and the JSON stays what a restart reads
    writeFileSync(file.jsonFile, '{"seq":3,"written_at":300,"snapshot":');
    compactor.request();
    await compactor.idle();
    expect(compactor.failures).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/compact copy was not made/);
    expect(compactor.last).toMatchObject({ seq: 2 });
    await compactor.stop();
  }, 60_000);
});
