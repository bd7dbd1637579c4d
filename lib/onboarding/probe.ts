/**
 * One HTTP request with a precise outcome for onboarding checks: a network failure keeps its cause
 * (DNS, refused, timeout, TLS), an HTTP answer keeps its status and parsed body. The only retry is
 * a 429 (the request was turned away unprocessed): after its Retry-After, at most twice, so a
 * rate-limited account still gets a verdict; anything else is reported as answered.
 */
import { parseRetryAfter } from '../platform/http';

export type ProbeResult =
  | { kind: 'answer'; status: number; body: unknown; text: string; headers: Headers }
  | { kind: 'network'; code: string; message: string };

export interface ProbeRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const NETWORK_WORDS: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ECONNREFUSED: 'the connection was refused (nothing listens on that port)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  TimeoutError: 'no answer within the timeout',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the TLS certificate cannot be verified',
};

export function describeNetworkCode(code: string): string {
  return NETWORK_WORDS[code] ?? `network error ${code}`;
}

const MAX_429_RETRIES = 2;
const MAX_RETRY_AFTER_MS = 10_000;

export async function probe(request: ProbeRequest): Promise<ProbeResult> {
  for (let attempt = 0; ; attempt++) {
    const result = await probeOnce(request);
    if (result.kind !== 'answer' || result.status !== 429 || attempt >= MAX_429_RETRIES) return result;
    const wait = Math.min(parseRetryAfter(result.headers.get('retry-after')) ?? 1000 * (attempt + 1), MAX_RETRY_AFTER_MS);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function probeOnce(request: ProbeRequest): Promise<ProbeResult> {
  const doFetch = request.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let payload: string | undefined;
  if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  try {
    const response = await doFetch(request.url, {
      method: request.method ?? 'GET',
      headers,
      body: payload,
      signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    let body: unknown = undefined;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined; // an HTML error page: callers see `text`
      }
    }
    return { kind: 'answer', status: response.status, body, text, headers: response.headers };
  } catch (error) {
    const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = err.cause?.code ?? (err.name === 'TimeoutError' || err.name === 'AbortError' ? 'TimeoutError' : err.name ?? 'Error');
    const message = err.cause?.message ?? err.message ?? String(error);
    // Unknown codes keep their message (undici's "bad port", "invalid URL") so the verdict stays precise.
    return { kind: 'network', code: code in NETWORK_WORDS ? code : `${code}: ${message}`, message };
  }
}
