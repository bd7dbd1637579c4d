/**
 * Writes source items to Magento: `POST /V1/inventory/source-items` in batches of up to 500
 * (commerce.md §2.9, an upsert per SKU × source), or one async bulk request when a batch is large
 * (§2.11), whose operations are then awaited so a failure is not mistaken for a push.
 */
import pLimit from 'p-limit';
import type { CommerceClient } from '../../commerce/client';
import { RetryableError } from '../../sync';
import type { SourceQuantity } from './formula';

export interface PushOptions {
  /** Source items per request (Magento's own limit when input limits are on is lower; 500 is the default of this connector). */
  batchSize?: number;
  /** At or above this many items, send one async bulk request instead of synchronous batches. */
  bulkThreshold?: number;
  /** Synchronous batches in flight at once. */
  concurrency?: number;
  /** How long to wait for bulk operations to finish. */
  bulkTimeoutMs?: number;
}

export const DEFAULT_PUSH_OPTIONS: Required<PushOptions> = { batchSize: 500, bulkThreshold: 20_000, concurrency: 4, bulkTimeoutMs: 120_000 };

export interface PushResult {
  items: number;
  /** Write requests sent to Magento (bulk status polls are reads and not counted). */
  writeCalls: number;
  mode: 'none' | 'sync' | 'bulk';
}

export async function pushSourceItems(commerce: CommerceClient, items: SourceQuantity[], options: PushOptions = {}): Promise<PushResult> {
  const o = { ...DEFAULT_PUSH_OPTIONS, ...options };
  if (items.length === 0) return { items: 0, writeCalls: 0, mode: 'none' };
  const body = items.map((i) => ({ sku: i.sku, source_code: i.source, quantity: i.quantity, status: i.status }));
  if (items.length >= o.bulkThreshold) {
    const accepted = await commerce.inventory.bulkSaveSourceItems(body, { batchSize: o.batchSize });
    const status = await commerce.bulk.waitFor(accepted.bulk_uuid, { timeoutMs: o.bulkTimeoutMs, pollMs: 250 });
    const failed = status.operations_list.filter((op) => op.status !== 1);
    if (failed.length) {
      throw new RetryableError(`Magento did not apply ${failed.length} of ${status.operations_list.length} source item operations of bulk ${accepted.bulk_uuid}: ${failed[0]?.result_message ?? 'no message'}`);
    }
    return { items: items.length, writeCalls: 1, mode: 'bulk' };
  }
  const batches: (typeof body)[] = [];
  for (let i = 0; i < body.length; i += o.batchSize) batches.push(body.slice(i, i + o.batchSize));
  const limit = pLimit(o.concurrency);
  await Promise.all(batches.map((batch) => limit(() => commerce.inventory.saveSourceItems(batch, { batchSize: o.batchSize }))));
  return { items: items.length, writeCalls: batches.length, mode: 'sync' };
}
