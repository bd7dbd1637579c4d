/**
 * One HTTP transport for every upstream (Heartland, Commerce): timeouts, a per-upstream rate and
 * concurrency limit (p-queue, strict sliding window), retries with exponential backoff and full
 * jitter that honour `Retry-After` (cockatiel), a correlation id header on every request, and one
 * error type that carries what the rejecting system said. Clients add auth and paths on top.
 *
 * Why libraries: p-queue's strict mode guarantees "never more than N per rolling second", which
 * a hand-written token bucket tends to get wrong at window edges; cockatiel gives retry and circuit
 * breaker policies with a backoff delegate, so the Retry-After rule lives in one small function.
 */
import PQueue from 'p-queue';
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import type { Clock, Logger } from './ports';
import { systemClock } from './ports';

export type UpstreamSystem = 'heartland' | 'commerce' | 'ims' | 'runtime';

/** An upstream refused or failed a request. `retryable` follows DESIGN.md §6. */
export class UpstreamError extends Error {
  readonly system: UpstreamSystem;
  readonly status: number; // 0 for network errors and timeouts
  readonly code?: string; // the upstream's own error code, e.g. Heartland "validation_error"
  readonly details?: unknown; // field errors or the raw body
  readonly retryAfterMs?: number;
  readonly method: string;
  readonly url: string;
  readonly retryable: boolean;

  constructor(init: {
    system: UpstreamSystem;
    status: number;
    message: string;
    method: string;
    url: string;
    code?: string;
    details?: unknown;
    retryAfterMs?: number;
    retryable?: boolean;
  }) {
    super(init.message);
    this.name = 'UpstreamError';
    this.system = init.system;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.url = init.url;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
  }
}

/** Network (0), timeout (408), rate limit (429) and 5xx except 501/505 are worth another try. */
export function isRetryableStatus(status: number): boolean {
  if (status === 0 || status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full-jitter exponential backoff: a random delay in [0, min(cap, base·2^(attempt-1))]. */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export interface HttpClientOptions {
  system: UpstreamSystem;
  baseUrl: string;
  /** Requests per second (strict rolling window). Default: unlimited. */
  ratePerSecond?: number;
  /**
   * Length of the rolling window `ratePerSecond` applies to, in ms. Default 1000. A slightly longer
   * window leaves a margin for jitter between the limiter releasing a request and the upstream
   * receiving it, so the rate measured at the upstream stays within its limit too.
   */
  rateWindowMs?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Per-attempt timeout. Default 20 s. */
  timeoutMs?: number;
  /** Attempts in total, the first included. Default 4. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest Retry-After we wait for inside one invocation; beyond it the error surfaces (the pipeline schedules a persisted retry). */
  maxRetryAfterMs?: number;
  /** Headers added to every request (auth is added by `authorize`). */
  headers?: Record<string, string>;
  /** Signs or authorizes a request; called on every attempt (OAuth nonces must differ). */
  authorize?: (request: { method: string; url: string; headers: Record<string, string> }) => Promise<void> | void;
  /** Turns an error body into `{code, message, details}`. */
  parseError?: (status: number, body: unknown, text: string) => { code?: string; message: string; details?: unknown };
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';
  /** Path relative to baseUrl (leading slash optional), or an absolute URL (e.g. a `Location`). */
  path: string;
  query?: URLSearchParams | Record<string, string | number | boolean | undefined | Array<string | number>>;
  body?: unknown;
  headers?: Record<string, string>;
  correlationId?: string;
  /** Overrides the client's attempts for this request (1 = no retry, e.g. for a non-idempotent write). */
  maxAttempts?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  url: string;
}

export const CORRELATION_HEADER = 'x-correlation-id';

export function buildUrl(baseUrl: string, path: string, query?: HttpRequest['query']): string {
  const url = /^https?:\/\//.test(path)
    ? new URL(path)
    : new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : baseUrl + '/');
  if (query instanceof URLSearchParams) {
    query.forEach((v, k) => url.searchParams.append(k, v));
  } else if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((item) => url.searchParams.append(k, String(item)));
      else url.searchParams.append(k, String(v));
    }
  }
  return url.toString();
}

export interface HttpClient {
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  /** Requests actually sent, retries included (for tests and benchmarks). */
  readonly stats: { requests: number; retries: number };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const baseMs = options.backoffBaseMs ?? 200;
  const capMs = options.backoffCapMs ?? 5_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const queue = new PQueue({
    concurrency: options.concurrency ?? 8,
    ...(options.ratePerSecond ? { intervalCap: options.ratePerSecond, interval: options.rateWindowMs ?? 1000, strict: true } : {}),
  });
  const stats = { requests: 0, retries: 0 };

  async function attempt<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const url = buildUrl(options.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...req.headers };
    if (req.correlationId) headers[CORRELATION_HEADER] = req.correlationId;
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    await options.authorize?.({ method: req.method, url, headers });
    stats.requests++;
    let response: Response;
    try {
      response = await doFetch(url, { method: req.method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new UpstreamError({
        system: options.system,
        status: 0,
        method: req.method,
        url,
        code: timedOut ? 'timeout' : 'network_error',
        message: `${options.system} ${req.method} ${url}: ${timedOut ? `no answer within ${timeoutMs} ms` : (err as Error).message}`,
      });
    }
    const text = req.method === 'HEAD' ? '' : await response.text().catch(() => '');
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!response.ok) {
      const parsed = options.parseError?.(response.status, body, text) ?? {
        message: typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : text.slice(0, 300),
      };
      throw new UpstreamError({
        system: options.system,
        status: response.status,
        method: req.method,
        url,
        code: parsed.code,
        details: parsed.details ?? body,
        message: `${options.system} ${req.method} ${new URL(url).pathname} → ${response.status}: ${parsed.message}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), clock.now()),
      });
    }
    return { status: response.status, headers: response.headers, body: body as T, url };
  }

  function policyFor(maxAttempts: number) {
    return retry(
      handleWhen((err) => err instanceof UpstreamError && err.retryable && (err.retryAfterMs ?? 0) <= maxRetryAfterMs),
      {
        maxAttempts: Math.max(0, maxAttempts - 1),
        backoff: new DelegateBackoff<{ attempt: number; result: unknown }>((ctx) => {
          const failure = ctx.result as { error?: unknown };
          const hinted = failure.error instanceof UpstreamError ? failure.error.retryAfterMs : undefined;
          return hinted !== undefined ? hinted : fullJitterDelay(ctx.attempt, baseMs, capMs, random);
        }),
      },
    );
  }
  const defaultPolicy = policyFor(options.maxAttempts ?? 4);
  defaultPolicy.onRetry(() => stats.retries++);

  return {
    stats,
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      const policy = req.maxAttempts !== undefined ? policyFor(req.maxAttempts) : defaultPolicy;
      if (policy !== defaultPolicy) policy.onRetry(() => stats.retries++);
      return policy.execute(() => queue.add(() => attempt<T>(req)) as Promise<HttpResponse<T>>);
    },
  };
}
