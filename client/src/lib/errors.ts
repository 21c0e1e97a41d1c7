/**
 * Server errors shown in the UI's language: the server answers `{"error":{"code","message"}}`
 * (api.md); the code picks a sentence in zh-CN or English, the message (which names the field,
 * in English) follows it as the detail.
 */
import { ApiError } from './api';
import { i18n, type StringKey } from './state/i18n.svelte';

const CODE_KEYS: Record<string, StringKey> = {
  bad_request: 'err_bad_request', bad_json: 'err_bad_json', unauthorized: 'err_unauthorized', forbidden: 'err_forbidden',
  not_found: 'err_not_found', conflict: 'err_conflict', payload_too_large: 'err_payload_too_large',
  too_many_requests: 'err_too_many_requests', overloaded: 'err_overloaded', unavailable: 'err_unavailable', internal: 'err_internal',
};

const STATUS_KEYS: Record<number, StringKey> = {
  400: 'err_bad_request', 401: 'err_unauthorized', 403: 'err_forbidden', 404: 'err_not_found', 409: 'err_conflict',
  413: 'err_payload_too_large', 429: 'err_too_many_requests', 503: 'err_unavailable',
};

/** The sentence for an error code (or, for a code this client does not know, its status). */
export function errorLabel(code: string, status?: number): string {
  const key = CODE_KEYS[code] ?? (status !== undefined ? STATUS_KEYS[status] : undefined);
  return key ? i18n.t(key) : i18n.t('err_unknown');
}

/** What the UI shows for a failed call: the sentence in the UI's language, then the server's detail. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const label = errorLabel(e.code, e.status);
    if (!e.message || e.message === label) return label;
    return i18n.lang === 'zh' ? `${label}（${e.message}）` : `${label} (${e.message})`;
  }
  if (e instanceof TypeError) return i18n.t('err_network');
  return e instanceof Error ? e.message : String(e);
}
