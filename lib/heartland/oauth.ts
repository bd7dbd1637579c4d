/**
 * Heartland Retail OAuth 2.0 authorization-code support (heartland.md §1.3).
 * Certain: the authorize URL `https://retail.heartland.us/oauth/authorize` with `client_id`,
 * space-delimited `scope`, `redirect_uri`, `state` (+ `response_type=code` as third parties send).
 * Unverified [U] (from one third-party library): the token exchange
 * `GET https://retail.heartland.us/api/oauth/token?client_id&client_secret&code&grant_type&redirect_uri`
 * and host discovery `GET /api/system/host` → `{host}`. Both endpoints are configurable for that reason.
 */
import { createHttpClient, type HttpClientOptions } from '../platform/http';
import { OAuthTokenResponse, SystemHost } from './payloads';
import { parseHeartlandError } from './errors';

export const HEARTLAND_AUTHORIZE_URL = 'https://retail.heartland.us/oauth/authorize';
/** ASSUMED (S6 only). */
export const HEARTLAND_TOKEN_URL = 'https://retail.heartland.us/api/oauth/token';
/** ASSUMED (S6 only). */
export const HEARTLAND_HOST_URL = 'https://retail.heartland.us/api/system/host';

export interface HeartlandOAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Scopes like `item.read`, `customer.manage` (the official list is unknown, §1.3). */
  scopes: string[];
  authorizeUrl?: string;
  tokenUrl?: string;
  hostUrl?: string;
  /** ASSUMED: S6 uses GET with query parameters; `post` sends a form body instead. */
  tokenMethod?: 'get' | 'post';
}

export function buildAuthorizeUrl(config: HeartlandOAuthConfig, state: string): string {
  if (!state) throw new Error('OAuth state is required (CSRF protection)');
  const url = new URL(config.authorizeUrl ?? HEARTLAND_AUTHORIZE_URL);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('scope', config.scopes.join(' '));
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('response_type', 'code');
  return url.toString();
}

/** Reads `code` and `state` from the redirect back to us; rejects a state mismatch or an error. */
export function parseAuthorizeCallback(callbackUrl: string, expectedState: string): { code: string } {
  const url = new URL(callbackUrl);
  const error = url.searchParams.get('error');
  if (error) throw new Error(`Heartland authorization failed: ${error}${url.searchParams.get('error_description') ? ` (${url.searchParams.get('error_description')})` : ''}`);
  const code = url.searchParams.get('code');
  if (!code) throw new Error('Heartland authorization callback has no code');
  if (url.searchParams.get('state') !== expectedState) throw new Error('Heartland authorization callback state does not match');
  return { code };
}

type TransportOptions = Pick<HttpClientOptions, 'fetch' | 'clock' | 'logger' | 'timeoutMs' | 'maxAttempts'>;

export async function exchangeAuthorizationCode(config: HeartlandOAuthConfig, code: string, transport: TransportOptions = {}): Promise<OAuthTokenResponse> {
  const tokenUrl = config.tokenUrl ?? HEARTLAND_TOKEN_URL;
  const http = createHttpClient({ system: 'heartland', baseUrl: tokenUrl, parseError: parseHeartlandError, ...transport });
  const params = {
    client_id: config.clientId,
    client_secret: config.clientSecret,
    code,
    grant_type: 'authorization_code',
    redirect_uri: config.redirectUri,
  };
  // The code is single-use: never retry the exchange blindly.
  const res = config.tokenMethod === 'post'
    ? await http.request({ method: 'POST', path: tokenUrl, body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, maxAttempts: 1 })
    : await http.request({ method: 'GET', path: tokenUrl, query: params, maxAttempts: 1 });
  return OAuthTokenResponse.parse(res.body);
}

/** The account's API base URL for an access token, via `/api/system/host` [U]. */
export async function discoverBaseUrl(accessToken: string, options: { hostUrl?: string; scheme?: 'https' | 'http' } & TransportOptions = {}): Promise<string> {
  const hostUrl = options.hostUrl ?? HEARTLAND_HOST_URL;
  const http = createHttpClient({ system: 'heartland', baseUrl: hostUrl, parseError: parseHeartlandError, headers: { authorization: `Bearer ${accessToken}` }, ...options });
  const res = await http.request({ method: 'GET', path: hostUrl });
  const { host } = SystemHost.parse(res.body);
  return `${options.scheme ?? 'https'}://${host}/api/`;
}
