/** The taxpayer filter of list routes: ids for those who see ids, tokens for analysts (who never give an id). */
import type { SessionUser } from '../auth/tokens.js';
import { splitTaxpayerFilter, type TaxpayerTokens } from '../auth/taxpayer-tokens.js';
import type { TaxpayerTokenFilter } from '../../sql/queries/taxpayer-token.js';
import { badRequest, forbidden } from './errors.js';

export function taxpayerFilter(user: SessionUser, values: string[] | undefined, tokens: TaxpayerTokens): { ids?: string[]; byToken?: TaxpayerTokenFilter } {
  if (!values?.length) return {};
  const split = splitTaxpayerFilter(values);
  if (user.role === 'analyst' && split.ids.length) throw forbidden('taxpayer: analysts filter by the taxpayer token they are shown (tp_…), not by an id');
  if (split.ids.length && split.tokens.length) throw badRequest('taxpayer: give ids or tokens, not both');
  return split.tokens.length ? { byToken: { tokens: split.tokens, pads: tokens.pads } } : { ids: split.ids };
}
