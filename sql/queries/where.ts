/**
 * The one WHERE builder: conditions over allow-listed column expressions, values only through
 * query parameters (each condition gets its own parameter names), joined with AND.
 */
export interface Where { sql: string; params: Record<string, unknown> }

export class WhereBuilder {
  private readonly parts: string[] = [];
  readonly params: Record<string, unknown> = {};
  private n = 0;

  constructor(private readonly prefix = 'w') {}

  private name(): string { return `${this.prefix}${this.n++}`; }

  /** `expr IN values` (skipped when values is undefined; an empty list matches nothing). */
  in(expr: string, values: readonly string[] | undefined): this {
    if (values === undefined) return this;
    const p = this.name();
    this.parts.push(`${expr} IN {${p}:Array(String)}`);
    this.params[p] = values;
    return this;
  }

  /** `expr op value` for a typed value; op from a fixed set. */
  cmp(expr: string, op: '>=' | '<' | '>' | '<=' | '=', type: 'Int64' | 'String' | 'UInt64', value: number | string | undefined): this {
    if (value === undefined) return this;
    const p = this.name();
    this.parts.push(`${expr} ${op} {${p}:${type}}`);
    this.params[p] = value;
    return this;
  }

  /** A condition written by the caller with its own parameters (names must not collide). */
  raw(sql: string, params: Record<string, unknown> = {}): this {
    this.parts.push(sql);
    Object.assign(this.params, params);
    return this;
  }

  /** The conditions joined with AND ('1' when there are none), without the WHERE keyword. */
  get conditions(): string { return this.parts.length ? this.parts.map((p) => `(${p})`).join(' AND ') : '1'; }

  build(): Where { return { sql: this.parts.length ? `WHERE ${this.conditions}` : '', params: this.params }; }
}
