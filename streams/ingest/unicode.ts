/**
 * Well-formed Unicode checks. A JSON string may carry a lone UTF-16 surrogate (`"\ud800"`): it is
 * valid JSON, but no UTF-8 encoding of it exists, and ClickHouse refuses the whole insert that
 * carries it. Node 20 has the native ES2024 methods; the lib target here (ES2022) does not type them.
 */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

export const isWellFormed = (s: string): boolean => (s as WellFormedString).isWellFormed();

/** Lone surrogates replaced by U+FFFD: for text we show or store about a rejection (ids, reasons). */
export const toWellFormed = (s: string): string => (s as WellFormedString).toWellFormed();
