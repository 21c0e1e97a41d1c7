/**
 * Writes simulated history as NDJSON in the wire format (events.md), using the built-in
 * default reference data.
 *
 *   npx tsx streams/simulator/cli.ts --days 30 --out file.ndjson [--seed N] [--items-per-day N] [--from ISO]
 *
 * --from defaults to local (Asia/Shanghai) midnight `days` days before today.
 */
import { createWriteStream } from 'node:fs';
import { defaultReference } from '../reference/default-data.js';
import type { OpEvent } from '../types.js';
import { DEFAULT_ITEMS_PER_DAY, generateHistoryDetailed } from './generator.js';
import { DAY, localMidnight, toIsoShanghai } from './worktime.js';

export function toWireLine(e: OpEvent): string {
  return JSON.stringify({ ...e, ts: toIsoShanghai(e.ts) });
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`missing value for ${a}`);
      out[a.slice(2)] = v;
      i++;
    }
  }
  return out;
}

const USAGE = 'usage: simulate --days N --out file.ndjson [--seed N] [--items-per-day N] [--from ISO-8601]';

async function main(): Promise<void> {
  let args: Record<string, string>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const num = (k: string, dflt?: number): number => {
    if (args[k] === undefined) {
      if (dflt === undefined) {
        console.error(`--${k} is required\n${USAGE}`);
        process.exit(2);
      }
      return dflt;
    }
    const n = Number(args[k]);
    if (!Number.isFinite(n) || n < 0) {
      console.error(`--${k} must be a non-negative number\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  const days = num('days');
  const seed = Math.floor(num('seed', 1));
  const itemsPerDay = num('items-per-day', DEFAULT_ITEMS_PER_DAY);
  const out = args.out;
  if (!out) {
    console.error(`--out is required\n${USAGE}`);
    process.exit(2);
  }
  let from: number;
  if (args.from !== undefined) {
    from = Date.parse(args.from);
    if (!Number.isFinite(from)) {
      console.error(`--from must be an ISO-8601 date-time\n${USAGE}`);
      process.exit(2);
    }
  } else from = localMidnight(Date.now()) - days * DAY;

  const { events, stats } = generateHistoryDetailed({ reference: defaultReference, from, days, itemsPerDay, seed });
  const ws = createWriteStream(out);
  let buf = '';
  for (const e of events) {
    buf += toWireLine(e) + '\n';
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise<void>((r) => ws.once('drain', () => r()));
      buf = '';
    }
  }
  ws.write(buf);
  await new Promise<void>((res, rej) => ws.end((err?: Error | null) => (err ? rej(err) : res())));
  console.log(`${events.length} events (${stats.items} items, seed ${seed}, ${toIsoShanghai(from)} + ${days} d) written to ${out}`);
}

if (process.argv[1] && /cli\.[tj]s$/.test(process.argv[1])) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
