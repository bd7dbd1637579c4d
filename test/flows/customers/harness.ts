/**
 * Both simulators on ephemeral ports plus an in-memory platform and pipeline deps, for the
 * customers and gift-card flow tests.
 */
import { startHeartlandSimulator, DEFAULT_TOKEN } from '../../../sandbox/heartland/server';
import { startCommerceSimulator, type CommerceSimulatorOptions } from '../../../sandbox/commerce/server';
import { createHeartlandClient } from '../../../lib/heartland/client';
import { createCommerceClient } from '../../../lib/commerce/client';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../../lib/platform/memory';
import { systemClock, type Platform } from '../../../lib/platform/ports';
import { createSyncRegistry, type Flow, type SyncDeps } from '../../../lib/sync';
import type { FeedDefinition } from '../../../lib/sync/registry';
import '../../../lib/connector/clients';

export async function startHarness(opts: { flows?: Flow<any, any>[]; feeds?: FeedDefinition[]; commerce?: CommerceSimulatorOptions } = {}) {
  const heartlandSim = await startHeartlandSimulator({ port: 0, host: '127.0.0.1', notify: { enabled: false } });
  const commerceSim = await startCommerceSimulator({ port: 0, host: '127.0.0.1', ...opts.commerce });
  const hl = createHeartlandClient({ baseUrl: heartlandSim.url, token: DEFAULT_TOKEN, ratePerSecond: 200, maxAttempts: 2 });
  const commerce = createCommerceClient({ baseUrl: commerceSim.url, auth: { kind: 'bearer', token: 'sandbox-commerce-token' }, storeCode: 'default', ratePerSecond: 200, maxAttempts: 2 });
  const platform: Platform = {
    state: createMemoryStateStore(systemClock),
    files: createMemoryFileStore(),
    invoker: { invoke: async () => ({ activationId: 'test' }) },
    clock: systemClock,
    logger: createMemoryLogger(),
  };
  const deps: SyncDeps = {
    platform,
    registry: createSyncRegistry({ flows: opts.flows ?? [], feeds: opts.feeds ?? [] }),
    clients: { heartland: () => hl, commerce: () => commerce },
    options: { leaseSettleMs: 0, backoffBaseMs: 5, backoffCapMs: 20 },
  };

  async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(new URL(path.replace(/^\//, ''), base), {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }
  const heartlandRoot = heartlandSim.url.replace(/api\/$/, '');
  return {
    hl,
    commerce,
    deps,
    platform,
    heartlandSim,
    commerceSim,
    /** Heartland API as a POS user or back-office clerk would change it. */
    heartlandApi: (method: string, path: string, body?: unknown) => call(heartlandSim.url, method, path, body, { authorization: `Bearer ${DEFAULT_TOKEN}` }),
    heartlandControl: (method: string, path: string, body?: unknown) => call(heartlandRoot, method, path, body),
    magentoApi: (method: string, path: string, body?: unknown) => call(commerceSim.url, method, `rest/default/V1/${path.replace(/^\//, '')}`, body, { authorization: 'Bearer sandbox-commerce-token' }),
    magentoControl: (method: string, path: string, body?: unknown) => call(commerceSim.url, method, path, body),
    async close() {
      await Promise.all([heartlandSim.close(), commerceSim.close()]);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Writes (POST/PUT/DELETE) a simulator counted, from its `/__sim/counters` byEndpoint map. */
export function writesIn(byEndpoint: Record<string, number>, pattern: RegExp): number {
  return Object.entries(byEndpoint)
    .filter(([endpoint]) => /^(POST|PUT|DELETE) /.test(endpoint) && pattern.test(endpoint))
    .reduce((sum, [, n]) => sum + n, 0);
}
