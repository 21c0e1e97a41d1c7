import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultCatalog, inputsOf, renderIndicatorsDoc } from './index.js';

const DOC = fileURLToPath(new URL('../../docs/indicators.md', import.meta.url));

describe('docs/indicators.md', () => {
  it('what it does when the catalog changed and the docs were not regenerated: the file differs (run npm run docs:indicators)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderIndicatorsDoc(defaultCatalog) + '\n');
  });

  it('what it does for every indicator: a section with id, both names, severity, kind, parameters in words, inputs and both rationales', () => {
    const doc = renderIndicatorsDoc(defaultCatalog);
    for (const d of defaultCatalog) {
      const start = doc.indexOf(`### ${d.id} ${d.name.zh} — ${d.name.en}`);
      expect(start, d.id).toBeGreaterThan(0);
      const section = doc.slice(start, doc.indexOf('\n### ', start + 1) >>> 0 || undefined);
      expect(section).toContain(`| ${d.severity} | \`${d.kind}\``);
      expect(section).toContain('**Raised when**');
      expect(section).toContain(d.rationale.zh);
      expect(section).toContain(d.rationale.en);
      for (const a of inputsOf(d).attrs) expect(section).toContain(`\`${a}\``);
    }
    // a changed definition shows up in the rendered text (the staleness check above can fail)
    const changed = defaultCatalog.map((d) => (d.id === 'PRC-05' ? { ...d, params: { ...d.params, count: 7 } } : d));
    expect(renderIndicatorsDoc(changed)).not.toBe(doc);
    expect(renderIndicatorsDoc(changed)).toContain('7 cancel events per officer within 1 h');
  });
});

describe('inputsOf (the input contract derived from a definition)', () => {
  const of = (id: string) => inputsOf(defaultCatalog.find((d) => d.id === id)!);
  it('what it reads for conditions on amounts, attrs, officers and the calendar', () => {
    expect(of('PRC-02')).toEqual({ actions: ['approve'], fields: ['amount'], attrs: [], reference: ['matters.limits', 'officers.level'] });
    expect(of('SVC-01').reference).toEqual(['calendar', 'matters.power']);
    expect(of('PRC-08').attrs).toEqual(['penalty', 'tax_base']);
    expect(of('PRC-08').reference).toContain('matters.penalty_band');
    expect(of('FIL-02').attrs).toEqual(['recorded_at']);
    expect(of('SVC-07').fields).toEqual(['bureau', 'window']);
  });
  it('what it reads for the kinds that follow keys: taxpayer sequences, random-assignment test, queue tickets', () => {
    expect(of('INS-14')).toMatchObject({ fields: ['taxpayer'], reference: ['matters.category', 'matters.tags'] });
    expect(of('TSK-09')).toMatchObject({ fields: ['taxpayer'], attrs: ['assignee', 'mode'] });
    expect(of('SVC-05').attrs).toEqual(['ticket']);
    expect(of('PRC-16').reference).toEqual(['matters.auto']);
  });
});
