import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStateService } from '../../sandbox/state/server';
import { statusResponse } from '../../lib/admin/contract';
import openwhisk from 'openwhisk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Host, startHost } from '../../sandbox/host';
import { main as adminApi } from '../../actions/admin-api';
import { main as commerceEvents } from '../../actions/commerce-events';
import { main as heartlandWebhook } from '../../actions/heartland-webhook';
import { main as registration } from '../../actions/registration';
import { main as scheduler } from '../../actions/scheduler';
import { main as worker } from '../../actions/worker';

const env = {
  HEARTLAND_BASE_URL: 'http://127.0.0.1:1/api',
  HEARTLAND_API_TOKEN: 'sandbox-heartland-token',
  HEARTLAND_WEBHOOK_SECRET: 'hook-secret',
  COMMERCE_BASE_URL: 'http://127.0.0.1:1/rest',
  COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token',
  LOG_LEVEL: 'info',
};
// What the host passes as inputs: every declared input, unset ones as ''.
const inputs = {
  HEARTLAND_BASE_URL: env.HEARTLAND_BASE_URL, HEARTLAND_API_TOKEN: env.HEARTLAND_API_TOKEN, HEARTLAND_WEBHOOK_SECRET: env.HEARTLAND_WEBHOOK_SECRET,
  COMMERCE_BASE_URL: env.COMMERCE_BASE_URL, COMMERCE_ACCESS_TOKEN: env.COMMERCE_ACCESS_TOKEN, LOG_LEVEL: 'info',
};
const imsHeaders = { authorization: 'Bearer test-ims-token', 'x-gw-ims-org-id': 'TESTORG@AdobeOrg' };
const runtimeAuth = 'test-uuid:test-key';

/**
 * The second delivery of the same event is (rightly) skipped as a duplicate, so per-unit outcomes
 * differ between the two calls; the units derived from the event must not.
 */
function unitsOf(body: unknown): Array<{ flow: string; key: string }> {
  const units = (body as { units?: Array<{ flow: string; key: string }> }).units ?? [];
  return units.map(({ flow, key }) => ({ flow, key }));
}

/** Correlation ids differ per call; everything else must be identical. */
function withoutCorrelation(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'correlationId' ? undefined : v)));
}

let host: Host;
let ow: ReturnType<typeof openwhisk>;
let stateService: Awaited<ReturnType<typeof startStateService>>;

beforeAll(async () => {
  // The actions keep their records in state: give them a local state service, as npm start does.
  const dir = mkdtempSync(join(tmpdir(), 'hcc-host-'));
  stateService = await startStateService({ dbFile: join(dir, 'state.db') });
  process.env.AIO_STATE_ENDPOINT = stateService.url;
  process.env.HCC_FILES_DIR = join(dir, 'files');
  host = await startHost({ appConfigPath: resolve('app.config.yaml'), env, alarms: false, runtimeAuth, namespace: 'test-ns', log: () => {} });
  ow = openwhisk({ apihost: host.url, api_key: runtimeAuth, namespace: 'test-ns' });
});
afterAll(async () => {
  await host?.close();
  await stateService?.close();
});

describe('each action answers the same through the host and through main()', () => {
  it('admin-api GET /status (web)', async () => {
    const response = await fetch(`${host.url}/api/v1/web/connector/admin-api/status`, { headers: imsHeaders });
    const direct = await adminApi({ ...inputs, __ow_method: 'get', __ow_path: '/status', __ow_headers: imsHeaders });
    expect(response.status).toBe(200);
    expect((direct as { statusCode: number }).statusCode).toBe(200);
    // Both answers follow the admin-api contract; timestamps inside may differ between the calls.
    const viaHost = statusResponse.parse(await response.json());
    const viaMain = statusResponse.parse((direct as { body: unknown }).body);
    expect(viaHost.flows.map((f) => f.name)).toEqual(viaMain.flows.map((f) => f.name));
    expect(viaHost.connections.heartland.configured).toBe(true);
  });

  it('registration (web)', async () => {
    const response = await fetch(`${host.url}/api/v1/web/admin-ui-sdk/registration`, { headers: imsHeaders });
    const direct = await registration({ LOG_LEVEL: 'info', __ow_method: 'get', __ow_path: '', __ow_headers: imsHeaders });
    const body = (await response.json()) as { registration: { order: { massActions: Array<{ label: string }> } } };
    expect(body).toEqual((direct as { body: unknown }).body);
    expect(body.registration.order.massActions[0].label).toBe('Resend to Heartland');
  });

  it('heartland-webhook (raw web) with the secret in the path', async () => {
    const payload = '{"event":"item.updated","resource_type":"item","resource_id":100777,"occurred_at":"2026-11-28T08:00:00Z"}';
    const response = await fetch(`${host.url}/api/v1/web/connector/heartland-webhook/hook-secret/notification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    const direct = await heartlandWebhook({
      ...inputs,
      __ow_method: 'post',
      __ow_path: '/hook-secret/notification',
      __ow_headers: { 'content-type': 'application/json' },
      __ow_body: Buffer.from(payload).toString('base64'),
      __ow_query: '',
    });
    expect(response.status).toBe(202);
    expect((direct as { statusCode: number }).statusCode).toBe(202);
    expect(unitsOf(await response.json())).toEqual(unitsOf((direct as { body: unknown }).body));
  });

  it('commerce-events (non-web, openwhisk client)', async () => {
    const event = { type: 'com.adobe.commerce.observer.sales_order_save_commit_after', id: 'e-1', eventid: 'e-1', data: { value: { entity_id: '42', increment_id: '000000042' } } };
    const result = await ow.actions.invoke({ name: 'connector/commerce-events', blocking: true, result: true, params: event });
    const direct = (await commerceEvents({ ...inputs, ...event })) as { statusCode: number; body: unknown };
    expect(result).toMatchObject({ statusCode: 200, body: { eventId: 'e-1', units: expect.any(Array) } });
    expect(direct.statusCode).toBe(200);
    expect(unitsOf(direct.body)).toEqual(unitsOf((result as { body: unknown }).body));
  });

  it('scheduler (non-web, openwhisk client)', async () => {
    const result = await ow.actions.invoke({ name: 'connector/scheduler', blocking: true, result: true, params: {} });
    const direct = await scheduler({ ...inputs });
    // Timings and lease owners differ per run; the shape and outcome must not.
    expect(result).toMatchObject({ statusCode: 200, body: { outcome: 'ran' } });
    expect(direct).toMatchObject({ statusCode: 200, body: { outcome: 'ran' } });
  }, 90_000); // every feed meets unreachable upstreams (retries, then the breaker): slow on a loaded machine

  it('worker (non-web): an application error is a 502 with the activation record, like OpenWhisk', async () => {
    const error = await ow.actions.invoke({ name: 'connector/worker', blocking: true, params: { job: 'resync' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 502 });
    const record = (error as { error: { response: { status: string; success: boolean; result: unknown } } }).error;
    expect(record.response).toMatchObject({ success: false, status: 'application error' });
    expect(withoutCorrelation(record.response.result)).toEqual(withoutCorrelation(await worker({ ...inputs, job: 'resync' })));
  });

  it('non-blocking invoke answers 202 with an activation id whose record can be fetched', async () => {
    const { activationId } = await ow.actions.invoke({ name: 'connector/scheduler', params: {} });
    expect(activationId).toMatch(/^[0-9a-f]{32}$/);
    // The scheduler polls every feed; against these unreachable upstreams that takes a few seconds.
    await expect
      .poll(async () => (await ow.activations.get({ name: activationId }).catch(() => undefined))?.response?.success, { timeout: 30_000, interval: 250 })
      .toBe(true);
  }, 60_000);
});

describe('bad requests get a 4xx JSON error naming the problem, and the host keeps answering', () => {
  const cases: Array<{ name: string; request: () => Promise<Response>; status: number; mentions: RegExp }> = [
    {
      name: 'malformed JSON to admin-api',
      request: () => fetch(`${host.url}/api/v1/web/connector/admin-api/status`, { method: 'POST', headers: { ...imsHeaders, 'content-type': 'application/json' }, body: '{"broken": ' }),
      status: 400,
      mentions: /malformed JSON/,
    },
    {
      name: 'body over 1 MB',
      request: () => fetch(`${host.url}/api/v1/web/connector/heartland-webhook/hook-secret`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) }) }),
      status: 413,
      mentions: /limit is 1048576 bytes/,
    },
    {
      name: 'admin-api without authorization',
      request: () => fetch(`${host.url}/api/v1/web/connector/admin-api/status`),
      status: 401,
      mentions: /missing authorization header/,
    },
    {
      name: 'registration without the IMS org header',
      request: () => fetch(`${host.url}/api/v1/web/admin-ui-sdk/registration`, { headers: { authorization: 'Bearer t' } }),
      status: 401,
      mentions: /x-gw-ims-org-id/,
    },
    {
      name: 'wrong Basic auth on the OpenWhisk route',
      request: () => fetch(host.invokeUrl('connector/scheduler'), { method: 'POST', headers: { authorization: 'Basic ' + Buffer.from('a:b').toString('base64') }, body: '{}' }),
      status: 401,
      mentions: /authentication is invalid/,
    },
    {
      name: 'malformed JSON params on the OpenWhisk route',
      request: () => fetch(host.invokeUrl('connector/scheduler'), { method: 'POST', headers: { authorization: host.authorization }, body: '{nope' }),
      status: 400,
      mentions: /malformed/,
    },
    {
      name: 'unknown action',
      request: () => fetch(`${host.url}/api/v1/web/connector/nope`),
      status: 404,
      mentions: /The requested resource does not exist/,
    },
    {
      name: 'non-web action over the web route',
      request: () => fetch(`${host.url}/api/v1/web/connector/worker`),
      status: 404,
      mentions: /does not exist/,
    },
    {
      name: 'a request field overriding a final input',
      request: () => fetch(`${host.url}/api/v1/web/connector/admin-api/status?HEARTLAND_API_TOKEN=mine`, { headers: imsHeaders }),
      status: 400,
      mentions: /HEARTLAND_API_TOKEN/,
    },
    {
      name: 'webhook with the wrong secret',
      request: () => fetch(`${host.url}/api/v1/web/connector/heartland-webhook/wrong`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
      status: 401,
      mentions: /invalid_webhook_secret/,
    },
    {
      name: 'commerce event without data.value',
      request: () => fetch(host.invokeUrl('connector/commerce-events', { result: true }), { method: 'POST', headers: { authorization: host.authorization, 'content-type': 'application/json' }, body: '{"type":"x","eventid":"1"}' }),
      status: 502,
      mentions: /data/,
    },
  ];

  it.each(cases)('$name → $status', async ({ request, status, mentions }) => {
    const response = await request();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.text()).toMatch(mentions);
    const health = await fetch(`${host.url}/health`);
    expect(health.status).toBe(200);
  });

  it('answers malformed HTTP with 400 and keeps serving', async () => {
    const net = await import('node:net');
    const reply = await new Promise<string>((done) => {
      const socket = net.connect(host.port, '127.0.0.1', () => socket.write('GARBAGE\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => done(text));
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect((await fetch(`${host.url}/health`)).status).toBe(200);
  });
});

describe('fixture app: params, action errors, alarms', () => {
  let fixture: Host;
  const tally = () => (globalThis as Record<string, unknown>).__slowTick as { runs: number; maxActive: number; lastParams?: Record<string, unknown> } | undefined;

  beforeAll(async () => {
    fixture = await startHost({
      appConfigPath: resolve('test/host/fixtures/app.config.yaml'),
      env: { GREETING: 'hello' },
      alarms: true,
      alarmIntervalMs: 15,
      log: () => {},
    });
  });
  afterAll(async () => fixture?.close());

  it('passes merged params, lower-cased headers, __ow_path and per-call Runtime variables', async () => {
    const response = await fetch(`${fixture.url}/api/v1/web/fixture/web-echo/a/b?q=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'Yes' },
      body: '{"answer":42}',
    });
    const body = (await response.json()) as { params: Record<string, unknown>; activationId: string; actionName: string };
    expect(body.params).toMatchObject({ q: '1', answer: 42, __ow_method: 'post', __ow_path: '/a/b', __ow_headers: { 'x-custom': 'Yes' } });
    expect(body.activationId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.actionName).toMatch(/\/fixture\/web-echo$/);
  });

  it('a throwing action gets 502 without its stack, and the host keeps serving', async () => {
    const response = await fetch(`${fixture.url}/api/v1/web/fixture/throws`);
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('/secret/path.ts');
    expect((await fetch(`${fixture.url}/health`)).status).toBe(200);
  });

  it('fires the alarm rule on its (scaled) interval with the trigger payload, never overlapping', async () => {
    await expect.poll(() => tally()?.runs ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    expect(tally()?.maxActive).toBe(1);
    expect(tally()?.lastParams).toMatchObject({ source: 'alarm', GREETING: 'hello' });
  });
});

describe('the panel at /', () => {
  it('serves web-src/dist files, falls back to index.html for app routes, and never leaves the web root', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const webRoot = mkdtempSync(join(tmpdir(), 'hcc-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>panel</title>');
    writeFileSync(join(webRoot, 'app.js'), 'console.log(1)');
    const panelHost = await startHost({ appConfigPath: resolve('app.config.yaml'), env, alarms: false, webRoot, log: () => {} });
    try {
      const index = await fetch(`${panelHost.url}/`);
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toContain('panel');
      expect((await fetch(`${panelHost.url}/app.js`)).headers.get('content-type')).toContain('javascript');
      expect(await (await fetch(`${panelHost.url}/activity`)).text()).toContain('panel');
      expect((await fetch(`${panelHost.url}/missing.png`)).status).toBe(404);
      // `%2f` survives URL normalisation, so this really asks for a file above the web root.
      writeFileSync(join(webRoot, '..', 'hcc-outside.json'), '{"secret":true}');
      const escape = await fetch(`${panelHost.url}/..%2fhcc-outside.json`);
      expect(escape.status).toBe(404);
      expect(await escape.text()).not.toContain('secret');
    } finally {
      await panelHost.close();
      rmSync(webRoot, { recursive: true, force: true });
      rmSync(join(webRoot, '..', 'hcc-outside.json'), { force: true });
    }
  });

  it('without a build, / explains how to make one', async () => {
    const bare = await startHost({ appConfigPath: resolve('app.config.yaml'), env, alarms: false, webRoot: '/nonexistent-hcc-web', log: () => {} });
    try {
      const page = await fetch(`${bare.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('npm run build:web');
    } finally {
      await bare.close();
    }
  });
});
