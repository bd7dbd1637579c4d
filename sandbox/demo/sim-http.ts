/**
 * Plain HTTP access to the two simulators for the demo seed, demo traffic and the soak. These
 * scripts play the merchant, the POS and the web shop, so they speak to the simulators over HTTP
 * like any outside caller would (DESIGN.md §2: sandbox/ only talks to the rest over HTTP) and
 * never reuse the connector's own clients: a wrong assumption in a client must not be shared here.
 */

export class SimHttpError extends Error {
  constructor(
    readonly system: 'heartland' | 'commerce',
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${system} ${method} ${path} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'SimHttpError';
  }
}

export interface SimApi {
  /** JSON request to the real API; throws SimHttpError on a non-2xx answer. */
  request<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** Same, but answers the status and `Location` too (Heartland creates answer 201 with an empty body). */
  send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; location: string | null }>;
  /** JSON request to a `/__sim/` control endpoint (no auth). */
  control<T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface SimApiOptions {
  /** API token (default: the sandbox token from the environment). */
  token?: string;
  /** Per request (default 30 s; keep it above any injected latency, see retryInjectedFaults). */
  timeoutMs?: number;
  /**
   * Retry answers the simulators' fault injection produces (429, 5xx, dropped connection) until
   * they succeed. Safe only because both simulators inject faults BEFORE handling the request, so
   * a refused request changed nothing; requires timeoutMs above the longest injected latency.
   * The soak's workload uses it: the merchant's systems must not lose business to the faults that
   * are aimed at the connector.
   */
  retryInjectedFaults?: { maxAttempts: number; delayMs: number };
}

interface SimTarget {
  system: 'heartland' | 'commerce';
  /** Base of the real API paths (ends with `/`). */
  apiBase: string;
  origin: string;
  authorization: string;
  timeoutMs: number;
  retry?: { maxAttempts: number; delayMs: number };
}

const INJECTED_STATUSES = new Set([429, 500, 502, 503, 504]);

function createSimApi(target: SimTarget): SimApi {
  async function raw(method: string, url: string, headers: Record<string, string>, body: unknown) {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, text, body: parsed, location: response.headers.get('location') };
  }
  const api: SimApi = {
    async send(method, path, body) {
      const url = target.apiBase + path.replace(/^\//, '');
      const attempts = target.retry?.maxAttempts ?? 1;
      for (let attempt = 1; ; attempt++) {
        let r: Awaited<ReturnType<typeof raw>>;
        try {
          r = await raw(method, url, { authorization: target.authorization }, body);
        } catch (error) {
          // A dropped connection (TypeError from fetch); a timeout is not retried: the request may still run.
          if (attempt < attempts && error instanceof TypeError) {
            await new Promise((done) => setTimeout(done, target.retry!.delayMs));
            continue;
          }
          throw error;
        }
        if (attempt < attempts && INJECTED_STATUSES.has(r.status)) {
          // Retry-After is ignored on purpose: the soak's injected values are for the connector to honour.
          await new Promise((done) => setTimeout(done, target.retry!.delayMs));
          continue;
        }
        if (r.status >= 400) throw new SimHttpError(target.system, method, path, r.status, r.text);
        return { status: r.status, body: r.body, location: r.location };
      }
    },
    async request(method, path, body) {
      return (await api.send(method, path, body)).body;
    },
    async control(method, path, body) {
      const url = `${target.origin}/__sim/${path.replace(/^\/?(__sim\/)?/, '')}`;
      const r = await raw(method, url, {}, body);
      if (r.status >= 400) throw new SimHttpError(target.system, method, `/__sim/${path}`, r.status, r.text);
      return r.body as any;
    },
  };
  return api;
}

/** Heartland simulator: `url` is the sandbox's `…/api/`. */
export function heartlandApi(url: string, options: SimApiOptions = {}): SimApi {
  const apiBase = url.endsWith('/') ? url : `${url}/`;
  const token = options.token ?? process.env.HEARTLAND_API_TOKEN ?? 'sandbox-heartland-token';
  return createSimApi({ system: 'heartland', apiBase, origin: new URL(apiBase).origin, authorization: `Bearer ${token}`, timeoutMs: options.timeoutMs ?? 30_000, retry: options.retryInjectedFaults });
}

/** Commerce simulator (PaaS paths, default store): `url` is the simulator's root. */
export function commerceApi(url: string, options: SimApiOptions = {}): SimApi {
  const origin = new URL(url).origin;
  const token = options.token ?? process.env.COMMERCE_ACCESS_TOKEN ?? 'sandbox-commerce-token';
  return createSimApi({ system: 'commerce', apiBase: `${origin}/rest/V1/`, origin, authorization: `Bearer ${token}`, timeoutMs: options.timeoutMs ?? 30_000, retry: options.retryInjectedFaults });
}

/** Heartland collection pages: every row of a `{results, pages}` collection. */
export async function heartlandAll<T = any>(api: SimApi, path: string, query: Record<string, string | string[]> = {}): Promise<T[]> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  params.set('per_page', '1000');
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    params.set('page', String(page));
    const body = await api.request<{ results: T[]; pages: number }>('GET', `${path}?${params.toString()}`);
    rows.push(...body.results);
    if (page >= (body.pages ?? 1) || body.results.length === 0) return rows;
  }
}

/** Magento search criteria as query parameters (commerce.md: `searchCriteria[filter_groups]…`). */
export function searchCriteria(filters: Array<{ field: string; value: string; condition?: string }>, pageSize = 1000, page = 1): string {
  const params = new URLSearchParams();
  filters.forEach((f, i) => {
    params.set(`searchCriteria[filter_groups][${i}][filters][0][field]`, f.field);
    params.set(`searchCriteria[filter_groups][${i}][filters][0][value]`, f.value);
    params.set(`searchCriteria[filter_groups][${i}][filters][0][condition_type]`, f.condition ?? 'eq');
  });
  params.set('searchCriteria[pageSize]', String(pageSize));
  params.set('searchCriteria[currentPage]', String(page));
  return params.toString();
}

/** Every row of a Magento search endpoint (`{items, total_count}`). */
export async function commerceAll<T = any>(api: SimApi, path: string, filters: Array<{ field: string; value: string; condition?: string }> = []): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const body = await api.request<{ items: T[]; total_count: number }>('GET', `${path}?${searchCriteria(filters, 500, page)}`);
    rows.push(...(body.items ?? []));
    if (rows.length >= (body.total_count ?? 0) || (body.items ?? []).length === 0) return rows;
  }
}
