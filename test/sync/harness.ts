/**
 * Test harness for the sync pipeline: in-memory platform, a clock whose sleeps advance time at
 * once (and are recorded, so backoff and Retry-After can be asserted), a fake Commerce source and a
 * fake Heartland target that counts creates, and a small order flow written the way real flows are.
 */
import { z } from 'zod';
import { createManualClock, createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../lib/platform/memory';
import type { Clock, Invoker, Platform } from '../../lib/platform/ports';
import { createCircuitBreakers } from '../../lib/sync/breaker';
import { createSyncRegistry, defineFlow } from '../../lib/sync/registry';
import { TerminalError } from '../../lib/sync/errors';
import type { SyncDeps, SyncOptions } from '../../lib/sync/types';

export const T0 = Date.UTC(2026, 10, 28, 7, 0, 0);

export type TestClock = Clock & { advance(ms: number): void; set(ms: number): void; sleeps: number[] };

export function createTestClock(start = T0): TestClock {
  const manual = createManualClock(start);
  const sleeps: number[] = [];
  return {
    now: () => manual.now(),
    async sleep(ms: number) {
      sleeps.push(ms);
      if (ms > 0) manual.advance(ms);
      // Yield like a real timer would, so concurrent units interleave.
      await new Promise((resolve) => setImmediate(resolve));
    },
    advance: (ms) => manual.advance(ms),
    set: (ms) => manual.set(ms),
    sleeps,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

export interface CommerceOrder {
  increment_id: string;
  updated_at: string;
  email: string;
  status: string;
  items: Array<{ sku: string; qty: number }>;
}

/** The Magento side: orders by increment id; `failures` are thrown by the next reads. */
export function createFakeCommerce() {
  const orders = new Map<string, CommerceOrder>();
  const failures: unknown[] = [];
  let reads = 0;
  return {
    orders,
    failures,
    get reads() {
      return reads;
    },
    async getOrder(id: string): Promise<CommerceOrder | undefined> {
      reads++;
      await tick();
      const failure = failures.shift();
      if (failure) throw failure;
      const order = orders.get(id);
      return order ? structuredClone(order) : undefined;
    },
  };
}

/** The Heartland side: tickets keyed by ecommerce number, with a real lookup-then-create race window. */
export function createFakeHeartland() {
  const tickets = new Map<string, { id: string; data: unknown }>();
  const failures: unknown[] = [];
  const skus = new Set<string>(['SKU-1', 'SKU-2']);
  let creates = 0;
  let updates = 0;
  let calls = 0;
  return {
    tickets,
    failures,
    skus,
    get creates() {
      return creates;
    },
    get updates() {
      return updates;
    },
    get calls() {
      return calls;
    },
    async findTicket(ref: string) {
      calls++;
      await tick();
      const failure = failures.shift();
      if (failure) throw failure;
      return tickets.get(ref);
    },
    async createTicket(ref: string, data: unknown) {
      calls++;
      await tick();
      creates++;
      const ticket = { id: `T${tickets.size + 1}`, data };
      tickets.set(ref, ticket);
      return ticket;
    },
    async updateTicket(ref: string, data: unknown) {
      calls++;
      await tick();
      updates++;
      const ticket = tickets.get(ref)!;
      ticket.data = data;
      return ticket;
    },
  };
}

export type FakeCommerce = ReturnType<typeof createFakeCommerce>;
export type FakeHeartland = ReturnType<typeof createFakeHeartland>;

const mappedTicket = z.object({
  ecommerce_number: z.string().min(1),
  customer_email: z.email(),
  lines: z.array(z.object({ item_public_id: z.string(), qty: z.number().positive() })).min(1),
});
type MappedTicket = z.infer<typeof mappedTicket>;

/** A web order flow shaped like the real one: re-read, map, validate, look up by reference, then create. */
export function createOrderFlow(options: { name?: string; filterStatus?: string; confirm?: () => Promise<void> } = {}) {
  return defineFlow<CommerceOrder, MappedTicket>({
    name: options.name ?? 'order',
    entity: 'order',
    direction: 'commerce-to-heartland',
    upstreams: ['commerce', 'heartland'],
    load: (unit, ctx) => (ctx.client('commerce') as unknown as FakeCommerce).getOrder(unit.key),
    version: (order) => order.updated_at,
    filter: (order) => (options.filterStatus && order.status === options.filterStatus ? `status ${order.status} is not synced` : undefined),
    map: (order, ctx) => {
      const heartland = ctx.client('heartland') as unknown as FakeHeartland;
      return {
        ecommerce_number: order.increment_id,
        customer_email: order.email,
        lines: order.items.map((item, i) => {
          if (!heartland.skus.has(item.sku)) throw new TerminalError(`unknown SKU ${item.sku}`, { field: `items.${i}.sku`, value: item.sku, system: 'heartland' });
          return { item_public_id: item.sku, qty: item.qty };
        }),
      };
    },
    validate: mappedTicket,
    write: async (mapped, ctx) => {
      const heartland = ctx.client('heartland') as unknown as FakeHeartland;
      // Idempotent: the ticket carries the Magento increment id as its external reference.
      const existing = await heartland.findTicket(mapped.ecommerce_number);
      if (existing) {
        await heartland.updateTicket(mapped.ecommerce_number, mapped);
        return { targetId: existing.id, action: 'updated' };
      }
      const created = await heartland.createTicket(mapped.ecommerce_number, mapped);
      return { targetId: created.id, action: 'created' };
    },
    // The real flow comments back on the Magento order here.
    link: options.confirm ? () => options.confirm!() : undefined,
  });
}

export function createRecordingInvoker() {
  const calls: Array<{ action: string; params: Record<string, unknown>; blocking?: boolean }> = [];
  const invoker: Invoker = {
    async invoke(action, params, options) {
      calls.push({ action, params, blocking: options?.blocking });
      return { activationId: `act-${calls.length}` };
    },
  };
  return { invoker, calls };
}

export function createHarness(init: { options?: Partial<SyncOptions>; flows?: ReturnType<typeof createOrderFlow>[] } = {}) {
  const clock = createTestClock();
  const state = createMemoryStateStore(clock);
  const files = createMemoryFileStore();
  const logger = createMemoryLogger();
  const { invoker, calls: invocations } = createRecordingInvoker();
  const platform: Platform = { state, files, clock, logger, invoker };
  const commerce = createFakeCommerce();
  const heartland = createFakeHeartland();
  const registry = createSyncRegistry({ flows: init.flows ?? [createOrderFlow()] });
  const options: Partial<SyncOptions> = { leaseSettleMs: 0, ...init.options };
  const breakers = createCircuitBreakers({ state, clock, threshold: 3, openMs: 60_000 });
  const deps: SyncDeps = {
    platform,
    registry,
    clients: { commerce: () => commerce as never, heartland: () => heartland as never },
    breakers,
    options,
    random: () => 0.5,
  };
  /** Fresh deps for "another activation": its own breakers, same state. */
  const otherActivation = (): SyncDeps => ({ ...deps, breakers: createCircuitBreakers({ state, clock, threshold: 3, openMs: 60_000 }) });
  return { clock, state, files, logger, platform, commerce, heartland, registry, deps, invocations, otherActivation };
}

export function seedOrder(commerce: FakeCommerce, id: string, patch: Partial<CommerceOrder> = {}): CommerceOrder {
  const order: CommerceOrder = {
    increment_id: id,
    updated_at: '2026-11-28 06:00:00',
    email: 'ada@example.com',
    status: 'processing',
    items: [{ sku: 'SKU-1', qty: 1 }],
    ...patch,
  };
  commerce.orders.set(id, order);
  return order;
}
