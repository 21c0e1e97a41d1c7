/**
 * insertEventRowsFromFile against insertEventRows (real embedded ClickHouse): the same imported rows,
 * stored through a file read by ClickHouse or sent after the INSERT statement, are stored alike —
 * times, absent amounts, attrs text with escapes, flags, non-ASCII text — and both fill the id index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openStore, type Store } from '../store.js';
import { tempDir } from '../../tests/helpers.js';
import { fromEventRow, importedRowJson, insertEventRows, insertEventRowsFromFile, storedForm, toImportedRow, type EventRow } from './events.js';
import type { IngestedEvent } from '../../streams/types.js';

const ev = (id: string, over: Partial<IngestedEvent> = {}): IngestedEvent => ({
  id, ts: Date.parse('2025-03-04T05:06:07.089Z'), platform: 'etax', bureau: 'B01', officer: 'O0001', matter: 'M001', item: `it-${id}`,
  action: 'accept', seq: 0, arrivedAt: Date.parse('2026-12-02T10:00:00.123Z'), flags: [], ...over,
} as IngestedEvent);

describe('insertEventRowsFromFile', () => {
  let store: Store;
  const dir = tempDir('im-evfile-');
  beforeAll(async () => { store = await openStore({ dataDir: dir, database: 'integrity' }); await migrate(store); });
  afterAll(async () => { await store?.close(); });

  it('what it stores: the same rows as insertEventRows, every column alike, ids in the index (and importedRowJson is toImportedRow as text)', async () => {
    const evs = (p: string) => [
      ev(`${p}1`, { amount: 1234.5678, attrs: { score: 5, note: 'line\nbreak "quoted" \\ 税务 \u{1F600}' }, taxpayer: '91310000X', window: 'W1', flags: ['unknown_officer'] }),
      ev(`${p}2`, { ts: Date.parse('2024-12-31T23:59:59.999Z'), amount: 0 }),
      ev(`${p}3`, { officer: '张三', attrs: {}, flags: ['unknown_bureau', 'unknown_matter'] }),
      ev(`${p}4`, { amount: 1e13, ts: Date.parse('2000-01-01T00:00:00.000Z') }),
    ];
    const text = (p: string, imp: string) => evs(p).map((e, i) => JSON.stringify(toImportedRow({ ...e, seq: 100 + i }, imp))).join('\n');
    await insertEventRows(store, text('a', 'imp'));
    const file = join(dir, 'rows.ndjson');
    const fast = evs('b').map((e, i) => importedRowJson({ ...e, seq: 100 + i }, 'imp')).join('\n');
    expect(fast).toBe(text('b', 'imp'));
    writeFileSync(file, fast);
    await insertEventRowsFromFile(store, file);
    const cols = `substring(id, 2) AS k, ts, platform, bureau, officer, matter, substring(item, 5) AS it, action, taxpayer, window, amount, attrs, flags, seq, arrived_at, import_id`;
    const a = await store.query(`SELECT ${cols} FROM events WHERE startsWith(id, 'a') ORDER BY k`);
    const b = await store.query(`SELECT ${cols} FROM events WHERE startsWith(id, 'b') ORDER BY k`);
    expect(a).toHaveLength(4);
    expect(b).toEqual(a);
    expect((a[0] as { attrs: string }).attrs).toBe(JSON.stringify(evs('a')[0]!.attrs));
    const ids = await store.query<{ id: string }>(`SELECT id FROM event_ids WHERE startsWith(id, 'b') ORDER BY id`);
    expect(ids.map((r) => r.id)).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('what storedForm gives: the event as fromEventRow reads its stored row back (absent empties, −0 as 0)', () => {
    const cases = [
      ev('s1', { amount: -0, attrs: { a: -0, b: 'x', c: true, d: 1.5e-7 }, taxpayer: '', window: '' }),
      ev('s2', { amount: 12.34, taxpayer: 'T1', window: 'W', attrs: {}, flags: ['unknown_officer'] }),
      ev('s3', { amount: null as unknown as undefined }),
      ev('s4'),
    ];
    for (const e of cases) {
      const back = fromEventRow(JSON.parse(importedRowJson(e, 'imp')) as EventRow);
      expect(storedForm(e)).toStrictEqual(back);
      expect(Object.is(storedForm(e).amount, back.amount)).toBe(true);
      if (back.attrs) for (const k of Object.keys(back.attrs)) expect(Object.is(storedForm(e).attrs![k], back.attrs[k])).toBe(true);
    }
  });
});
