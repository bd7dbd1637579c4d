/**
 * runSetup against both simulators with an in-memory state store: the first run configures
 * everything from discovery, the second changes nothing, and a failing check writes nothing.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { startCommerceSimulator, type CommerceSimulator } from '../../sandbox/commerce/server';
import { createMemoryStateStore } from '../../lib/platform/memory';
import { SETTINGS_KEY } from '../../lib/config/connector-settings';
import { createProgress, parseSetupConfig, runDoctor, runSetup } from '../../lib/onboarding';

let hl: HeartlandSimulator;
let mc: CommerceSimulator;
const dir = mkdtempSync(join(tmpdir(), 'hcc-setup-'));
const lines: string[] = [];
const progress = createProgress({ write: (t) => lines.push(t), tty: false });

async function sim(origin: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${origin}/__sim/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
  return r.json().catch(() => undefined);
}

beforeAll(async () => {
  hl = await startHeartlandSimulator({ port: 0, notify: { enabled: false } });
  mc = await startCommerceSimulator({ port: 0 });
  await sim(new URL(hl.url).origin, 'POST', 'seed', { items: 6, locations: 2 });
  const items = (await (await fetch(`${hl.url}items?per_page=50`, { headers: { authorization: 'Bearer sandbox-heartland-token' } })).json()) as { results: { public_id: string }[] };
  const seeded = (await sim(new URL(mc.url).origin, 'POST', 'seed', {
    skus: items.results.map((i) => i.public_id),
    sources: [{ source_code: 'main_street', name: 'Main Street (Heartland)' }, { source_code: 'harbor_mall', name: 'Harbor Mall (Heartland)' }],
    customers: 1,
    orders: 2,
  })) as { orders: { entity_id: number }[] };
  // Paid orders are the ones sent to Heartland: invoice one so the dry run has something to plan.
  const invoiced = await fetch(`${mc.url}rest/V1/order/${seeded.orders[0]!.entity_id}/invoice`, { method: 'POST', headers: { authorization: 'Bearer sandbox-commerce-token', 'content-type': 'application/json' }, body: JSON.stringify({ capture: true }) });
  expect(invoiced.status).toBe(200);
});
afterAll(async () => {
  await hl.close();
  await mc.close();
});

const inputs = () => ({
  HEARTLAND_BASE_URL: hl.url.replace(/\/$/, ''),
  HEARTLAND_API_TOKEN: 'sandbox-heartland-token',
  COMMERCE_BASE_URL: `${mc.url}rest`,
  COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token',
});
const config = parseSetupConfig({ heartland: { baseUrl: 'x', apiToken: 'x' }, commerce: { baseUrl: 'x' }, sandbox: true, runtime: { webhookBaseUrl: 'http://127.0.0.1:9/api/v1/web/connector/heartland-webhook' } }, 'test');

describe('runSetup', () => {
  it('stops at a failing check and writes nothing', async () => {
    const state = createMemoryStateStore();
    const envFile = join(dir, 'failed.env');
    await sim(new URL(hl.url).origin, 'PUT', 'permissions', { deny: ['payment_types'] });
    try {
      const report = await runSetup({ inputs: inputs(), config, envFile, progress, state });
      expect(report.ok).toBe(false);
      expect(report.findings.find((f) => f.kind === 'missing_permission')?.missing).toBe('Manage payment types');
      expect(existsSync(envFile)).toBe(false);
      expect(await state.get(SETTINGS_KEY)).toBeUndefined();
    } finally {
      await sim(new URL(hl.url).origin, 'PUT', 'permissions', { deny: [] });
    }
  });

  it('configures from discovery, then a second run changes nothing', async () => {
    const state = createMemoryStateStore();
    const envFile = join(dir, 'ok.env');
    const first = await runSetup({ inputs: inputs(), config, envFile, progress, state });
    expect(first.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(first.ok).toBe(true);
    expect(first.changed).toBe(true);
    const env = parseDotenv(readFileSync(envFile, 'utf8'));
    expect(env).toMatchObject({ HEARTLAND_API_TOKEN: 'sandbox-heartland-token', COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token' });
    expect(env.HEARTLAND_WEBHOOK_SECRET).toMatch(/^[\w-]{20,}$/);
    // No secret reaches the report.
    expect(JSON.stringify(first)).not.toContain('sandbox-heartland-token');
    expect(JSON.stringify(first)).not.toContain(env.HEARTLAND_WEBHOOK_SECRET);

    const saved = first.settings!;
    expect(saved.stationId).toBeTruthy();
    expect(saved.locationToSource.map((m) => m.sourceCode).sort()).toEqual(['harbor_mall', 'main_street']);
    expect(saved.paymentMethodMap.find((m) => m.magentoCode === '*')).toBeTruthy();
    expect(saved.giftCards).toMatchObject({ enabled: true });
    expect(await state.get(SETTINGS_KEY)).toEqual(JSON.parse(JSON.stringify(saved)));

    const subs = (await (await fetch(`${mc.url}rest/V1/eventing/getEventSubscriptions`, { headers: { authorization: 'Bearer sandbox-commerce-token' } })).json()) as { name: string }[];
    expect(subs.map((s) => s.name)).toContain('observer.sales_order_save_commit_after');
    const hooks = (await sim(new URL(hl.url).origin, 'GET', 'payment-webhooks')) as { webhooks: { payment_type_id: number; capture: string }[] };
    expect(hooks.webhooks[0]!.capture).toMatch(/heartland-webhook\/[\w-]+\/payment\/capture$/);

    const order = first.plans.find((p) => p.entity === 'order')!;
    expect(order.status, order.message).toBe("planned");
    expect(order.requests.some((r) => r.method === 'POST' && r.path === '/sales/orders')).toBe(true);
    expect(first.plans.find((p) => p.entity === 'product')!.status).toBe('planned');
    expect(lines.some((l) => l.startsWith('✓ Subscribing the Commerce events'))).toBe(true);

    const second = await runSetup({ inputs: inputs(), config, envFile, progress, state });
    expect(second.ok).toBe(true);
    expect(second.changed).toBe(false);
    expect(second.steps.filter((s) => s.status === 'changed')).toEqual([]);
    expect(second.steps.find((s) => s.step === 'Event subscriptions')?.detail).toContain('0 created');

    // The doctor agrees: nothing to fix.
    const findings = await runDoctor({ ...inputs(), HEARTLAND_WEBHOOK_SECRET: env.HEARTLAND_WEBHOOK_SECRET }, { state });
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.find((f) => f.check === 'SKU match')?.message).toContain('100%');

    // Settings that drifted from the systems: each drift named with its fix.
    await state.put(SETTINGS_KEY, { ...saved, stationId: '999', locationToSource: saved.locationToSource.slice(1), paymentMethodMap: [] }, { ttlSeconds: 3600 });
    const drift = await runDoctor({ ...inputs(), HEARTLAND_WEBHOOK_SECRET: env.HEARTLAND_WEBHOOK_SECRET }, { state });
    expect(drift.find((f) => f.missing === 'stationId')).toMatchObject({ level: 'error', message: 'The station 999 does not exist in Heartland.' });
    expect(drift.find((f) => f.check === 'locations')).toMatchObject({ level: 'warning', kind: 'unmapped' });
    expect(drift.find((f) => f.check === 'payment methods')).toMatchObject({ level: 'error', message: expect.stringContaining('no "*" fallback') });
  });

  it('without eventing, setup names the module and does not pretend to subscribe', async () => {
    await sim(new URL(mc.url).origin, 'PUT', 'features', { eventing: false });
    try {
      const report = await runSetup({ inputs: inputs(), config, envFile: join(dir, 'noevents.env'), progress, state: createMemoryStateStore() });
      expect(report.ok).toBe(false);
      expect(report.findings.find((f) => f.kind === 'missing_module')?.missing).toBe('Adobe I/O Events for Commerce');
    } finally {
      await sim(new URL(mc.url).origin, 'PUT', 'features', { eventing: true });
    }
  });
});
