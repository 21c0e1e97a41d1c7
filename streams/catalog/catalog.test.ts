import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../types.js';
import { CORE_IDS, RULE_KINDS, defaultCatalog, validateCatalog, validateDef, type IndicatorDef } from './index.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const byId = (id: string) => clone(defaultCatalog.find((d) => d.id === id)!);

describe('default catalog', () => {
  it('what it does when loaded: exactly 109 indicators with unique ids, in the four categories', () => {
    expect(defaultCatalog).toHaveLength(109);
    expect(new Set(defaultCatalog.map((d) => d.id)).size).toBe(109);
    for (const c of CATEGORIES) expect(defaultCatalog.some((d) => d.category === c)).toBe(true);
    for (const d of defaultCatalog) expect(d.id.slice(0, 3)).toMatch(/^(SVC|PRC|INS|FIL|TSK)$/);
  });

  it('what it does for the core eleven: all present with the spec ids, categories and severities', () => {
    const want: Record<string, [string, string]> = {
      'SVC-01': ['service', 'medium'], 'PRC-01': ['process', 'high'], 'PRC-02': ['process', 'high'], 'PRC-03': ['process', 'high'],
      'PRC-04': ['process', 'medium'], 'PRC-05': ['process', 'high'], 'INS-01': ['inspection', 'medium'], 'INS-02': ['inspection', 'medium'],
      'FIL-01': ['filing', 'medium'], 'TSK-01': ['process', 'low'], 'TSK-02': ['process', 'medium'],
    };
    expect(Object.keys(want).sort()).toEqual([...CORE_IDS].sort());
    for (const [id, [cat, sev]] of Object.entries(want)) {
      const d = byId(id);
      expect([d.category, d.severity, d.enabled]).toEqual([cat, sev, true]);
    }
  });

  it('what it does across kinds: every rule kind is used, every entry has zh/en names and rationale', () => {
    for (const k of RULE_KINDS) expect(defaultCatalog.some((d) => d.kind === k)).toBe(true);
    for (const d of defaultCatalog) {
      expect(d.name.zh && d.name.en && d.rationale.zh && d.rationale.en).toBeTruthy();
    }
    expect(new Set(defaultCatalog.map((d) => d.name.en)).size).toBe(109);
    expect(new Set(defaultCatalog.map((d) => d.name.zh)).size).toBe(109);
    expect(new Set(defaultCatalog.map((d) => JSON.stringify([d.kind, d.params, d.matters, d.actions]))).size).toBe(109);
  });

  it('what it does when validating the default catalog: accepted and JSON round-trippable', () => {
    const r = validateCatalog(clone(defaultCatalog));
    expect(r.ok).toBe(true);
    expect(validateCatalog([byId('PRC-05')]).ok).toBe(true); // a single definition, as the backtest sends
  });

  it('what it does with bad definitions: rejected with the reason naming the field', () => {
    const bad = (mut: (d: IndicatorDef & Record<string, any>) => void, id = 'PRC-05') => {
      const d = byId(id) as IndicatorDef & Record<string, any>;
      mut(d);
      const r = validateDef(d);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.reason;
    };
    expect(bad((d) => { (d.params as any).count = 0; })).toMatch(/^PRC-05\.params\.count: /);
    expect(bad((d) => { d.category = 'nonsense' as never; })).toMatch(/^PRC-05\.category: /);
    expect(bad((d) => { d.kind = 'magic' as never; })).toMatch(/^PRC-05\.kind: /);
    expect(bad((d) => { d.version = 0; })).toMatch(/^PRC-05\.version: /);
    expect(bad((d) => { d.name = { zh: '', en: 'x' }; })).toMatch(/^PRC-05\.name\.zh: /);
    expect(bad((d) => { d.actions = ['fly' as never]; })).toMatch(/^PRC-05\.actions\[0\]: /);
    expect(bad((d) => { (d.params as any).key = ['item']; })).toMatch(/^PRC-05\.params\.key: /);
    expect(bad((d) => { (d.params as any).when = [{ offHours: 'yes' }]; }, 'SVC-01')).toMatch(/^SVC-01\.params\.when\[0\]\.offHours: /);
    expect(bad((d) => { (d.params as any).when = [{ bogus: 1 }]; }, 'SVC-01')).toMatch(/^SVC-01\.params\.when\[0\]: /);
    expect(bad((d) => { d.matters = { power: 'yes' } as never; }, 'SVC-01')).toMatch(/^SVC-01\.matters\.power: /);
    expect(bad((d) => { (d.params as any).fixedMs = 5; }, 'TSK-01')).toMatch(/^TSK-01\.params\.fixedMs: /);
    expect(bad((d) => { d.actions = ['issue']; }, 'TSK-01')).toMatch(/^TSK-01\.actions: must include complete/);
    expect(bad((d) => { d.id = 'bad id'; })).toMatch(/^indicator\.id: /);
    expect(bad((d) => { d.enabeld = true; })).toBe('PRC-05.enabeld: unknown field');
    expect(bad((d) => { (d.params as any).windowMS = 1; })).toBe('PRC-05.params.windowMS: unknown parameter for kind slidingCount');
    const dup = validateCatalog([byId('PRC-05'), byId('PRC-05')]);
    expect(dup).toEqual({ ok: false, reason: 'PRC-05.id: duplicate indicator id' });
    expect(validateCatalog('x')).toEqual({ ok: false, reason: 'catalog: must be a list of indicator definitions' });
  });
});
