/**
 * Taxpayer tokens: what analysts see and filter by instead of a taxpayer id. A token is the first
 * 64 bits of HMAC-SHA-256(id) under a key kept in DATA_DIR/secrets.json, so one taxpayer always has
 * the same token (an analyst can follow them across alerts and events) while nobody without the
 * key can tell which id a token stands for, or test a guessed id against it.
 */
import { createHash, createHmac } from 'node:crypto';

export const TAXPAYER_TOKEN = /^tp_[0-9a-f]{16}$/;
const BLOCK = 64;

/** The HMAC pads, so ClickHouse can compute the same HMAC in a filter (SHA256 of the padded key and the id). */
export interface HmacPads { ipad: string; opad: string }

export class TaxpayerTokens {
  readonly pads: HmacPads;

  constructor(private readonly key: string) {
    let k = Buffer.from(key, 'utf8');
    if (k.length > BLOCK) k = createHash('sha256').update(k).digest();
    const padded = Buffer.concat([k, Buffer.alloc(BLOCK - k.length)]);
    this.pads = {
      ipad: Buffer.from(padded.map((b) => b ^ 0x36)).toString('hex'),
      opad: Buffer.from(padded.map((b) => b ^ 0x5c)).toString('hex'),
    };
  }

  token(taxpayer: string): string {
    return `tp_${createHmac('sha256', this.key).update(taxpayer, 'utf8').digest('hex').slice(0, 16)}`;
  }
}

/** What a taxpayer filter matches: raw ids and/or tokens (an analyst may give tokens only). */
export interface TaxpayerFilter { ids: string[]; tokens: string[] }

export function splitTaxpayerFilter(values: readonly string[]): TaxpayerFilter {
  const tokens = values.filter((v) => TAXPAYER_TOKEN.test(v));
  return { ids: values.filter((v) => !TAXPAYER_TOKEN.test(v)), tokens: tokens.map((t) => t.slice(3)) };
}
