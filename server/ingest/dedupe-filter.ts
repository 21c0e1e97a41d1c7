/**
 * The dedupe filter kept under DATA_DIR: a Bloom filter of every accepted id, saved with the
 * arrival seq it covers. At start, ids stored after that seq are added back from the store, so
 * the filter always holds every stored id ("not in the filter" means new, without a lookup).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BloomFilter } from '../../streams/ingest/bloom.js';
import type { Store } from '../../sql/store.js';
import { idsAfterSeq } from '../../sql/queries/events.js';

const PAGE = 200_000;

interface Meta { seq: number; log2Bits: number; hashes: number }

export class DedupeFilter {
  private readonly meta: string;
  private readonly bin: string;

  constructor(dir: string, readonly filter: BloomFilter) {
    this.meta = join(dir, 'dedupe-filter.json');
    this.bin = join(dir, 'dedupe-filter.bin');
  }

  static async open(dir: string, log2Bits: number, store: Store): Promise<{ filter: DedupeFilter; loadedFrom: number }> {
    let seq = 0;
    let bloom = new BloomFilter(log2Bits);
    if (existsSync(join(dir, 'dedupe-filter.json'))) {
      try {
        const m = JSON.parse(readFileSync(join(dir, 'dedupe-filter.json'), 'utf8')) as Meta;
        if (m.log2Bits === log2Bits) {
          bloom = new BloomFilter(m.log2Bits, m.hashes, new Uint8Array(readFileSync(join(dir, 'dedupe-filter.bin'))));
          seq = m.seq;
        }
      } catch { seq = 0; bloom = new BloomFilter(log2Bits); }
    }
    let after = '';
    for (;;) {
      const ids = await idsAfterSeq(store, seq, after, PAGE);
      for (const id of ids) bloom.add(id);
      if (ids.length < PAGE) break;
      after = ids[ids.length - 1]!;
    }
    return { filter: new DedupeFilter(dir, bloom), loadedFrom: seq };
  }

  /** Saves the filter as covering every id accepted up to `seq` (fsync'd, then renamed into place). */
  save(seq: number): void {
    const write = (file: string, data: Uint8Array) => {
      const tmp = `${file}.tmp`;
      const fd = openSync(tmp, 'w');
      try { writeSync(fd, data); fsyncSync(fd); } finally { closeSync(fd); }
      renameSync(tmp, file);
    };
    // The meta goes last: a crash in between leaves the older seq with a newer (larger) bit set, which is safe.
    write(this.bin, this.filter.bits);
    write(this.meta, Buffer.from(JSON.stringify({ seq, log2Bits: this.filter.log2Bits, hashes: this.filter.hashes } satisfies Meta)));
  }
}
