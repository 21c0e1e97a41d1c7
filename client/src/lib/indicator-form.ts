/**
 * The indicator page's parameter form, pure: which fields a definition's `params` give (by the
 * type of each value), what a typed value parses to, and the catalog list's search and sort.
 * The server validates the whole definition again (streams/catalog/validate.ts); this catches
 * what can be caught before a round trip, naming the field.
 */
export type FieldKind = 'number' | 'boolean' | 'text' | 'json';
export interface ParamField { key: string; kind: FieldKind; value: unknown }

export function paramFields(params: Record<string, unknown> | null | undefined): ParamField[] {
  return Object.entries(params ?? {}).map(([key, value]) => ({
    key,
    value,
    kind: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'text' : 'json',
  }));
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** The value typed into a field of this kind, or an error naming `params.<key>`. */
export function parseField(key: string, kind: FieldKind, input: string | boolean): Parsed {
  const name = `params.${key}`;
  if (kind === 'boolean') return { ok: true, value: input === true || input === 'true' };
  const text = String(input);
  if (kind === 'number') {
    if (text.trim() === '') return { ok: false, error: `${name}: a number is required` };
    const n = Number(text);
    if (!Number.isFinite(n)) return { ok: false, error: `${name}: must be a number` };
    if (n < 0) return { ok: false, error: `${name}: must not be negative` };
    return { ok: true, value: n };
  }
  if (kind === 'text') return text.trim() ? { ok: true, value: text } : { ok: false, error: `${name}: must not be empty` };
  try { return { ok: true, value: JSON.parse(text) as unknown }; } catch { return { ok: false, error: `${name}: is not valid JSON` }; }
}

export interface CatalogRow { id: string; name: { zh: string; en: string }; category: string; severity: string; hits?: number; confirmed_share?: number | null; enabled: boolean }
export const CATALOG_SORTS = ['id', 'hits_desc', 'confirmed_desc', 'severity'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];
const SEV_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Rows whose id or name (either language) contains `q`, case-insensitively, in the asked order (ties by id). */
export function searchCatalog<T extends CatalogRow>(rows: readonly T[], q: string, sort: CatalogSort): T[] {
  const needle = q.trim().toLowerCase();
  const hit = needle ? rows.filter((d) => `${d.id}\n${d.name.zh}\n${d.name.en}`.toLowerCase().includes(needle)) : rows.slice();
  const byId = (a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const key: Record<CatalogSort, (a: T, b: T) => number> = {
    id: byId,
    hits_desc: (a, b) => (b.hits ?? 0) - (a.hits ?? 0) || byId(a, b),
    confirmed_desc: (a, b) => (b.confirmed_share ?? -1) - (a.confirmed_share ?? -1) || byId(a, b),
    severity: (a, b) => (SEV_RANK[a.severity] ?? 9) - (SEV_RANK[b.severity] ?? 9) || byId(a, b),
  };
  return hit.sort(key[sort]);
}
