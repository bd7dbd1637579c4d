/**
 * Authentication of the public entry points through the local host, with a counting state proxy:
 * every refused call answers 4xx and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { startStateProbe, type StateProbe } from './state-probe';
import { type Host, startHost } from '../../sandbox/host';
import { createHostGate } from '../../sandbox/host/limits';
import { main as heartlandWebhook } from '../../actions/heartland-webhook';
import { startCommerceSimulator, type CommerceSimulator } from '../../sandbox/commerce/server';

const CURRENT = 'current-webhook-secret-4f1c';
const OLD_IN_GRACE = 'previous-webhook-secret-9a2b';

const env = {
  HEARTLAND_BASE_URL: 'http://127.0.0.1:9/api',
  HEARTLAND_API_TOKEN: 'entry-heartland-token',
  HEARTLAND_WEBHOOK_SECRET: CURRENT,
  HEARTLAND_WEBHOOK_SECRET_PREVIOUS: OLD_IN_GRACE,
  HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES: new Date(Date.now() + 3600_000).toISOString(),
  COMMERCE_BASE_URL: 'http://127.0.0.1:9/rest',
  COMMERCE_ACCESS_TOKEN: 'entry-commerce-token',
  WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000',
  LOG_LEVEL: 'error',
  // Only order events are acted on: the simulator's product events are verified, then ignored.
  COMMERCE_EVENT_TYPES: 'observer.sales_order_save_commit_after',
  ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL: '',
};

let probe: StateProbe;
let host: Host;
let sim: CommerceSimulator;

beforeAll(async () => {
  probe = await startStateProbe();
  sim = await startCommerceSimulator({ port: 0, events: { timeScale: 0.0001, signing: true } });
  env.ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL = `${sim.url}__sim/static`;
  host = await startHost({ port: 0, appConfigPath: resolve('app.config.yaml'), env, alarms: false, log: () => {}, limits: { perSourcePerMinute: 1_000_000 } });
});
afterAll(async () => {
  await host?.close();
  await sim?.close();
  await probe?.close();
});

const webhook = (path: string, init: RequestInit = {}) =>
  fetch(`${host.url}/api/v1/web/connector/heartland-webhook${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"item_updated"}', ...init });

describe('heartland-webhook authentication', () => {
  it('refuses a wrong, missing or near-miss secret with 401 and writes nothing', async () => {
    const before = probe.writes();
    const files = probe.files().length;
    const answers = await Promise.all([
      webhook('/wrong-secret/notification'),
      webhook('/notification'),
      webhook(''),
      webhook(`/${CURRENT.slice(0, -1)}/notification`),
      webhook('/notification', { headers: { 'content-type': 'application/json', 'x-webhook-secret': 'nope' } }),
      webhook('/notification', { headers: { 'content-type': 'application/json', 'x-webhook-secret': '' } }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_webhook_secret');
      expect(JSON.stringify(body)).not.toContain(CURRENT);
    }
    expect(probe.writes()).toBe(before);
    expect(probe.files().length).toBe(files);
  });

  it('accepts the current secret and the previous one during its grace period (in the path or a header)', async () => {
    for (const res of [
      await webhook(`/${CURRENT}/notification`),
      await webhook(`/${OLD_IN_GRACE}/notification`),
      await webhook('/notification', { headers: { 'content-type': 'application/json', 'x-webhook-secret': CURRENT } }),
    ]) {
      // Authenticated, then refused for the incomplete notification body: not a 401.
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_notification');
    }
  });

  it('refuses the previous secret once its grace period is over', async () => {
    const expired = { ...env, HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES: new Date(Date.now() - 1000).toISOString() };
    const result = await heartlandWebhook({
      ...expired,
      __ow_method: 'post',
      __ow_headers: { 'content-type': 'application/json' },
      __ow_path: `/${OLD_IN_GRACE}/notification`,
      __ow_body: Buffer.from('{"event":"item_updated"}').toString('base64'),
    });
    expect(result).toMatchObject({ error: { statusCode: 401, body: { error: { code: 'invalid_webhook_secret' } } } });
  });

  it('answers 429 with Retry-After to a source over its rate, while other sources pass', async () => {
    const call = (source: string) =>
      heartlandWebhook({
        ...env,
        WEBHOOK_RATE_LIMIT_PER_MINUTE: '60',
        __ow_method: 'post',
        __ow_headers: { 'content-type': 'application/json', 'x-forwarded-for': source },
        __ow_path: '/wrong/notification',
        __ow_body: '',
      });
    const first = await Promise.all(Array.from({ length: 10 }, () => call('198.51.100.7')));
    expect(first.every((r) => (r as { error?: { statusCode: number } }).error?.statusCode === 401)).toBe(true);
    const limited = (await call('198.51.100.7')) as { statusCode: number; headers: Record<string, string> };
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await call('203.0.113.50')).toMatchObject({ error: { statusCode: 401 } });
  });
});

describe('host limits', () => {
  it('bounds activations in flight and the rate per source', () => {
    const gate = createHostGate({ perSourcePerMinute: 60, maxConcurrentActivations: 2 });
    const a = gate.enter();
    const b = gate.enter();
    expect(a && b).toBeTruthy();
    expect(gate.enter()).toBeUndefined();
    a!();
    a!(); // leaving twice frees one slot only
    expect(gate.inFlight()).toBe(1);
    expect(gate.enter()).toBeTypeOf('function');
    const answers = Array.from({ length: 12 }, () => gate.admit('127.0.0.1'));
    expect(answers.filter((x) => x === undefined)).toHaveLength(10);
    expect(answers.at(-1)).toBeGreaterThan(0);
  });

  it('answers 429 over the per-source rate on web routes', async () => {
    const limited = await startHost({ port: 0, appConfigPath: resolve('app.config.yaml'), env, alarms: false, log: () => {}, limits: { perSourcePerMinute: 60 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${limited.url}/api/v1/web/connector/heartland-webhook/x/notification`, { method: 'POST', body: '{}' })).status);
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('commerce-webhook through the host, with the simulator delivering signed events', () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}__sim/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());

  it('passes the registration challenge, takes genuine deliveries and refuses a tampered one', async () => {
    await control('PUT', 'events/settings', { target: { url: `${host.url}/api/v1/web/connector/commerce-webhook` }, subscriptions: ['observer.catalog_product_save_commit_after'] });
    expect(await control('POST', 'events/challenge')).toMatchObject({ ok: true, status: 200 });

    await control('POST', 'seed', { products: 2, sources: [], customers: 0, orders: 0, events: true });
    await expect
      .poll(async () => ((await control('GET', 'events/deliveries?since=0')) as Array<{ status: string; lastStatus?: number }>).map((d) => `${d.status}:${d.lastStatus}`), { timeout: 10_000 })
      .toEqual(['delivered:200', 'delivered:200']);

    const journal = (await control('GET', 'events?since=0')) as { events: Array<{ event: { data: { value: Record<string, unknown> } } }> };
    const genuine = JSON.stringify(journal.events[0]!.event);
    const signed = (await fetch(`${sim.url}__sim/events/sign`, { method: 'POST', body: genuine }).then((r) => r.json())) as Record<string, string>;
    const before = probe.writes();
    const tampered = genuine.replace(/"sku":"([^"]+)"/, '"sku":"$1-X"');
    expect(tampered).not.toBe(genuine);
    const refused = await fetch(`${host.url}/api/v1/web/connector/commerce-webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: tampered });
    expect(refused.status).toBe(401);
    expect(probe.writes()).toBe(before);
    const accepted = await fetch(`${host.url}/api/v1/web/connector/commerce-webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: genuine });
    expect(accepted.status).toBe(200);
  });
});
