import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommerceSimulator, type CommerceSimulator } from '../../sandbox/commerce/server';
import {
  PublicKeyUnavailableError,
  challengeAnswer,
  createPublicKeyCache,
  isPublicKeyPath,
  verifyAdobeSignature,
} from '../../lib/security/adobe-signature';
import { main as commerceWebhook } from '../../actions/commerce-webhook/index';

let sim: CommerceSimulator;
let staticBase: string;

beforeAll(async () => {
  sim = await startCommerceSimulator({ port: 0 });
  staticBase = `${sim.url}__sim/static`;
});
afterAll(async () => {
  await sim.close();
});

async function signedBy(body: string): Promise<Record<string, string>> {
  const res = await fetch(`${sim.url}__sim/events/sign`, { method: 'POST', body });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

const event = {
  specversion: '1.0',
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  type: 'com.adobe.commerce.observer.catalog_product_save_commit_after',
  eventid: 'a1b2c3d4-0000-4000-8000-000000000001',
  recipientclientid: 'sandbox-connector-client',
  data: { value: { sku: 'WS12', updated_at: '2026-11-28 09:00:00' } },
};
const body = JSON.stringify(event);

describe('verifyAdobeSignature', () => {
  it('accepts the exact signed bytes and refuses any change to them', async () => {
    const headers = await signedBy(body);
    const keys = createPublicKeyCache({ baseUrl: staticBase });
    expect(await verifyAdobeSignature(Buffer.from(body), headers, keys)).toEqual({ ok: true, verifiedBy: 1 });
    const tampered = body.replace('WS12', 'WS13');
    expect(await verifyAdobeSignature(Buffer.from(tampered), headers, keys)).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(await verifyAdobeSignature(Buffer.from(body + ' '), headers, keys)).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('accepts when either key verifies (one key rotated or its signature broken)', async () => {
    const headers = await signedBy(body);
    const keys = createPublicKeyCache({ baseUrl: staticBase });
    const brokenFirst = { ...headers, 'x-adobe-digital-signature-1': Buffer.alloc(256, 7).toString('base64') };
    expect(await verifyAdobeSignature(Buffer.from(body), brokenFirst, keys)).toEqual({ ok: true, verifiedBy: 2 });
    const swapped = { ...headers, 'x-adobe-digital-signature-1': headers['x-adobe-digital-signature-2']! };
    expect(await verifyAdobeSignature(Buffer.from(body), swapped, keys)).toEqual({ ok: true, verifiedBy: 2 });
    const bothBroken = { ...brokenFirst, 'x-adobe-digital-signature-2': Buffer.alloc(256, 9).toString('base64') };
    expect(await verifyAdobeSignature(Buffer.from(body), bothBroken, keys)).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('says "missing" without signature headers and never fetches keys from paths of another form', async () => {
    let fetched = 0;
    const keys = createPublicKeyCache({ baseUrl: staticBase, fetch: async (...args) => (fetched++, fetch(...args)) });
    expect(await verifyAdobeSignature(Buffer.from(body), {}, keys)).toEqual({ ok: false, reason: 'missing_signature' });
    const headers = await signedBy(body);
    for (const path of ['/../../etc/passwd.pem', 'https://evil.example/k.pem', '/prod/keys/pub-key-x.pem?x=1', '//evil.example/prod/keys/pub-key-1.pem']) {
      expect(isPublicKeyPath(path)).toBe(false);
      const result = await verifyAdobeSignature(Buffer.from(body), { ...headers, 'x-adobe-public-key1-path': path, 'x-adobe-public-key2-path': path }, keys);
      expect(result).toEqual({ ok: false, reason: 'invalid_signature' });
    }
    // A signature of implausible length is refused before any key is fetched.
    await verifyAdobeSignature(Buffer.from(body), { ...headers, 'x-adobe-digital-signature-1': 'AAAA', 'x-adobe-digital-signature-2': 'not base64!' }, keys);
    expect(fetched).toBe(0);
  });

  it('caches keys: many deliveries fetch each key once', async () => {
    let fetched = 0;
    const keys = createPublicKeyCache({ baseUrl: staticBase, fetch: async (...args) => (fetched++, fetch(...args)) });
    const headers = await signedBy(body);
    await Promise.all(Array.from({ length: 20 }, () => verifyAdobeSignature(Buffer.from(body), headers, keys)));
    expect(fetched).toBe(1);
  });

  it('treats an unknown key path as not verifying, and an unreachable key host as retryable', async () => {
    const headers = await signedBy(body);
    const keys = createPublicKeyCache({ baseUrl: staticBase });
    const unknown = { ...headers, 'x-adobe-public-key1-path': '/prod/keys/pub-key-00000000-0000-4000-8000-000000000000.pem', 'x-adobe-public-key2-path': '/prod/keys/pub-key-00000000-0000-4000-8000-000000000001.pem' };
    expect(await verifyAdobeSignature(Buffer.from(body), unknown, keys)).toEqual({ ok: false, reason: 'invalid_signature' });
    const down = createPublicKeyCache({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
    await expect(verifyAdobeSignature(Buffer.from(body), headers, down)).rejects.toBeInstanceOf(PublicKeyUnavailableError);
  });
});

describe('challengeAnswer', () => {
  it('echoes a plausible challenge and ignores anything else', () => {
    expect(challengeAnswer({ challenge: '5d7e3b0e-2f1c-4c7a-9d1e-3a8f1b2c4d5e' })).toEqual({ challenge: '5d7e3b0e-2f1c-4c7a-9d1e-3a8f1b2c4d5e' });
    expect(challengeAnswer({})).toBeUndefined();
    expect(challengeAnswer({ challenge: '<script>' })).toBeUndefined();
    expect(challengeAnswer({ challenge: 'x'.repeat(500) })).toBeUndefined();
  });
});

describe('connector/commerce-webhook action', () => {
  const inputs = () => ({
    HEARTLAND_BASE_URL: 'http://127.0.0.1:9/api',
    HEARTLAND_API_TOKEN: 'unit-heartland-token',
    HEARTLAND_WEBHOOK_SECRET: 'unit-webhook-secret',
    COMMERCE_BASE_URL: 'http://127.0.0.1:9/rest',
    COMMERCE_ACCESS_TOKEN: 'unit-commerce-token',
    ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL: staticBase,
    // Only the order event: the product event above is "ignored" after verification, so this test
    // needs neither state nor upstreams and shows how far a delivery got.
    COMMERCE_EVENT_TYPES: 'observer.sales_order_save_commit_after',
  });
  const call = (method: string, raw: string, headers: Record<string, string>, query = '', extra: Record<string, string> = {}) =>
    commerceWebhook({
      ...inputs(),
      ...extra,
      __ow_method: method,
      __ow_headers: { 'content-type': 'application/json', ...headers },
      __ow_path: '',
      __ow_body: Buffer.from(raw).toString('base64'),
      __ow_query: query,
    });

  it('answers the challenge handshake', async () => {
    const result = await call('get', '', {}, 'challenge=5d7e3b0e-2f1c-4c7a-9d1e-3a8f1b2c4d5e');
    expect(result).toMatchObject({ statusCode: 200, body: { challenge: '5d7e3b0e-2f1c-4c7a-9d1e-3a8f1b2c4d5e' } });
  });

  it('passes a genuine signed event on to processing', async () => {
    const result = await call('post', body, await signedBy(body));
    expect(result).toMatchObject({ statusCode: 200, body: { ignored: true, eventId: event.eventid } });
  });

  it('refuses a tampered, an unsigned and a wrongly addressed event', async () => {
    const headers = await signedBy(body);
    expect(await call('post', body.replace('WS12', 'XX99'), headers)).toMatchObject({ error: { statusCode: 401, body: { error: { code: 'invalid_signature' } } } });
    expect(await call('post', body, {})).toMatchObject({ error: { statusCode: 401, body: { error: { code: 'missing_signature' } } } });
    const other = await call('post', body, headers, '', { ADOBE_IO_EVENTS_CLIENT_ID: 'another-client' });
    expect(other).toMatchObject({ error: { statusCode: 403, body: { error: { code: 'wrong_recipient', field: 'recipientclientid' } } } });
  });
});
