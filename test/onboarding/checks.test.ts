/**
 * Each failure class of the onboarding checks, against the simulators told to deny or lack
 * something through /__sim/: the finding names the missing thing and how to grant it.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { startCommerceSimulator, type CommerceSimulator } from '../../sandbox/commerce/server';
import { checkCommerce, checkHeartland, runConnectionChecks } from '../../lib/onboarding';
import type { Finding } from '../../lib/onboarding';

let hl: HeartlandSimulator;
let mc: CommerceSimulator;
const TOKEN = 'sandbox-heartland-token';
const heartlandConn = () => ({ baseUrl: hl.url.replace(/\/$/, ''), apiToken: TOKEN });
const commerceConn = (token = 'sandbox-commerce-token') => ({ baseUrl: `${mc.url}rest`, auth: { kind: 'bearer' as const, accessToken: token } });
const control = async (origin: string, method: string, path: string, body?: unknown) => {
  const r = await fetch(`${origin}/__sim/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
};
const hlOrigin = () => new URL(hl.url).origin;
const mcOrigin = () => new URL(mc.url).origin;
/** A port nothing listens on (taken and released), so the connection is refused. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
const errors = (findings: Finding[]) => findings.filter((f) => f.level === 'error');

beforeAll(async () => {
  hl = await startHeartlandSimulator({ port: 0, notify: { enabled: false } });
  mc = await startCommerceSimulator({ port: 0 });
});
afterAll(async () => {
  await hl.close();
  await mc.close();
});
beforeEach(async () => {
  await control(hlOrigin(), 'PUT', 'permissions', { deny: [] });
  await control(mcOrigin(), 'PUT', 'acl', { deny: [] });
  await control(mcOrigin(), 'PUT', 'features', { msi: true, giftCardAccounts: true, eventing: true });
});

describe('Heartland checks', () => {
  it('pass with the sandbox token and every permission', async () => {
    const check = await checkHeartland(heartlandConn());
    expect(errors(check.findings)).toEqual([]);
    expect(check.usable).toBe(true);
    expect(check.readable.has('inventory/values')).toBe(true);
  });

  it('unreachable host: names HEARTLAND_BASE_URL and the network cause', async () => {
    const check = await checkHeartland({ baseUrl: `http://127.0.0.1:${await closedPort()}/api`, apiToken: TOKEN }, { timeoutMs: 2000 });
    expect(check.usable).toBe(false);
    expect(check.findings[0]).toMatchObject({ kind: 'unreachable', missing: 'HEARTLAND_BASE_URL' });
    expect(check.findings[0]!.message).toContain('connection was refused');
    expect(check.findings[0]!.fix).toContain('/api');
  });

  it('base URL without /api: says it is not the Heartland API', async () => {
    const check = await checkHeartland({ baseUrl: hlOrigin(), apiToken: TOKEN });
    expect(check.findings[0]).toMatchObject({ kind: 'wrong_base_url', missing: 'HEARTLAND_BASE_URL' });
  });

  it('bad token: names HEARTLAND_API_TOKEN and where to generate one, without echoing it', async () => {
    const check = await checkHeartland({ ...heartlandConn(), apiToken: 'wrong-token-value' });
    expect(check.usable).toBe(false);
    expect(check.findings[0]).toMatchObject({ kind: 'bad_credentials', missing: 'HEARTLAND_API_TOKEN' });
    expect(check.findings[0]!.fix).toContain('My Account → API Tokens');
    expect(JSON.stringify(check.findings)).not.toContain('wrong-token-value');
  });

  it('missing permission: names the permission and how to grant it', async () => {
    await control(hlOrigin(), 'PUT', 'permissions', { deny: ['inventory/values', 'sales/orders'] });
    const check = await checkHeartland(heartlandConn());
    const missing = check.findings.filter((f) => f.kind === 'missing_permission');
    expect(missing.map((f) => [f.check, f.missing])).toEqual([
      ['inventory', 'View inventory current values'],
      ['sales orders', 'Manage sales orders'],
    ]);
    expect(missing[0]!.message).toContain('403');
    expect(missing[0]!.fix).toContain('give that user\'s role the permission "View inventory current values"');
    expect(check.readable.has('inventory/values')).toBe(false);
    expect(check.readable.has('items')).toBe(true);
  });
});

describe('Commerce checks', () => {
  it('pass with the sandbox credentials and report the edition features', async () => {
    const check = await checkCommerce(commerceConn());
    expect(errors(check.findings)).toEqual([]);
    expect(check.modules).toEqual({ msi: true, giftCardAccounts: true, eventing: true });
    expect(check.findings.at(-1)!.message).toContain('Multi-Source Inventory (MSI): yes');
  });

  it('OAuth 1.0a integration credentials are checked the same way', async () => {
    const check = await checkCommerce({
      baseUrl: `${mc.url}rest`,
      auth: { kind: 'oauth1', consumerKey: 'sandbox-commerce-consumer-key', consumerSecret: 'sandbox-commerce-consumer-secret', accessToken: 'sandbox-commerce-token', accessTokenSecret: 'sandbox-commerce-token-secret' },
    });
    expect(errors(check.findings)).toEqual([]);
    const bad = await checkCommerce({
      baseUrl: `${mc.url}rest`,
      auth: { kind: 'oauth1', consumerKey: 'sandbox-commerce-consumer-key', consumerSecret: 'wrong', accessToken: 'sandbox-commerce-token', accessTokenSecret: 'sandbox-commerce-token-secret' },
    });
    expect(bad.findings[0]).toMatchObject({ kind: 'bad_credentials', missing: 'COMMERCE_CONSUMER_KEY' });
  });

  it('unreachable host: names COMMERCE_BASE_URL', async () => {
    const check = await checkCommerce({ ...commerceConn(), baseUrl: `http://127.0.0.1:${await closedPort()}/rest` }, { timeoutMs: 2000 });
    expect(check.findings[0]).toMatchObject({ kind: 'unreachable', missing: 'COMMERCE_BASE_URL' });
  });

  it('base URL without /rest: says where the REST root is', async () => {
    const check = await checkCommerce({ ...commerceConn(), baseUrl: `${mc.url}shop/api` });
    expect(check.findings[0]).toMatchObject({ kind: 'wrong_base_url', missing: 'COMMERCE_BASE_URL' });
    expect(check.findings[0]!.fix).toContain('/rest');
  });

  it('bad token: every route refuses, so the verdict is the credentials, not an ACL', async () => {
    const check = await checkCommerce(commerceConn('not-the-token'));
    expect(check.usable).toBe(false);
    expect(check.findings).toHaveLength(1);
    expect(check.findings[0]).toMatchObject({ kind: 'bad_credentials', missing: 'COMMERCE_ACCESS_TOKEN' });
    expect(check.findings[0]!.fix).toContain('standalone Bearer tokens');
  });

  it('missing ACL resource: names the resource and where to tick it', async () => {
    await control(mcOrigin(), 'PUT', 'acl', { deny: ['Magento_InventoryApi::source', 'Magento_AdobeCommerceEventsClient::event_subscribe'] });
    const check = await checkCommerce(commerceConn());
    const missing = check.findings.filter((f) => f.kind === 'missing_acl');
    expect(missing.map((f) => f.missing)).toEqual(['Magento_InventoryApi::source', 'Magento_AdobeCommerceEventsClient::event_subscribe']);
    expect(missing[0]!.fix).toContain('System → Extensions → Integrations');
    expect(missing[0]!.fix).toContain('"Magento_InventoryApi::source"');
    expect(check.usable).toBe(true);
  });

  it.each([
    ['msi', 'Multi-Source Inventory (MSI)', 'error', 'Magento_Inventory'],
    ['giftCardAccounts', 'Gift card accounts', 'warning', 'Gift card sync stays off'],
    ['eventing', 'Adobe I/O Events for Commerce', 'error', 'composer require magento/commerce-eventing'],
  ] as const)('missing module %s: named, with how to get it', async (feature, name, level, fix) => {
    await control(mcOrigin(), 'PUT', 'features', { [feature]: false });
    const check = await checkCommerce(commerceConn());
    const missing = check.findings.filter((f) => f.kind === 'missing_module');
    expect(missing.length).toBeGreaterThan(0);
    for (const f of missing) {
      expect(f).toMatchObject({ missing: name, level });
      expect(f.fix).toContain(fix);
    }
    expect(check.modules[feature]).toBe(false);
  });
});

describe('runConnectionChecks', () => {
  it('names missing settings before calling anyone, never echoing values', async () => {
    const result = await runConnectionChecks({ HEARTLAND_API_TOKEN: 'secret-value-123' });
    expect(result.settings).toBeUndefined();
    expect(result.findings.map((f) => f.missing)).toContain('HEARTLAND_BASE_URL');
    expect(result.findings.find((f) => f.missing === 'COMMERCE_BASE_URL')?.fix).toContain('/rest');
    expect(JSON.stringify(result)).not.toContain('secret-value-123');
  });
});

describe('rate limits', () => {
  it('a 429 with Retry-After is waited out, so the verdict is the real answer', async () => {
    const r = await fetch(`${hlOrigin()}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 429, retryAfter: 0, count: 2, path: '^/locations' }) });
    expect(r.status).toBe(201);
    try {
      const check = await checkHeartland(heartlandConn());
      expect(errors(check.findings)).toEqual([]);
      const faults = (await (await fetch(`${hlOrigin()}/__sim/faults`)).json()) as { injected: number };
      expect(faults.injected).toBe(2);
    } finally {
      await fetch(`${hlOrigin()}/__sim/faults`, { method: 'DELETE' });
    }
  });
});
