import { describe, expect, it } from 'vitest';
import { malformedStringPath } from './json-body.js';

describe('malformedStringPath', () => {
  it('names the first string holding a lone surrogate, in values, arrays and keys', () => {
    expect(malformedStringPath(JSON.parse('{"result":"confirmed","finding":"x\\ud800"}'))).toBe('finding');
    expect(malformedStringPath(JSON.parse('{"a":{"b":["ok","\\udc00"]}}'))).toBe('a.b[1]');
    expect(malformedStringPath(JSON.parse('{"\\ud800k":1}'))).toMatch(/\(the key\)$/);
    expect(malformedStringPath(JSON.parse('"\\ud800"'))).toBe('body');
  });

  it('passes well-formed text, surrogate pairs included (control)', () => {
    expect(malformedStringPath(JSON.parse('{"finding":"核实 \\ud83d\\ude00","n":[1,null,true]}'))).toBeNull();
  });

  it('walks 100,000 levels of nesting without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\ud800"${']'.repeat(100_000)}`);
    expect(malformedStringPath(deep)).toMatch(/^(\[0\]){100000}$/);
  });
});
