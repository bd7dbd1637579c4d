/**
 * What the connector last pushed to Magento, per SKU and MSI source, kept in the FileStore
 * (DESIGN.md §5: snapshots of last-pushed stock are files, not state keys; aio-lib-state costs
 * ~20 ms a call, so one key per SKU would dominate the hot path).
 *
 * The snapshot is split into buckets of item ids (`inventory/pushed/<bucket>.json`, 1,000 item
 * ids each) so a burst of hints reads and writes a few small files instead of one per source
 * holding the whole catalogue, and the chunks of a full reconciliation (item-id ranges aligned to
 * buckets) never write the same file.
 */
import type { FileStore } from '../../platform/ports';
import type { SourceQuantity } from './formula';

export const BUCKET_SIZE = 1000;
const PREFIX = 'inventory/pushed/';

interface BucketFile {
  v: 1;
  /** itemId → sku and source → [quantity, status]. */
  items: Record<string, { sku: string; q: Record<string, [number, 0 | 1]> }>;
}

export function bucketOf(itemId: number): number {
  return Math.floor(itemId / BUCKET_SIZE);
}

export function bucketPath(bucket: number): string {
  return `${PREFIX}${bucket}.json`;
}

export class PushedSnapshot {
  private readonly buckets = new Map<number, BucketFile>();
  private readonly dirty = new Set<number>();

  constructor(private readonly files: FileStore) {}

  /** Loads the buckets holding these items (once each). */
  async load(itemIds: Iterable<number>): Promise<void> {
    const wanted = [...new Set([...itemIds].map(bucketOf))].filter((b) => !this.buckets.has(b));
    await Promise.all(
      wanted.map(async (bucket) => {
        const bytes = await this.files.read(bucketPath(bucket));
        let parsed: BucketFile = { v: 1, items: {} };
        if (bytes) {
          try {
            const data = JSON.parse(bytes.toString('utf8')) as BucketFile;
            if (data && typeof data.items === 'object') parsed = data;
          } catch {
            // A damaged snapshot only costs extra writes: every value then looks changed.
          }
        }
        this.buckets.set(bucket, parsed);
      }),
    );
  }

  private bucket(itemId: number): BucketFile {
    const b = this.buckets.get(bucketOf(itemId));
    if (!b) throw new Error(`snapshot bucket of item ${itemId} was not loaded`);
    return b;
  }

  /** Last pushed [quantity, status] for a SKU at a source, if any. */
  get(itemId: number, source: string): [number, 0 | 1] | undefined {
    return this.bucket(itemId).items[String(itemId)]?.q[source];
  }

  skuOf(itemId: number): string | undefined {
    return this.bucket(itemId).items[String(itemId)]?.sku;
  }

  set(itemId: number, item: SourceQuantity): void {
    const bucket = this.bucket(itemId);
    const key = String(itemId);
    const entry = (bucket.items[key] ??= { sku: item.sku, q: {} });
    entry.sku = item.sku;
    entry.q[item.source] = [item.quantity, item.status];
    this.dirty.add(bucketOf(itemId));
  }

  /** Forgets what was pushed for an item (the next sync pushes it whatever it is). */
  forget(itemId: number): void {
    const bucket = this.bucket(itemId);
    if (bucket.items[String(itemId)]) {
      delete bucket.items[String(itemId)];
      this.dirty.add(bucketOf(itemId));
    }
  }

  /** Every pushed value in the loaded buckets, as `stockKey`-style pairs (for the wipe guard). */
  *entries(): Generator<{ itemId: number; sku: string; source: string; quantity: number }> {
    for (const bucket of this.buckets.values()) {
      for (const [itemId, entry] of Object.entries(bucket.items)) {
        for (const [source, [quantity]] of Object.entries(entry.q)) yield { itemId: Number(itemId), sku: entry.sku, source, quantity };
      }
    }
  }

  async save(): Promise<number> {
    const dirty = [...this.dirty];
    await Promise.all(dirty.map((bucket) => this.files.write(bucketPath(bucket), JSON.stringify(this.buckets.get(bucket)))));
    this.dirty.clear();
    return dirty.length;
  }
}
