/** The reservation-aware formula, the pushed-value snapshot, batching and hint coalescing, without simulators. */
import { describe, expect, it } from 'vitest';
import { desiredSourceItems, itemLocationKey, sourceQuantityOf } from '../../../lib/flows/inventory/formula';
import { PushedSnapshot, bucketOf, bucketPath } from '../../../lib/flows/inventory/snapshot';
import { pushSourceItems } from '../../../lib/flows/inventory/push';
import { wipeVerdict } from '../../../lib/flows/inventory/stock-sync';
import { unitsForStockHint, unitsForShipment, windowOf } from '../../../lib/flows/inventory';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore, createManualClock } from '../../../lib/platform/memory';
import { DEFAULT_CONNECTOR_SETTINGS, parseConnectorSettings } from '../../../lib/config/connector-settings';
import { createSyncRegistry } from '../../../lib/sync';
import type { CommerceClient } from '../../../lib/commerce/client';

const settings = parseConnectorSettings({
  locationToSource: [
    { locationId: 1, sourceCode: 'east' },
    { locationId: 2, sourceCode: 'east' },
    { locationId: 3, sourceCode: 'west' },
  ],
  safetyStock: 1,
  safetyStockBySku: { B: 0 },
  outOfStockThreshold: 2,
});

describe('formula', () => {
  it('sums mapped locations per source, adds committed web quantity back, subtracts safety stock, floors at 0', () => {
    const out = desiredSourceItems({
      items: new Map([[10, 'A'], [20, 'B']]),
      availability: [
        { itemId: 10, locationId: 1, available: 4 },
        { itemId: 10, locationId: 2, available: 3 },
        { itemId: 10, locationId: 3, available: -2 },
        { itemId: 10, locationId: 9, available: 100 }, // unmapped location: ignored
        { itemId: 20, locationId: 3, available: 2 },
      ],
      webCommitted: new Map([[itemLocationKey(10, 2), 2], [itemLocationKey(20, 3), 1]]),
      settings,
    });
    expect(out).toEqual([
      { sku: 'A', source: 'east', quantity: 4 + 3 + 2 - 1, status: 1 },
      { sku: 'A', source: 'west', quantity: 0, status: 0 },
      { sku: 'B', source: 'east', quantity: 0, status: 0 }, // no rows: pushed as 0, not left stale
      { sku: 'B', source: 'west', quantity: 3, status: 1 }, // per-SKU safety stock 0 wins over global 1
    ]);
  });

  it('is out of stock at or below the threshold', () => {
    expect(sourceQuantityOf(3, 0, 1, 2)).toEqual({ quantity: 2, status: 0 });
    expect(sourceQuantityOf(4, 0, 1, 2)).toEqual({ quantity: 3, status: 1 });
    expect(sourceQuantityOf(0, 0, 0, 0)).toEqual({ quantity: 0, status: 0 });
  });
});

describe('snapshot of pushed values', () => {
  it('keeps values per item bucket and writes only the buckets that changed', async () => {
    const files = createMemoryFileStore();
    const snap = new PushedSnapshot(files);
    await snap.load([5, 1500]);
    snap.set(5, { sku: 'A', source: 'east', quantity: 3, status: 1 });
    expect(await snap.save()).toBe(1);
    expect(await files.read(bucketPath(bucketOf(1500)))).toBeUndefined();
    const again = new PushedSnapshot(files);
    await again.load([5]);
    expect(again.get(5, 'east')).toEqual([3, 1]);
    expect(again.skuOf(5)).toBe('A');
    expect(() => again.get(1500, 'east')).toThrow(/not loaded/);
  });

  it('treats a damaged bucket as empty (every value then looks changed, never unchanged)', async () => {
    const files = createMemoryFileStore();
    await files.write(bucketPath(0), '{not json');
    const snap = new PushedSnapshot(files);
    await snap.load([1]);
    expect(snap.get(1, 'east')).toBeUndefined();
  });
});

describe('wipe guard verdict', () => {
  it('holds a batch zeroing more than 20% of the stocked pairs in the loaded buckets, not a normal sell-out', async () => {
    const snap = new PushedSnapshot(createMemoryFileStore());
    await snap.load([0]);
    for (let i = 0; i < 20; i++) snap.set(i, { sku: `S${i}`, source: 'east', quantity: 5, status: 1 });
    const zero = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `S${i}`, source: 'east', quantity: 0, status: 0 as const }));
    expect(wipeVerdict(snap, zero(3), DEFAULT_CONNECTOR_SETTINGS).hold).toBe(false);
    const held = wipeVerdict(snap, zero(8), DEFAULT_CONNECTOR_SETTINGS);
    expect(held.hold).toBe(true);
    expect(held.reasons[0]).toMatch(/8 of 20 stocked SKUs/);
    expect(wipeVerdict(snap, zero(8), { ...DEFAULT_CONNECTOR_SETTINGS, wipeGuard: { maxSkuShare: 0.5, maxUnitShare: 0.9 } }).hold).toBe(false);
  });
});

describe('batched writes', () => {
  function fakeCommerce() {
    const calls: { kind: string; size: number }[] = [];
    const client = {
      inventory: {
        saveSourceItems: async (items: unknown[]) => {
          calls.push({ kind: 'sync', size: items.length });
          return { requests: 1, items: items.length };
        },
        bulkSaveSourceItems: async (items: unknown[]) => {
          calls.push({ kind: 'bulk', size: items.length });
          return { bulk_uuid: 'u1', request_items: [], errors: false };
        },
      },
      bulk: { waitFor: async () => ({ bulk_id: 'u1', operation_count: 1, operations_list: [{ id: 1, status: 1 }] }) },
    };
    return { calls, client: client as unknown as CommerceClient };
  }
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `S${i}`, source: 'east', quantity: i, status: 1 as const }));

  it('writes ceil(n / 500) synchronous batches below the bulk threshold, one bulk request above it', async () => {
    const a = fakeCommerce();
    expect(await pushSourceItems(a.client, items(1201))).toEqual({ items: 1201, writeCalls: 3, mode: 'sync' });
    expect(a.calls.map((c) => c.size)).toEqual([500, 500, 201]);
    const b = fakeCommerce();
    expect(await pushSourceItems(b.client, items(25_000))).toMatchObject({ writeCalls: 1, mode: 'bulk' });
    expect(await pushSourceItems(b.client, [])).toMatchObject({ writeCalls: 0, mode: 'none' });
  });

  it('fails the push when Magento reports failed bulk operations', async () => {
    const c = fakeCommerce();
    (c.client.bulk as { waitFor: unknown }).waitFor = async () => ({ bulk_id: 'u1', operation_count: 2, operations_list: [{ id: 1, status: 1 }, { id: 2, status: 3, result_message: 'Source with code "x" does not exist.' }] });
    await expect(pushSourceItems(c.client, items(10), { bulkThreshold: 5 })).rejects.toThrow(/did not apply 1 of 2/);
  });
});

describe('coalescing hints', () => {
  it('turns a burst of inventory hints into one unit per window', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 28, 9, 0, 0, 0));
    const state = createMemoryStateStore(clock);
    const ctx = {
      settings: parseConnectorSettings({ schedules: { stockCoalesceMs: 1000 } }),
      deps: { platform: { state, files: createMemoryFileStore(), clock, logger: createMemoryLogger(), invoker: { invoke: async () => ({ activationId: 'x' }) } }, registry: createSyncRegistry() },
    };
    const hint = (item: number) => ({ event: 'inventory.updated', resource_type: 'inventory', resource_id: item, occurred_at: new Date(clock.now()).toISOString(), item_id: item, location_id: 1 });
    const units = [];
    for (let i = 0; i < 50; i++) {
      units.push(...(await unitsForStockHint(hint(i), ctx)));
      clock.advance(20); // 50 hints/s
    }
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({ flow: 'inventory', key: `window-${windowOf(Date.UTC(2026, 10, 28, 9, 0, 0, 0), 1000)}-1000`, trigger: 'event' });
    clock.advance(1000);
    expect(await unitsForStockHint(hint(1), ctx)).toHaveLength(1);
    expect(await unitsForStockHint({ ...hint(1), event: 'item.updated' }, ctx)).toEqual([]);
  });

  it('turns a Magento shipment into a forced push of the shipped SKUs', () => {
    const event = { kind: 'shipment', name: 'x', event: { id: 'evt-1' }, value: { entity_id: 9, items: [{ sku: 'A', qty: 1 }, { sku: 'A', qty: 2 }, { sku: 'B' }] } } as never;
    expect(unitsForShipment(event)).toEqual([{ flow: 'inventory', key: 'shipment-9', trigger: 'event', eventId: 'evt-1', payloadHint: { skus: ['A', 'B'] } }]);
  });
});
