/**
 * Server-side OAuth 1.0a check as Magento's integration auth does it (commerce.md §1.2): RFC 5849
 * signature base string over method, base URL and all parameters (oauth_* from the header plus the
 * query string), HMAC-SHA256 keyed with `enc(consumer_secret)&enc(token_secret)`, a 600 s timestamp
 * window, and nonces that may be used once. Written from the RFC, not from the client's library,
 * so a client signing bug shows up as a 401 here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIME_DEVIATION_SECONDS = 600;

/** RFC 3986 percent-encoding (unreserved characters kept). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `OAuth a="1", b="2"` → {a:'1', b:'2'}; undefined when the header is not an OAuth header. */
export function parseOAuthHeader(header: string): Record<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/i.exec(header.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(match[1]!))) {
    try {
      params[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

export function signatureBaseString(method: string, baseUrl: string, params: [string, string][]): string {
  const encoded = params.map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const paramString = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), rfc3986(baseUrl), rfc3986(paramString)].join('&');
}

export interface OAuthCheckInput {
  method: string;
  /** scheme://host[:port]/path as the client addressed it (no query). */
  baseUrl: string;
  query: URLSearchParams;
  authorization: string;
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
  nowSeconds: number;
  /** Returns false when the nonce was already used (for this consumer and timestamp). */
  useNonce: (nonce: string, timestamp: number) => boolean;
}

/** Returns undefined when the request is correctly signed, or the reason it is not. */
export function checkOAuthSignature(input: OAuthCheckInput): string | undefined {
  const oauth = parseOAuthHeader(input.authorization);
  if (!oauth) return 'not an OAuth header';
  for (const key of ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_token']) {
    if (!oauth[key]) return `missing ${key}`;
  }
  if (oauth.oauth_version && oauth.oauth_version !== '1.0') return 'oauth_version must be 1.0';
  if (oauth.oauth_signature_method !== 'HMAC-SHA256') return `signature method ${oauth.oauth_signature_method} is not supported`;
  if (oauth.oauth_consumer_key !== input.consumerKey) return 'unknown consumer key';
  if (oauth.oauth_token !== input.accessToken) return 'unknown access token';
  const timestamp = Number(oauth.oauth_timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(input.nowSeconds - timestamp) > TIME_DEVIATION_SECONDS) return 'timestamp outside the allowed window';
  const params: [string, string][] = [];
  for (const [k, v] of Object.entries(oauth)) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
  input.query.forEach((v, k) => params.push([k, v]));
  const base = signatureBaseString(input.method, input.baseUrl, params);
  const key = `${rfc3986(input.consumerSecret)}&${rfc3986(input.accessTokenSecret)}`;
  const expected = Buffer.from(createHmac('sha256', key).update(base).digest('base64'));
  const given = Buffer.from(oauth.oauth_signature!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid signature';
  // The nonce is spent only by a correctly signed request, so a forged request cannot burn it.
  if (!input.useNonce(oauth.oauth_nonce!, timestamp)) return 'nonce already used';
  return undefined;
}
