import { describe, expect, it } from 'vitest';
import { CATEGORIES, PLATFORMS } from '../types.js';
import { defaultReference as ref } from './default-data.js';

describe('defaultReference', () => {
  it('what it does when counting bureaus: 21 grassroots bureaus plus HQ, unique codes', () => {
    const codes = ref.bureaus.map((b) => b.code);
    expect(codes).toHaveLength(22);
    expect(new Set(codes).size).toBe(22);
    expect(codes).toContain('HQ');
    for (let i = 1; i <= 21; i++) expect(codes).toContain(`B${String(i).padStart(2, '0')}`);
    for (const b of ref.bureaus) {
      expect(b.name.length).toBeGreaterThan(0);
      expect(b.name_en.length).toBeGreaterThan(0);
    }
  });

  it('what it does when counting windows: 430, W001..W430, each in an existing bureau, uneven by size', () => {
    expect(ref.windows).toHaveLength(430);
    const bureaus = new Set(ref.bureaus.map((b) => b.code));
    ref.windows.forEach((w, i) => {
      expect(w.code).toBe(`W${String(i + 1).padStart(3, '0')}`);
      expect(bureaus.has(w.bureau)).toBe(true);
      expect(w.bureau).not.toBe('HQ');
    });
    const per = new Map<string, number>();
    for (const w of ref.windows) per.set(w.bureau, (per.get(w.bureau) ?? 0) + 1);
    expect(per.size).toBe(21);
    expect(Math.max(...per.values())).toBeGreaterThan(2 * Math.min(...per.values()));
  });

  it('what it does when listing officers: a few hundred, every role and level, bureaus exist, unique ids', () => {
    const bureaus = new Set(ref.bureaus.map((b) => b.code));
    expect(ref.officers.length).toBeGreaterThanOrEqual(300);
    expect(ref.officers.length).toBeLessThanOrEqual(500);
    expect(new Set(ref.officers.map((o) => o.id)).size).toBe(ref.officers.length);
    for (const o of ref.officers) {
      expect(o.id).toMatch(/^O\d{4}$/);
      expect(bureaus.has(o.bureau)).toBe(true);
      expect(o.level).toBeGreaterThanOrEqual(1);
      expect(o.level).toBeLessThanOrEqual(5);
      expect(o.name.length).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(ref.officers.map((o) => o.role))).toEqual(new Set(['tax', 'discipline', 'leader', 'analyst']));
    expect(new Set(ref.officers.map((o) => o.level))).toEqual(new Set([1, 2, 3, 4, 5]));
    for (const b of ref.bureaus) {
      const staff = ref.officers.filter((o) => o.bureau === b.code);
      const disc = staff.filter((o) => o.role === 'discipline');
      expect(disc.length).toBeGreaterThanOrEqual(4);
      expect(disc.every((o) => o.level >= 3)).toBe(true);
      expect(new Set(disc.map((o) => o.level)).size).toBeGreaterThan(1);
      expect(staff.some((o) => o.role === 'leader')).toBe(true);
      expect(staff.some((o) => o.role === 'analyst')).toBe(true);
    }
    // Mostly tax officers, with a pyramid of levels.
    const tax = ref.officers.filter((o) => o.role === 'tax');
    expect(tax.length / ref.officers.length).toBeGreaterThan(0.5);
    const l1 = tax.filter((o) => o.level === 1).length;
    const l5 = tax.filter((o) => o.level === 5).length;
    expect(l1).toBeGreaterThan(l5 * 2);
  });

  it('what it does when listing matters: 130 unique, all categories and platforms, bilingual, sane numbers', () => {
    expect(ref.matters).toHaveLength(130);
    expect(new Set(ref.matters.map((m) => m.code)).size).toBe(130);
    expect(new Set(ref.matters.map((m) => m.name)).size).toBe(130);
    for (const c of CATEGORIES) expect(ref.matters.filter((m) => m.category === c).length).toBeGreaterThanOrEqual(20);
    for (const p of PLATFORMS) expect(ref.matters.some((m) => m.platform === p)).toBe(true);
    const power = ref.matters.filter((m) => m.power).length / 130;
    expect(power).toBeGreaterThanOrEqual(0.4);
    expect(power).toBeLessThanOrEqual(0.5);
    for (const m of ref.matters) {
      expect(m.code).toMatch(/^M\d{3}$/);
      expect(m.name.trim().length).toBeGreaterThan(0);
      expect(m.name_en.trim().length).toBeGreaterThan(0);
      expect(m.standard_hours).toBeGreaterThanOrEqual(24);
      expect(m.standard_hours).toBeLessThanOrEqual(720);
      expect(m.difficulty).toBeGreaterThanOrEqual(1);
      expect(m.difficulty).toBeLessThanOrEqual(5);
      if (m.limits) {
        expect(m.power).toBe(true);
        expect(m.limits).toHaveLength(5);
        for (let i = 1; i < 5; i++) expect(m.limits[i]!).toBeGreaterThan(m.limits[i - 1]!);
      }
    }
    expect(ref.matters.filter((m) => m.limits).length).toBeGreaterThanOrEqual(10);
  });

  it('what it does for the fields indicators read: 24 auto matters (none a power matter), tags, penalty bands, required documents', () => {
    const auto = ref.matters.filter((m) => m.auto === true);
    expect(auto).toHaveLength(24);
    for (const m of auto) expect(m.power).toBe(false);
    const tagged = (t: string) => ref.matters.filter((m) => m.tags?.includes(t)).map((m) => m.code);
    for (const t of ['refund', 'bank_account', 'invoice_quota', 'credit_rating', 'registration', 'deregistration', 'arrears', 'abnormal_lift', 'preferential',
      'export_filing_change', 'export_refund', 'case_selection', 'case_examination', 'trial', 'enforcement', 'tax_return', 'return_correction']) {
      expect(tagged(t).length, t).toBeGreaterThan(0);
    }
    for (const m of ref.matters.filter((x) => x.penalty_band)) expect(m.penalty_band![0]).toBeLessThanOrEqual(m.penalty_band![1]);
    expect(ref.matters.filter((m) => m.penalty_band).length).toBeGreaterThanOrEqual(4);
    expect(ref.matters.filter((m) => m.required_docs).length).toBeGreaterThanOrEqual(8);
  });

  it('what it does when loaded in any process: the same data (fixed seed, no randomness)', () => {
    // Pinned values: a change here means the default data changed for every deployment.
    expect(ref.officers[0]).toEqual({ id: 'O0001', name: '卢强娟', bureau: 'B01', level: 3, role: 'tax', active: true });
    expect(ref.officers.find((o) => o.id === 'O0420')).toEqual({ id: 'O0420', name: '杜春志', bureau: 'HQ', level: 1, role: 'tax', active: true });
    // six departed officers close the register (SVC-17 needs an inactive account to be plantable)
    expect(ref.officers.at(-1)).toEqual({ id: 'O0426', name: '韩杰', bureau: 'B17', level: 3, role: 'tax', active: false });
    expect(ref.officers.filter((o) => o.active === false).map((o) => o.id)).toEqual(['O0421', 'O0422', 'O0423', 'O0424', 'O0425', 'O0426']);
    expect(ref.windows.filter((w) => w.bureau === 'B01')).toHaveLength(41);
    expect(ref.matters[34]).toMatchObject({ code: 'M035', name: '增值税留抵退税审批', name_en: 'VAT credit refund approval', power: true });
  });
});
