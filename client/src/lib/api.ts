/**
 * HTTP to the server through the typed contract (server/http/contract.ts): `request(endpoint, …)`
 * fills the path params, sends the query and JSON body, and resolves to the endpoint's response
 * type; errors reject as ApiError with the server's code. The browser is authenticated by the
 * HttpOnly session cookie alone: no token is held in script (docs/security.md).
 */
import type { BodyOf, EndpointKey, ParamsOf, QueryOf, ResponseOf } from '../../../server/http/contract';

export type * from '../../../server/http/contract';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

let unauthorized: (() => void) | null = null;
/** Called on a 401 (other than a failed login): the session has ended. */
export function onUnauthorized(fn: () => void) { unauthorized = fn; }

type Opt<T, K extends string> = [T] extends [never] ? { [P in K]?: never } : T extends Record<string, never> ? { [P in K]?: T } : { [P in K]: T };
export type RequestOptions<K extends EndpointKey> = Opt<ParamsOf<K>, 'params'> & { query?: QueryOf<K> } & Opt<BodyOf<K>, 'body'> & { signal?: AbortSignal };

/** The URL of an endpoint with its params and query filled in (empty values left out). */
export function endpointUrl(path: string, params?: Record<string, string>, query?: Record<string, unknown>): string {
  let url = path.replace(/:(\w+)/g, (_m, k: string) => {
    const v = params?.[k];
    if (v === undefined) throw new Error(`${path}: missing path parameter ${k}`);
    return encodeURIComponent(v);
  });
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    if (s) url += `?${s}`;
  }
  return url;
}

export async function request<K extends EndpointKey>(endpoint: K, ...[opts]: {} extends RequestOptions<K> ? [RequestOptions<K>?] : [RequestOptions<K>]): Promise<ResponseOf<K>> {
  const o = (opts ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
  const sp = endpoint.indexOf(' ');
  const method = endpoint.slice(0, sp);
  const url = endpointUrl(endpoint.slice(sp + 1), o.params, o.query);
  const headers: Record<string, string> = {};
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal: o.signal });
  const text = await res.text();
  let data: unknown = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    if (res.status === 401 && url !== '/api/auth/login') unauthorized?.();
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? String(res.status), err?.message ?? res.statusText);
  }
  return data as ResponseOf<K>;
}

/**
 * Uploads a file to POST /api/imports (the body is the file itself, streamed to disk by the
 * server). XMLHttpRequest rather than fetch: it reports the upload's progress.
 */
export function uploadImport(file: Blob, query: QueryOf<'POST /api/imports'>, onProgress: (sent: number, total: number) => void): Promise<ResponseOf<'POST /api/imports'>> {
  return new Promise((ok, fail) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', endpointUrl('/api/imports', undefined, query));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => fail(new ApiError(0, 'network', 'the upload did not reach the server'));
    xhr.onload = () => {
      let data: unknown = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) return ok(data as ResponseOf<'POST /api/imports'>);
      if (xhr.status === 401) unauthorized?.();
      const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
      fail(new ApiError(xhr.status, err?.code ?? String(xhr.status), err?.message ?? xhr.statusText));
    };
    xhr.send(file);
  });
}
