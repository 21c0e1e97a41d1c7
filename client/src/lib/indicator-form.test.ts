import { describe, expect, it } from 'vitest';
import { paramFields, parseField, searchCatalog, type CatalogRow } from './indicator-form';

describe('paramFields', () => {
  it('gives one field per parameter, typed by its value', () => {
    expect(paramFields({ windowMs: 60000, once: true, subject: 'first', when: [{ offHours: true }] }).map((f) => [f.key, f.kind]))
      .toEqual([['windowMs', 'number'], ['once', 'boolean'], ['subject', 'text'], ['when', 'json']]);
    expect(paramFields(undefined)).toEqual([]);
  });
});

describe('parseField', () => {
  it('parses numbers and refuses what is not one, naming the field', () => {
    expect(parseField('windowMs', 'number', '3600000')).toEqual({ ok: true, value: 3600000 });
    expect(parseField('windowMs', 'number', 'abc')).toEqual({ ok: false, error: 'params.windowMs: must be a number' });
    expect(parseField('windowMs', 'number', '')).toEqual({ ok: false, error: 'params.windowMs: a number is required' });
    expect(parseField('windowMs', 'number', '-1')).toEqual({ ok: false, error: 'params.windowMs: must not be negative' });
  });
  it('parses JSON fields and booleans', () => {
    expect(parseField('when', 'json', '[{"offHours":true}]')).toEqual({ ok: true, value: [{ offHours: true }] });
    expect(parseField('when', 'json', '[{')).toEqual({ ok: false, error: 'params.when: is not valid JSON' });
    expect(parseField('once', 'boolean', false)).toEqual({ ok: true, value: false });
  });
});

describe('searchCatalog', () => {
  const rows: CatalogRow[] = [
    { id: 'SVC-01', name: { zh: '非工作时间办理', en: 'Off-hours handling' }, category: 'service', severity: 'medium', hits: 5, confirmed_share: 0.2, enabled: true },
    { id: 'PRC-01', name: { zh: '自审自批', en: 'Self-approval' }, category: 'process', severity: 'high', hits: 9, confirmed_share: null, enabled: true },
    { id: 'FIL-02', name: { zh: '备案', en: 'Filing' }, category: 'filing', severity: 'low', hits: 9, confirmed_share: 0.5, enabled: true },
  ];
  it('finds by id or by name in either language', () => {
    expect(searchCatalog(rows, 'svc', 'id').map((r) => r.id)).toEqual(['SVC-01']);
    expect(searchCatalog(rows, '自审', 'id').map((r) => r.id)).toEqual(['PRC-01']);
    expect(searchCatalog(rows, 'SELF', 'id').map((r) => r.id)).toEqual(['PRC-01']);
    expect(searchCatalog(rows, '', 'id').map((r) => r.id)).toEqual(['FIL-02', 'PRC-01', 'SVC-01']);
  });
  it('sorts by hits, confirmed share (unknown last) and severity, ties by id', () => {
    expect(searchCatalog(rows, '', 'hits_desc').map((r) => r.id)).toEqual(['FIL-02', 'PRC-01', 'SVC-01']);
    expect(searchCatalog(rows, '', 'confirmed_desc').map((r) => r.id)).toEqual(['FIL-02', 'SVC-01', 'PRC-01']);
    expect(searchCatalog(rows, '', 'severity').map((r) => r.id)).toEqual(['PRC-01', 'SVC-01', 'FIL-02']);
  });
});
