/**
 * Inventory end to end in the whole sandbox (host, state service, both simulators, demo seed):
 * a Heartland adjustment reaches the Magento source item within 2 s of its notification (through
 * the heartland-webhook action, the coalescing window and the inventory flow), and a feed that
 * would zero 40% of the SKUs is held and shows up as an anomaly instead of reaching Magento.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { createConnector, type Connector } from '../lib/connector';
import { createHeartlandClient, type HeartlandClient } from '../lib/heartland/client';
import { createAnomalyRepository } from '../lib/insights';
import { loadConnectorSettings } from '../lib/config/connector-settings';
import { runInventoryReconciliation } from '../lib/flows/inventory';

let sb: Sandbox;
let dir: string;
let connector: Connector;
let heartland: HeartlandClient;
let locations: Array<{ locationId: string; sourceCode: string }>;
let reason: number;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sourceQuantity(sku: string, source: string): Promise<number | undefined> {
  const rows = await connector.deps.clients!.commerce!({ correlationId: 'e2e', logger: connector.deps.platform.logger }).inventory.sourceItemsForSkus([sku]);
  const row = rows.find((r) => r.source_code === source);
  return row ? Number(row.quantity) : undefined;
}

/**
 * Waits until nothing has called the Heartland simulator for a while: right after start the other
 * areas catch up on the demo seed, and every connector call shares one 5 requests/s Heartland limit.
 */
async function waitForQuiet(quietMs = 1_500, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const since = Date.now() - quietMs;
    const { requests } = (await (await fetch(new URL(`../__sim/requests?since=${since}`, sb.heartland!.url))).json()) as { requests: unknown[] };
    if (requests.length === 0) return;
    await sleep(300);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-e2e-inventory-'));
  sb = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: true, log: () => {} });
  connector = createConnector({ inputs: sb.env });
  heartland = createHeartlandClient({ baseUrl: sb.heartland!.url, token: sb.env.HEARTLAND_API_TOKEN ?? 'sandbox-heartland-token', ratePerSecond: 100 });
  const settings = await loadConnectorSettings(connector.deps.platform.state);
  locations = settings.locationToSource;
  expect(locations.length).toBeGreaterThan(0);
  reason = (await heartland.inventory.reasonCodes())[0].id;
  // The first-run reconciliation (what `hcc sync inventory --full` does after set-up): fills the pushed snapshot.
  const { job } = await runInventoryReconciliation(connector.deps, { pollMs: 100, timeoutMs: 45_000 });
  expect(job.status).toBe('done');
}, 90_000);

afterAll(async () => {
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('inventory in the sandbox', () => {
  it('a Heartland adjustment reaches the Magento source item within 2 s of the notification', async () => {
    const item = (await heartland.items.iterate({ perPage: 5 }).next()).value!;
    const { locationId, sourceCode } = locations[0];
    const before = (await heartland.inventory.getValues([item.id], [Number(locationId)]))[0]?.qty_available ?? 0;
    const safety = (await loadConnectorSettings(connector.deps.platform.state)).safetyStock;
    await waitForQuiet();
    const started = Date.now();
    // Completing the set appends the ledger row and sends `inventory.updated` at once.
    await heartland.inventory.adjust({ location_id: Number(locationId), adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: 5 }] });
    const notifiedAt = Date.now();
    let seenAt: number | undefined;
    while (Date.now() - started < 5_000) {
      if ((await sourceQuantity(item.public_id!, sourceCode)) === Math.max(0, before + 5 - safety)) {
        seenAt = Date.now();
        break;
      }
      await sleep(25);
    }
    expect(seenAt, 'the source item never showed the adjusted quantity').toBeDefined();
    console.info(`inventory e2e: adjustment → Magento source item in ${seenAt! - notifiedAt} ms`);
    expect(seenAt! - notifiedAt).toBeLessThan(2_000);
  }, 20_000);

  it('holds a feed that would zero 40% of the SKUs as an anomaly, and Magento keeps its stock', async () => {
    const items = [];
    for await (const it of heartland.items.iterate({ perPage: 500 })) items.push(it);
    const victims = items.slice(0, Math.ceil(items.length * 0.4));
    const probe = victims.find(() => true)!;
    const probeSource = locations[0].sourceCode;
    const magentoBefore = await sourceQuantity(probe.public_id!, probeSource);
    for (const { locationId } of locations) {
      const values = await heartland.inventory.getValues(victims.map((v) => v.id), [Number(locationId)]);
      const lines = values.filter((v) => v.qty_on_hand > 0).map((v) => ({ item_id: v.item_id!, qty: -v.qty_on_hand }));
      if (lines.length) await heartland.inventory.adjust({ location_id: Number(locationId), adjustment_reason_id: reason, lines });
    }
    const anomalies = createAnomalyRepository({ state: connector.deps.platform.state, files: connector.deps.platform.files });
    let hold;
    const deadline = Date.now() + 15_000;
    while (!hold && Date.now() < deadline) {
      hold = await anomalies.openHold('inventory');
      if (!hold) await sleep(200);
    }
    expect(hold, 'no held stock batch appeared').toBeDefined();
    expect(hold).toMatchObject({ kind: 'stock_wipe', flow: 'inventory', status: 'open', holds: true });
    expect(hold!.summary).toMatch(/would go to zero/);
    const recent = await anomalies.listRecent({ flow: 'inventory' });
    expect(recent.some((a) => a.id === hold!.id)).toBe(true);
    await sleep(500);
    expect(await sourceQuantity(probe.public_id!, probeSource)).toBe(magentoBefore);
  }, 30_000);
});
