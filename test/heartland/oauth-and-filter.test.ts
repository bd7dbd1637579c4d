/**
 * OAuth helpers (§1.3) against the simulator's endpoints, the query builders (§2.2–2.3) and the
 * error mapping (§2.5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { buildAuthorizeUrl, discoverBaseUrl, exchangeAuthorizationCode, parseAuthorizeCallback, type HeartlandOAuthConfig } from '../../lib/heartland/oauth';
import { allOf, anyOf, chunks, customField, toSearchParams } from '../../lib/heartland/filter';
import { parseHeartlandError } from '../../lib/heartland/errors';
import { createHeartlandClient } from '../../lib/heartland/client';

let sim: HeartlandSimulator;
let config: HeartlandOAuthConfig;

beforeAll(async () => {
  sim = await startHeartlandSimulator({ port: 0 });
  const root = sim.url.replace(/api\/$/, '');
  config = {
    clientId: 'sandbox-heartland-client', clientSecret: 'sandbox-heartland-secret', redirectUri: 'https://connector.example/cb',
    scopes: ['item.read', 'inventory.read'], authorizeUrl: `${root}oauth/authorize`, tokenUrl: `${sim.url}oauth/token`, hostUrl: `${sim.url}system/host`,
  };
});
afterAll(() => sim.close());

describe('OAuth 2.0 authorization code', () => {
  it('builds the documented authorize URL (space-delimited scope, state, response_type=code)', () => {
    const url = new URL(buildAuthorizeUrl({ ...config, authorizeUrl: undefined }, 's1'));
    expect(url.origin + url.pathname).toBe('https://retail.heartland.us/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: config.clientId, scope: 'item.read inventory.read', redirect_uri: config.redirectUri, state: 's1', response_type: 'code' });
    expect(() => buildAuthorizeUrl(config, '')).toThrow(/state/);
  });
  it('parses the callback and refuses a state mismatch or an error', () => {
    expect(parseAuthorizeCallback('https://c.example/cb?code=abc&state=s1', 's1')).toEqual({ code: 'abc' });
    expect(() => parseAuthorizeCallback('https://c.example/cb?code=abc&state=evil', 's1')).toThrow(/state/);
    expect(() => parseAuthorizeCallback('https://c.example/cb?error=access_denied', 's1')).toThrow(/access_denied/);
    expect(() => parseAuthorizeCallback('https://c.example/cb?state=s1', 's1')).toThrow(/no code/);
  });
  it.each(['get', 'post'] as const)('exchanges a code (%s), discovers the host and uses the token', async (tokenMethod) => {
    const res = await fetch(buildAuthorizeUrl(config, 'st'), { redirect: 'manual' });
    const { code } = parseAuthorizeCallback(res.headers.get('location')!, 'st');
    const token = await exchangeAuthorizationCode({ ...config, tokenMethod }, code);
    expect(token).toMatchObject({ access_token: expect.any(String), scope: 'item.read inventory.read' });
    const baseUrl = await discoverBaseUrl(token.access_token, { hostUrl: config.hostUrl, scheme: 'http' });
    expect(baseUrl).toBe(sim.url);
    const hl = createHeartlandClient({ baseUrl, oauth: { getAccessToken: () => token.access_token } });
    expect(await hl.count('items')).toBe(0);
    await expect(exchangeAuthorizationCode(config, code)).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
  });
  it('reports wrong client credentials', async () => {
    const res = await fetch(buildAuthorizeUrl(config, 'st'), { redirect: 'manual' });
    const { code } = parseAuthorizeCallback(res.headers.get('location')!, 'st');
    await expect(exchangeAuthorizationCode({ ...config, clientSecret: 'bad' }, code)).rejects.toMatchObject({ status: 401 });
  });
});

describe('query builders', () => {
  it('serialises filters as JSON and repeats sort/_only/_include/group params', () => {
    const p = toSearchParams({
      page: 2, perPage: 'all', filter: { [customField('ecommerce_number')]: '000000123', id: { $gt: 5 } },
      sort: ['id', { field: 'updated_at', desc: true }], only: ['id', 'public_id'], include: ['lines'], query: 'jane', params: { 'group[]': ['item_id', 'location_id'], location_id: 7, skip: undefined },
    });
    expect(p.get('page')).toBe('2');
    expect(p.get('per_page')).toBe('all');
    expect(JSON.parse(p.get('_filter')!)).toEqual({ 'custom@ecommerce_number': '000000123', id: { $gt: 5 } });
    expect(p.getAll('sort[]')).toEqual(['id', 'updated_at,desc']);
    expect(p.getAll('_only[]')).toEqual(['id', 'public_id']);
    expect(p.getAll('_include[]')).toEqual(['lines']);
    expect(p.getAll('group[]')).toEqual(['item_id', 'location_id']);
    expect(p.get('location_id')).toBe('7');
    expect(p.has('skip')).toBe(false);
    expect(p.get('query')).toBe('jane');
  });
  it('combines filters with allOf/anyOf', () => {
    expect(allOf()).toBeUndefined();
    expect(allOf({ a: 1 }, undefined, {})).toEqual({ a: 1 });
    expect(allOf({ a: 1 }, { b: 2 })).toEqual({ $and: [{ a: 1 }, { b: 2 }] });
    expect(anyOf({ a: 1 }, { b: 2 })).toEqual({ $or: [{ a: 1 }, { b: 2 }] });
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('error mapping', () => {
  it('maps Heartland bodies to code, message with field details, and details', () => {
    const e = parseHeartlandError(422, { error: 'validation_error', message: 'Validation failed', details: { qty: ['must be > 0'] } }, '');
    expect(e).toEqual({ code: 'validation_error', message: 'Validation failed (qty must be > 0)', details: { qty: ['must be > 0'] } });
    expect(parseHeartlandError(400, { error: 'invalid_request', message: 'Field "x" is not filterable' }, '')).toMatchObject({ code: 'invalid_request' });
    expect(parseHeartlandError(503, undefined, '<html>down</html>')).toEqual({ code: undefined, message: '<html>down</html>' });
    expect(parseHeartlandError(429, undefined, '')).toEqual({ code: 'rate_limited', message: 'HTTP 429' });
  });
});
