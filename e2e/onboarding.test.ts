/**
 * Onboarding over the whole sandbox (issue 14 acceptance): from an empty connector state (no demo
 * seed; only a catalog in both simulators, as a merchant would have), `hcc setup --non-interactive
 * --config <file>` reaches a working sync — an order placed afterwards is open in Heartland — and
 * a second run changes nothing. The Commerce simulator is told to emit only subscribed events, so
 * the order arrives because setup subscribed it through POST /V1/eventing/eventSubscribe.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { commerceApi, heartlandAll, heartlandApi, type SimApi } from '../sandbox/demo/sim-http';
import { createAioStateStore } from '../lib/platform/state';
import { loadConnectorSettings, SETTINGS_KEY } from '../lib/config/connector-settings';

let sandbox: Sandbox;
let dir: string;
let hl: SimApi;
let mc: SimApi;
let skus: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-e2e-onboarding-'));
  sandbox = await startSandbox({ dataDir: join(dir, 'data'), fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => undefined });
  hl = heartlandApi(sandbox.heartland!.url);
  mc = commerceApi(sandbox.commerce!.url);
  // A merchant's day one: a Heartland catalog at two stores, the same SKUs in Magento, one MSI source per store.
  await hl.control('POST', 'seed', { items: 6, locations: 2 });
  skus = (await heartlandAll<{ public_id: string }>(hl, 'items')).map((i) => i.public_id);
  await mc.control('POST', 'seed', { skus, sources: [{ source_code: 'main_street_store', name: 'Main Street Store' }, { source_code: 'harbor_mall', name: 'Harbor Mall' }] });
  // Only subscriptions made through the eventing REST API produce events.
  await mc.control('PUT', 'events/settings', { subscriptions: [] });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real CLI in a child process (async: the sandbox it talks to runs in this process). */
function hcc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/hcc.js', ...args], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitFor<T>(what: string, read: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value as T;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function writeConfig(): string {
  const file = join(dir, 'setup.yaml');
  writeFileSync(
    file,
    [
      'heartland:',
      `  baseUrl: ${sandbox.heartland!.url.replace(/\/$/, '')}`,
      '  apiToken: $HEARTLAND_API_TOKEN',
      // The sandbox host already runs with this secret; in production setup generates one for `aio app deploy`.
      '  webhookSecret: $HEARTLAND_WEBHOOK_SECRET',
      'commerce:',
      `  baseUrl: ${sandbox.commerce!.url}rest`,
      '  consumerKey: $COMMERCE_CONSUMER_KEY',
      '  consumerSecret: $COMMERCE_CONSUMER_SECRET',
      '  accessToken: $COMMERCE_ACCESS_TOKEN',
      '  accessTokenSecret: $COMMERCE_ACCESS_TOKEN_SECRET',
      'runtime:',
      '  namespace: $AIO_RUNTIME_NAMESPACE',
      '  auth: $AIO_RUNTIME_AUTH',
      `  stateEndpoint: ${sandbox.state.url}`,
      `  webhookBaseUrl: ${sandbox.host.url}/api/v1/web/connector/heartland-webhook`,
      'choices:',
      '  paymentMethodMap:',
      '    checkmo: Check',
      'sandbox: true',
      `envFile: ${join(dir, '.env')}`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('hcc setup --non-interactive', () => {
  let config: string;

  it('configures an empty connector from discovery', async () => {
    const state = createAioStateStore({ endpoint: sandbox.state.url });
    expect(await state.get(SETTINGS_KEY)).toBeUndefined();
    config = writeConfig();
    const run = await hcc(['setup', '--non-interactive', '--config', config, '--json']);
    expect(run.stderr).not.toContain('sandbox-commerce-token');
    const report = JSON.parse(run.stdout) as { ok: boolean; changed: boolean; findings: { level: string; message: string }[]; steps: { step: string; status: string }[]; plans: { entity: string; status: string }[] };
    expect(report.findings.filter((f) => f.level === 'error'), run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ ok: true, changed: true });
    expect(run.stdout).not.toContain(process.env.COMMERCE_CONSUMER_SECRET!);

    const settings = await loadConnectorSettings(state);
    const locations = await heartlandAll<{ id: number; name: string }>(hl, 'locations');
    const byName = Object.fromEntries(locations.map((l) => [l.name, String(l.id)]));
    expect(settings.locationToSource).toEqual(
      expect.arrayContaining([
        { locationId: byName['Main Street'], sourceCode: 'main_street_store' },
        { locationId: byName['Harbor Mall'], sourceCode: 'harbor_mall' },
      ]),
    );
    const check = (await heartlandAll<{ id: number; name: string }>(hl, 'payment_types')).find((p) => p.name === 'Check')!;
    expect(settings.paymentMethodMap).toContainEqual({ magentoCode: 'checkmo', paymentTypeId: String(check.id) });
    expect(settings.stationId).toBeTruthy();
    expect(settings.sourceLocationId).toBe(byName['Main Street']);

    const subscriptions = await mc.request<{ name: string }[]>('GET', 'eventing/getEventSubscriptions');
    expect(subscriptions.map((s) => s.name)).toContain('observer.sales_order_save_commit_after');
    const env = parseDotenv(readFileSync(join(dir, '.env'), 'utf8'));
    expect(env.COMMERCE_BASE_URL).toBe(`${sandbox.commerce!.url}rest`);
  }, 40_000);

  it('an order placed afterwards flows through to Heartland', async () => {
    const address = (type: string) => ({ address_type: type, firstname: 'Ona', lastname: 'Board', street: ['1 Setup Way'], city: 'Boston', region: 'Massachusetts', region_code: 'MA', postcode: '02110', country_id: 'US', telephone: '617-555-0100', email: 'ona.board@example.com' });
    const order = await mc.request<{ increment_id: string }>('POST', 'orders', {
      entity: {
        state: 'processing',
        status: 'processing',
        customer_email: 'ona.board@example.com',
        customer_firstname: 'Ona',
        customer_lastname: 'Board',
        customer_is_guest: 1,
        items: [{ sku: skus[0], qty_ordered: 1, price: 20, row_total: 20, tax_amount: 0, product_type: 'simple' }],
        subtotal: 20,
        tax_amount: 0,
        shipping_amount: 5,
        grand_total: 25,
        base_grand_total: 25,
        shipping_description: 'Flat Rate',
        billing_address: address('billing'),
        payment: { method: 'checkmo', amount_ordered: 25 },
        extension_attributes: { shipping_assignments: [{ shipping: { address: address('shipping'), method: 'flatrate_flatrate', total: { shipping_amount: 5 } } }] },
      },
    });
    const rows = await waitFor('the order in Heartland', async () => {
      const found = await heartlandAll<{ id: number; status: string }>(hl, 'sales/orders', { _filter: JSON.stringify({ 'custom@ecommerce_number': order.increment_id }) });
      return found.length && found[0]!.status === 'open' ? found : undefined;
    }, 20_000);
    expect(rows).toHaveLength(1);
  }, 30_000);

  it('a second run changes nothing', async () => {
    const state = createAioStateStore({ endpoint: sandbox.state.url });
    const before = await state.get(SETTINGS_KEY);
    const envBefore = readFileSync(join(dir, '.env'), 'utf8');
    const subsBefore = await mc.request<unknown[]>('GET', 'eventing/getEventSubscriptions');
    const run = await hcc(['setup', '--non-interactive', '--config', config, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; changed: boolean; steps: { step: string; status: string }[] };
    expect(report).toMatchObject({ ok: true, changed: false });
    expect(report.steps.filter((s) => s.status === 'changed')).toEqual([]);
    expect(await state.get(SETTINGS_KEY)).toEqual(before);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(envBefore);
    expect(await mc.request<unknown[]>('GET', 'eventing/getEventSubscriptions')).toEqual(subsBefore);
  }, 40_000);
});
