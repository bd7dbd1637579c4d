/**
 * Request authorisation for Commerce: OAuth 1.0a HMAC-SHA256 integration signatures (with the
 * query parameters in the base string, as the Adobe SDK does, commerce.md §1.2), integration or
 * admin bearer tokens, and IMS client-credentials tokens for SaaS (§1.4), cached until shortly
 * before they expire. The `oauth-1.0a` package does the RFC 5849 work.
 */
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { UpstreamError } from '../platform/http';
import type { Clock } from '../platform/ports';
import { systemClock } from '../platform/ports';

export type CommerceAuth =
  | { kind: 'oauth1'; consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'ims'; clientId: string; clientSecret: string; orgId: string; scopes: string[]; tokenUrl?: string };

export type Authorize = (request: { method: string; url: string; headers: Record<string, string> }) => Promise<void> | void;

export const DEFAULT_IMS_TOKEN_URL = 'https://ims-na1.adobelogin.com/ims/token/v3';
/** Scopes SaaS needs (commerce.md §1.4); always requested with IMS. */
export const SAAS_REQUIRED_SCOPES = ['openid', 'additional_info.projectedProductContext', 'commerce.accs'];

export function oauth1Authorizer(auth: Extract<CommerceAuth, { kind: 'oauth1' }>, clock: Clock = systemClock): Authorize {
  const oauth = new OAuth({
    consumer: { key: auth.consumerKey, secret: auth.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  // The signature window is 600 s on the server: sign with the injected clock so tests can move time.
  oauth.getTimeStamp = () => Math.floor(clock.now() / 1000);
  const token = { key: auth.accessToken, secret: auth.accessTokenSecret };
  return ({ method, url, headers }) => {
    const u = new URL(url);
    const data: Record<string, string | string[]> = {};
    u.searchParams.forEach((value, key) => {
      const existing = data[key];
      data[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    });
    const signed = oauth.authorize({ url: `${u.origin}${u.pathname}`, method, data }, token);
    headers.authorization = oauth.toHeader(signed).Authorization;
  };
}

export function bearerAuthorizer(token: string): Authorize {
  return ({ headers }) => {
    headers.authorization = `Bearer ${token}`;
  };
}

export interface ImsTokenSource {
  token(): Promise<string>;
  /** Forget the cached token (after a 401). */
  invalidate(): void;
}

export function imsTokenSource(auth: Extract<CommerceAuth, { kind: 'ims' }>, opts: { fetch?: typeof fetch; clock?: Clock } = {}): ImsTokenSource {
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? systemClock;
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  const url = auth.tokenUrl ?? DEFAULT_IMS_TOKEN_URL;
  async function fetchToken(): Promise<string> {
    const scopes = [...new Set([...auth.scopes, ...SAAS_REQUIRED_SCOPES])].join(',');
    const body = new URLSearchParams({ client_id: auth.clientId, client_secret: auth.clientSecret, grant_type: 'client_credentials', scope: scopes });
    let res: Response;
    try {
      res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(20_000) });
    } catch (err) {
      throw new UpstreamError({ system: 'ims', status: 0, method: 'POST', url, code: 'network_error', message: `IMS token request failed: ${(err as Error).message}` });
    }
    const json = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || typeof json.access_token !== 'string') {
      throw new UpstreamError({ system: 'ims', status: res.status, method: 'POST', url, code: json.error, details: json, message: `IMS token request → ${res.status}: ${json.error_description ?? json.error ?? 'no access_token in the response'}` });
    }
    const ttlMs = (typeof json.expires_in === 'number' ? json.expires_in : 3600) * 1000;
    // Renew a minute early (or at half-life for short tokens) so a token never expires mid-request.
    cached = { token: json.access_token, expiresAt: clock.now() + Math.max(ttlMs / 2, ttlMs - 60_000) };
    return json.access_token;
  }
  return {
    async token() {
      if (cached && cached.expiresAt > clock.now()) return cached.token;
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

export function imsAuthorizer(auth: Extract<CommerceAuth, { kind: 'ims' }>, source: ImsTokenSource): Authorize {
  return async ({ headers }) => {
    headers.authorization = `Bearer ${await source.token()}`;
    headers['x-api-key'] = auth.clientId;
    headers['x-gw-ims-org-id'] = auth.orgId;
  };
}
