/** A filter on taxpayer tokens (server/auth/taxpayer-tokens.ts): ClickHouse computes each row's HMAC-SHA-256 from the key pads. */
export interface TaxpayerTokenFilter { tokens: string[]; pads: { ipad: string; opad: string } }

/** The condition and its params; `column` comes from the caller's allow-list, never from input. */
export function taxpayerTokenWhere(column: 'taxpayer', f: TaxpayerTokenFilter): { sql: string; params: Record<string, unknown> } {
  return {
    sql: `substring(lower(hex(SHA256(concat(unhex({tp_opad:String}), SHA256(concat(unhex({tp_ipad:String}), ${column})))))), 1, 16) IN {tp_tokens:Array(String)}`,
    params: { tp_opad: f.pads.opad, tp_ipad: f.pads.ipad, tp_tokens: f.tokens },
  };
}
