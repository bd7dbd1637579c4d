/**
 * In-process environment for the inventory flows: the Heartland and Commerce simulators on
 * ephemeral ports, real clients, an in-memory platform whose invoker runs `worker` chunks in this
 * process (as Runtime would in parallel containers), and the inventory area's registry.
 * The benchmark (bench/inventory.ts) uses it too.
 */
import { startHeartlandSimulator, type HeartlandSimulator } from '../../../sandbox/heartland/server';
import { startCommerceSimulator, type CommerceSimulator } from '../../../sandbox/commerce/server';
import { SANDBOX_COMMERCE_CREDENTIALS as C } from '../../../sandbox/commerce/credentials';
import { createHeartlandClient, type HeartlandClient } from '../../../lib/heartland/client';
import { createCommerceClient, type CommerceClient } from '../../../lib/commerce/client';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../../lib/platform/memory';
import { systemClock, type Invoker, type Platform } from '../../../lib/platform/ports';
import { createSyncRegistry, runWorkerChunk, type SyncDeps } from '../../../lib/sync';
import { createCircuitBreakers } from '../../../lib/sync/breaker';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { inventoryArea } from '../../../lib/flows/inventory';
import '../../../lib/connector/clients'; // UpstreamClients augmentation

export interface InventoryEnv {
  heartlandSim: HeartlandSimulator;
  commerceSim: CommerceSimulator;
  heartland: HeartlandClient;
  commerce: CommerceClient;
  deps: SyncDeps;
  platform: Platform;
  locations: number[];
  sources: string[];
  seed: { items: { count: number; firstId: number | null; lastId: number | null }; stations: number[]; reasonCodes: Record<string, number> };
  hsim(method: string, path: string, body?: unknown): Promise<any>;
  csim(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

async function control(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(new URL(path.replace(/^\//, ''), base), {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export interface ConnectedInventory {
  heartland: HeartlandClient;
  commerce: CommerceClient;
  deps: SyncDeps;
  platform: Platform;
  locations: number[];
  sources: string[];
  /** Worker chunks still running in this process. */
  running: Set<Promise<unknown>>;
}

/** Clients, platform and deps against running simulators; creates one MSI source per location and saves the settings. */
export async function connectInventory(opts: { heartlandUrl: string; commerceUrl: string; locations: number[]; settings?: Record<string, unknown>; parallelChunks?: number }): Promise<ConnectedInventory> {
  const heartland = createHeartlandClient({ baseUrl: opts.heartlandUrl, token: 'sandbox-heartland-token', ratePerSecond: 1000, maxAttempts: 2 });
  const commerce = createCommerceClient({ baseUrl: opts.commerceUrl, auth: { kind: 'bearer', token: C.accessToken }, storeCode: 'default', maxAttempts: 2, ratePerSecond: 1000 });
  const locations = opts.locations;
  const sources = locations.map((_, i) => `store-${i + 1}`);
  const existing = new Set((await commerce.inventory.sources()).items.map((s) => s.source_code));
  for (const code of sources) if (!existing.has(code)) await commerce.inventory.createSource({ source_code: code, name: code, postcode: '10001', country_id: 'US', enabled: true });

  const state = createMemoryStateStore(systemClock);
  const files = createMemoryFileStore();
  const logger = createMemoryLogger();
  let deps!: SyncDeps;
  const running = new Set<Promise<unknown>>();
  // Runtime runs `worker` non-blocking in its own container: here, a promise in this process.
  const invoker: Invoker = {
    async invoke(_action, params) {
      const p = runWorkerChunk(params, deps).catch((e) => logger.error('worker failed', { error: String(e) }));
      running.add(p);
      void p.finally(() => running.delete(p));
      return { activationId: `local-${Math.random().toString(36).slice(2)}` };
    },
  };
  const platform: Platform = { state, files, invoker, clock: systemClock, logger };
  deps = {
    platform,
    registry: createSyncRegistry({ flows: inventoryArea.flows, feeds: inventoryArea.feeds, jobs: inventoryArea.jobs }),
    clients: { heartland: () => heartland, commerce: () => commerce },
    breakers: createCircuitBreakers({ state, clock: systemClock, logger, threshold: 1000, openMs: 1000 }),
    options: { leaseSettleMs: 0, backoffBaseMs: 10, backoffCapMs: 50 },
  };
  await saveConnectorSettings(state, {
    locationToSource: locations.map((id, i) => ({ locationId: String(id), sourceCode: sources[i] })),
    schedules: { stockCoalesceMs: 100 },
    ...(opts.settings ?? {}),
  });
  return { heartland, commerce, deps, platform, locations, sources, running };
}

export async function startInventoryEnv(opts: { items: number; locations?: number; stock?: { min: number; max: number }; settings?: Record<string, unknown>; quiet?: boolean } = { items: 20 }): Promise<InventoryEnv> {
  const heartlandSim = await startHeartlandSimulator({ port: 0, host: '127.0.0.1', notify: { enabled: false } });
  const commerceSim = await startCommerceSimulator({ port: 0, host: '127.0.0.1', bulkDelayMs: 1 });
  const hsim = (m: string, p: string, b?: unknown) => control(heartlandSim.url.replace(/api\/$/, ''), m, p, b);
  const csim = (m: string, p: string, b?: unknown) => control(commerceSim.url, m, p, b);
  const seed = await hsim('POST', '/__sim/seed', { items: opts.items, locations: opts.locations ?? 3, seed: 7, stock: opts.stock ?? { min: 0, max: 20 } });
  const connected = await connectInventory({ heartlandUrl: heartlandSim.url, commerceUrl: commerceSim.url, locations: seed.locations, settings: opts.settings });
  const { heartland, commerce, deps, platform, locations, sources, running } = connected;
  return {
    heartlandSim,
    commerceSim,
    heartland,
    commerce,
    deps,
    platform,
    locations,
    sources,
    seed,
    hsim,
    csim,
    async close() {
      await Promise.allSettled([...running]);
      await heartlandSim.close();
      await commerceSim.close();
    },
  };
}

/** Magento source items as `sku|source → quantity`. */
export async function magentoQuantities(env: InventoryEnv, skus: string[]): Promise<Map<string, { quantity: number; status: number }>> {
  const out = new Map<string, { quantity: number; status: number }>();
  for (const row of await env.commerce.inventory.sourceItemsForSkus(skus)) out.set(`${row.sku}|${row.source_code}`, { quantity: Number(row.quantity), status: Number(row.status) });
  return out;
}
