/**
 * The fraud score's recent-orders record: a container reads each per-order file once (they are
 * written once per order), so a busy minute costs one listing and the new files, not every file
 * again; compaction folds them into the day's file without losing or doubling an order.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryFileStore } from '../../../lib/platform/memory';
import type { FileStore } from '../../../lib/platform/ports';
import { compactRecentOrders, readRecentOrders, rememberRecentOrder, type RecentOrder } from '../../../lib/flows/orders/recent-orders';

function countingStore(): FileStore & { reads: string[] } {
  const inner = createMemoryFileStore();
  const reads: string[] = [];
  return {
    reads,
    read: (path) => {
      reads.push(path);
      return inner.read(path);
    },
    write: (path, data) => inner.write(path, data),
    list: (prefix) => inner.list(prefix),
    delete: (path) => inner.delete(path),
  };
}

const NOW = Date.parse('2026-11-28T12:00:00Z');
const clock = { now: () => NOW, sleep: async () => undefined };
const order = (id: number): RecentOrder => ({ orderId: String(id), email: `shopper${id}@example.com`, placedAtMs: NOW - id * 1000, total: 10 + id });

describe('recent orders', () => {
  it('reads each uncompacted order file once per container, and every order after compaction', async () => {
    const files = countingStore();
    for (const id of [1, 2, 3]) await rememberRecentOrder(files, clock, order(id));
    expect((await readRecentOrders(files, NOW)).map((o) => o.orderId).sort()).toEqual(['1', '2', '3']);
    const pendingReads = () => files.reads.filter((p) => /\/\d{8}\/\d+\.json$/.test(p)).length;
    expect(pendingReads()).toBe(3);

    await rememberRecentOrder(files, clock, order(4));
    expect((await readRecentOrders(files, NOW)).map((o) => o.orderId).sort()).toEqual(['1', '2', '3', '4']);
    expect(pendingReads()).toBe(4); // only the new order's file was read

    expect(await compactRecentOrders(files, NOW)).toEqual({ folded: 4 });
    await rememberRecentOrder(files, clock, order(5));
    const after = (await readRecentOrders(files, NOW)).map((o) => o.orderId).sort();
    expect(after).toEqual(['1', '2', '3', '4', '5']);
  });

  it('does not share what one store read with another store in the same process', async () => {
    const a = createMemoryFileStore();
    const b = createMemoryFileStore();
    await rememberRecentOrder(a, clock, order(7));
    await rememberRecentOrder(b, clock, { ...order(7), email: 'someone.else@example.com' });
    expect((await readRecentOrders(a, NOW))[0]!.email).toBe('shopper7@example.com');
    expect((await readRecentOrders(b, NOW))[0]!.email).toBe('someone.else@example.com');
  });
});
