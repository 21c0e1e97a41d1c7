import { describe, expect, it } from 'vitest';
import { isUtf8 } from 'node:buffer';
import { arrayElementTexts, firstInvalidUtf8, parseJsonBody, splitNdjsonBytes, parseNdjsonLines, type BodyItem } from './parse-body.js';
import { validateEvent } from './validate.js';

describe('arrayElementTexts', () => {
  it('gives each element exactly as sent, strings with brackets, commas and escapes included', () => {
    expect(arrayElementTexts('[ {"a":"x,]\\"}"} , 1, "s" ,[1,[2]] ,null]')).toEqual(['{"a":"x,]\\"}"}', '1', '"s"', '[1,[2]]', 'null']);
    expect(arrayElementTexts('[]')).toEqual([]);
    expect(arrayElementTexts('[ 5 ]')).toEqual(['5']);
  });

  it('handles a 50,000-level nested element without recursion (JSON.stringify of it overflows the stack)', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const text = `[{"id":"a"},{"id":"b","attrs":{"x":${deep}}},{"id":"c"}]`;
    const items = parseJsonBody(text)!;
    expect(() => JSON.stringify(items[1]!.ok && items[1]!.value)).toThrow(RangeError);
    expect(items.map((i) => i.raw.length)).toEqual([10, `{"id":"b","attrs":{"x":${deep}}}`.length, 10]);
    const event = `{"id":"d","ts":"2026-07-01T10:00:00+08:00","platform":"collection","bureau":"B01","officer":"O1","matter":"M1","item":"I1","action":"handle","attrs":{"x":${deep}}}`;
    const [item] = parseJsonBody(`[${event}]`)!;
    expect(item!.raw).toBe(event);
    expect(validateEvent(item!.ok ? item!.value : null, Date.UTC(2026, 6, 2))).toEqual({ ok: false, reason: 'attrs.x: must be a string, number or boolean' });
  });
});

describe('firstInvalidUtf8', () => {
  it('finds where the first invalid sequence starts, and agrees with Node on validity', () => {
    const cases: [number[], number][] = [
      [[...Buffer.from('héllo 𝄞')], -1], [[0x61, 0xff], 1], [[0x61, 0xed, 0xa0, 0x80], 1], [[0x61, 0x62, 0xe2, 0x82], 2],
      [[0xc0, 0x80], 0], [[0xf4, 0x90, 0x80, 0x80], 0], [[0xe0, 0x9f, 0x80], 0], [[0x7f, 0xdf, 0xbf], -1],
    ];
    for (const [bytes, at] of cases) {
      expect(firstInvalidUtf8(Uint8Array.from(bytes)), bytes.join(',')).toBe(at);
      expect(isUtf8(Uint8Array.from(bytes))).toBe(at === -1);
    }
  });
});

describe('NDJSON bytes', () => {
  it('keeps a line that is not UTF-8 as bytes, rejected with its base64, and reads the others', () => {
    const bad = Buffer.from([0x7b, 0xff, 0x7d]);
    const lines = splitNdjsonBytes(Buffer.concat([Buffer.from('{"a":1}\r\n'), bad, Buffer.from('\n\n{"b":2}')]));
    const items: BodyItem[] = [];
    parseNdjsonLines(lines, 0, lines.length, items);
    expect(items).toEqual([
      { ok: true, value: { a: 1 }, raw: '{"a":1}' },
      { ok: false, reason: 'line: is not valid UTF-8 (byte 1 of the line)', raw: bad.toString('base64'), rawBase64: true },
      { ok: true, value: { b: 2 }, raw: '{"b":2}' },
    ]);
  });
});
