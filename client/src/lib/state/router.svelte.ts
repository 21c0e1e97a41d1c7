/** Hash routing: `#/view?key=value`; the query holds view state so links are shareable and Back works. */
export interface Route { view: string; params: Record<string, string> }

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = h.split('?');
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(qs)) params[k] = v;
  return { view: path || '', params };
}

export function buildHash(view: string, params: Record<string, string | undefined | null> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const s = qs.toString();
  return `#/${view}${s ? `?${s}` : ''}`;
}

class Router {
  route = $state<Route>(parseHash(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => { this.route = parseHash(location.hash); });
  }

  /** A new history entry (Back returns here). */
  go(view: string, params: Record<string, string | undefined | null> = {}) {
    location.hash = buildHash(view, params);
  }

  /** Same entry, new state (filters that should not pile up history). */
  replace(view: string, params: Record<string, string | undefined | null> = {}) {
    history.replaceState(null, '', buildHash(view, params));
    this.route = parseHash(location.hash);
  }
}

export const router = new Router();
