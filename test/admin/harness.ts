/**
 * Route-level harness for admin-api: the real action handler (lib/admin/router) on an in-memory
 * platform, the Heartland and Commerce simulators on ephemeral ports for the routes that call
 * them, and a small order flow (in-memory source, MappingError for unknown SKUs) so the pipeline
 * produces real run records and dead letters.
 */
import { z } from 'zod';
import { createAdminApiHandler, type AdminApiOptions } from '../../lib/admin/router';
import { defineArea, type FlowArea } from '../../lib/flows/area';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../lib/platform/memory';
import { systemClock, type Platform } from '../../lib/platform/ports';
import { defineFeed, defineFlow, defineJob, MappingError } from '../../lib/sync';
import { defineWebAction } from '../../lib/runtime';
import { startCommerceSimulator, type CommerceSimulator } from '../../sandbox/commerce/server';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { errorBody } from '../../lib/admin/contract';

export const AUTH = { authorization: 'Bearer test-ims-token', 'x-gw-ims-org-id': 'test-org@AdobeOrg' };

export interface FakeOrder {
  increment_id: string;
  status: string;
  customer_email: string;
  grand_total: number;
  items: Array<{ sku: string; qty: number }>;
}

/** The Magento side of the test flow: orders by increment id. */
export const sourceOrders = new Map<string, FakeOrder>();
export const knownSkus = new Set(['SKU-1', 'SKU-2']);
export const written: string[] = [];

export const testOrderFlow = defineFlow<FakeOrder, { ref: string; lines: Array<{ sku: string; qty: number }> }>({
  name: 'order',
  entity: 'order',
  direction: 'commerce-to-heartland',
  upstreams: ['commerce'],
  load: async (unit) => structuredClone(sourceOrders.get(unit.key)),
  version: () => undefined,
  map: (order) => {
    order.items.forEach((line, i) => {
      if (!knownSkus.has(line.sku)) throw new MappingError(`lines.${i}.sku`, `SKU ${line.sku} is not a Heartland item`, line.sku);
    });
    return { ref: order.increment_id, lines: order.items };
  },
  write: async (mapped) => {
    written.push(mapped.ref);
    return { targetId: `T-${mapped.ref}`, action: 'created' };
  },
});

/** A feed that offers every source order once per poll (cursor = number of orders seen). */
export const testOrderFeed = defineFeed({
  name: 'order-poll',
  poll: async (cursor) => {
    const keys = [...sourceOrders.keys()].slice(Number(cursor ?? 0));
    return { units: keys.map((key) => ({ flow: 'order', key })), nextCursor: String(Number(cursor ?? 0) + keys.length) };
  },
});

export const testJob = defineJob<string>({ name: 'order-full', plan: async () => ['a', 'b'], runChunk: async () => 'ok' });

export const testArea: FlowArea = defineArea({ name: 'test-orders', flows: [testOrderFlow], feeds: [testOrderFeed], jobs: [testJob] });

export interface Harness {
  platform: Platform;
  heartland: HeartlandSimulator;
  commerce: CommerceSimulator;
  inputs: Record<string, string>;
  call(method: string, path: string, options?: { query?: Record<string, string>; body?: Record<string, unknown>; headers?: Record<string, string>; inputs?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export interface Response {
  status: number;
  body: any;
  headers: Record<string, string>;
}

export function memoryPlatform(): Platform {
  const clock = systemClock;
  const invocations: unknown[] = [];
  return {
    state: createMemoryStateStore(clock),
    files: createMemoryFileStore(),
    clock,
    logger: createMemoryLogger(),
    invoker: { invoke: async (action, params) => (invocations.push({ action, params }), { activationId: `act-${invocations.length}` }) },
  };
}

export async function startHarness(options: Partial<AdminApiOptions> = {}): Promise<Harness> {
  const heartland = await startHeartlandSimulator({ port: 0, notify: { enabled: false } });
  const commerce = await startCommerceSimulator({ port: 0 });
  const platform = options.platform ?? memoryPlatform();
  const inputs = {
    HEARTLAND_BASE_URL: heartland.url.replace(/\/$/, ''),
    HEARTLAND_API_TOKEN: 'sandbox-heartland-token',
    HEARTLAND_WEBHOOK_SECRET: 'test-webhook-secret',
    COMMERCE_BASE_URL: `${commerce.url.replace(/\/$/, '')}/rest`,
    COMMERCE_CONSUMER_KEY: 'sandbox-commerce-consumer-key',
    COMMERCE_CONSUMER_SECRET: 'sandbox-commerce-consumer-secret',
    COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token',
    COMMERCE_ACCESS_TOKEN_SECRET: 'sandbox-commerce-token-secret',
    LOG_LEVEL: 'error',
  };
  const main = defineWebAction({
    name: 'connector/admin-api',
    // statusCacheMs 0: route tests change state directly and read status right after; caching has its own test.
    handle: createAdminApiHandler({ platform, areas: [testArea], tuning: { maxAttempts: 1, timeoutMs: 5_000 }, env: {}, statusCacheMs: 0, ...options }),
  });
  return {
    platform,
    heartland,
    commerce,
    inputs,
    async call(method, path, { query = {}, body = {}, headers = AUTH, inputs: override = {} } = {}) {
      const result = (await main({ ...inputs, ...override, ...query, ...body, __ow_method: method.toLowerCase(), __ow_path: path, __ow_headers: headers })) as any;
      if (result.error) {
        // Every error must be the contract's error body, never a stack.
        errorBody.parse(result.error.body);
        return { status: result.error.statusCode, body: result.error.body, headers: {} };
      }
      return { status: result.statusCode, body: result.body, headers: result.headers ?? {} };
    },
    async close() {
      await heartland.close();
      await commerce.close();
    },
  };
}

/** Parses with a contract schema and returns the value (a failure names the path in the test output). */
export function expectShape<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`response does not match the contract: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  return parsed.data;
}
