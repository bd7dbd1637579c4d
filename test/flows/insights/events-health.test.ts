/**
 * "I/O Events registration unhealthy (where detectable)": Magento orders created while no Commerce
 * order event arrives are alerted; recent events cost one get and no Magento call; a late event or
 * a single order is not an incident. Against the Commerce simulator, whose clock follows the test's.
 */
import { startAlertReceiver, type AlertReceiver } from '../../support/alert-receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommerceSimulator, type CommerceSimulator } from '../../../sandbox/commerce/server';
import { createCommerceClient, type CommerceClient } from '../../../lib/commerce/client';
import { parseCommerceEvent } from '../../../lib/commerce/events';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { createManualClock, createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../../lib/platform/memory';
import type { Platform } from '../../../lib/platform/ports';
import { createSyncRegistry, pollFeed, type SyncDeps } from '../../../lib/sync';
import { checkCommerceEvents, COMMERCE_EVENT_SEEN_KEY, createInsightsWatchFeed, INSIGHTS_WATCH_FEED, noteCommerceOrderEvent } from '../../../lib/flows/insights';
import { eventsRegistrationAlert } from '../../../lib/insights';
import '../../../lib/connector/clients'; // UpstreamClients augmentation

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);

let sim: CommerceSimulator;
let commerce: CommerceClient;
let receiver: AlertReceiver<any>;
let hookUrl = '';
let alerts: any[] = [];
let simNow = T0;

beforeAll(async () => {
  sim = await startCommerceSimulator({ port: 0, host: '127.0.0.1', now: () => simNow });
  commerce = createCommerceClient({ baseUrl: sim.url, auth: { kind: 'bearer', token: 'sandbox-commerce-token' }, storeCode: 'default', maxAttempts: 1 });
  receiver = await startAlertReceiver();
  alerts = receiver.alerts;
  hookUrl = receiver.url;
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

function platformAt(startMs: number): Platform & { clock: ReturnType<typeof createManualClock>; logger: ReturnType<typeof createMemoryLogger> } {
  const clock = createManualClock(startMs);
  return { state: createMemoryStateStore(clock), files: createMemoryFileStore(), clock, logger: createMemoryLogger(), invoker: { invoke: async () => ({ activationId: 'none' }) } };
}

async function orderAt(ms: number): Promise<void> {
  simNow = ms;
  await commerce.orders.save({ state: 'processing', status: 'processing', customer_email: `buyer.${ms}@example.com`, customer_is_guest: 1, grand_total: 20, base_grand_total: 20, items: [{ sku: 'SKU-1', qty_ordered: 1, price: 20, row_total: 20, product_type: 'simple' }] });
}

const orderEvent = (id: number) =>
  parseCommerceEvent({ type: 'com.adobe.commerce.observer.sales_order_save_commit_after', id: `evt-${id}`, source: 'urn:test', specversion: '1.0', data: { value: { entity_id: id, increment_id: String(100000 + id) } } });

describe('Commerce event delivery check', () => {
  it('remembers order events at most once a minute per container; other events are not order evidence', async () => {
    const p = platformAt(T0);
    const ctx = { deps: { platform: p } as unknown as SyncDeps, settings: {} as never };
    expect(await noteCommerceOrderEvent(orderEvent(1), ctx)).toEqual([]);
    expect(await p.state.get(COMMERCE_EVENT_SEEN_KEY)).toMatchObject({ at: T0, event: 'observer.sales_order_save_commit_after' });
    p.clock.advance(30_000);
    await noteCommerceOrderEvent(orderEvent(2), ctx);
    expect(await p.state.get(COMMERCE_EVENT_SEEN_KEY)).toMatchObject({ at: T0 });
    p.clock.advance(31_000);
    await noteCommerceOrderEvent(orderEvent(3), ctx);
    expect(await p.state.get(COMMERCE_EVENT_SEEN_KEY)).toMatchObject({ at: T0 + 61_000 });
    const q = platformAt(T0);
    const customer = parseCommerceEvent({ type: 'com.adobe.commerce.observer.customer_save_commit_after', id: 'c1', source: 'urn:test', specversion: '1.0', data: { value: { entity_id: 5, email: 'a@example.com' } } });
    await noteCommerceOrderEvent(customer, { deps: { platform: q } as unknown as SyncDeps, settings: {} as never });
    expect(await q.state.get(COMMERCE_EVENT_SEEN_KEY)).toBeUndefined();
  });

  it('alerts orders created after the last event; recent events, one late order or orders still in the grace window do not', async () => {
    const base = T0 + 10 * 60 * MIN;
    const p = platformAt(base);
    await p.state.put(COMMERCE_EVENT_SEEN_KEY, { at: base, event: 'observer.sales_order_save_commit_after' }, { ttlSeconds: 3600 });
    // Events 10 minutes ago: healthy, Magento is not asked.
    p.clock.set(base + 10 * MIN);
    const before = commerce.stats.requests;
    expect(await checkCommerceEvents({ state: p.state, clock: p.clock, logger: p.logger, commerce })).toEqual({ asked: false, lastEventAt: base });
    expect(commerce.stats.requests).toBe(before);

    // One order after the last event, 40 minutes of silence: one late event is not an incident.
    await orderAt(base + 20 * MIN);
    p.clock.set(base + 40 * MIN);
    expect(await checkCommerceEvents({ state: p.state, clock: p.clock, logger: p.logger, commerce })).toMatchObject({ asked: true, ordersWithoutEvents: 1 });

    // Three more; the last inside the 5-minute grace is not counted yet.
    await orderAt(base + 25 * MIN);
    await orderAt(base + 30 * MIN);
    await orderAt(base + 38 * MIN);
    const result = await checkCommerceEvents({ state: p.state, clock: p.clock, logger: p.logger, commerce });
    expect(result).toMatchObject({ asked: true, lastEventAt: base, ordersWithoutEvents: 3 });
    expect(result.alert).toMatchObject({ kind: 'registration_unhealthy', registration: 'Commerce events' });
    expect(result.alert && 'detail' in result.alert ? result.alert.detail : '').toMatch(/^3 Magento orders created since .* and no Commerce event for them \(the last one arrived 40 minutes ago\)/);
  });

  it('without any event ever, orders of the last two hours count', () => {
    const alert = eventsRegistrationAlert({ ordersWithoutEvents: 4, countedFrom: T0, now: T0 + 2 * 60 * MIN });
    expect(alert).toMatchObject({ kind: 'registration_unhealthy', status: expect.stringMatching(/ASSUMED UNSTABLE or DISABLED/) });
    expect(alert && 'detail' in alert ? alert.detail : '').toMatch(/none received yet/);
    expect(eventsRegistrationAlert({ ordersWithoutEvents: 2, countedFrom: T0, now: T0 })).toBeUndefined();
  });

  it('the watch feed sends the alert to the webhook and asks Magento at most every 15 minutes', async () => {
    const base = T0 + 30 * 60 * MIN;
    const p = platformAt(base);
    for (const m of [10, 20, 30, 40]) await orderAt(base - 120 * MIN + m * MIN);
    await saveConnectorSettings(p.state, { alerts: { webhookUrl: hookUrl } });
    const deps: SyncDeps = {
      platform: p,
      registry: createSyncRegistry({ feeds: [createInsightsWatchFeed(() => ['order'])] }),
      clients: { commerce: () => commerce },
      options: { leaseSettleMs: 0 },
    };
    const feed = deps.registry.feed(INSIGHTS_WATCH_FEED);
    const searches = () => commerce.stats.requests;
    const first = await pollFeed(feed, deps, base + 20_000);
    expect(first.error).toBeUndefined();
    expect(alerts.filter((a) => a.kind === 'registration_unhealthy')).toHaveLength(1);
    expect(alerts.at(-1)).toMatchObject({ kind: 'registration_unhealthy', severity: 'critical', subject: 'Commerce events' });
    expect(alerts.at(-1).text).toMatch(/4 Magento orders created since/);
    const asked = searches();
    p.clock.advance(5 * MIN);
    await pollFeed(feed, deps, p.clock.now() + 20_000);
    expect(searches()).toBe(asked);
    p.clock.advance(11 * MIN);
    await pollFeed(feed, deps, p.clock.now() + 20_000);
    expect(searches()).toBeGreaterThan(asked);
    // The alerter's de-duplication: one alert per hour for the same registration.
    expect(alerts.filter((a) => a.kind === 'registration_unhealthy')).toHaveLength(1);
  });
});
