/**
 * The soak's dead-letter audit: every dead letter must be one of the workload's deliberately
 * invalid inputs (a web order with a SKU Heartland does not know). Those are fixed the way a
 * merchant would (create the item in Heartland) and replayed through the pipeline, like
 * `hcc dlq replay`; each must then end done, and the order must exist exactly once.
 */
import { createConnector } from '../../lib/connector';
import { createPlatform } from '../../lib/platform/platform';
import { createLogger } from '../../lib/platform/logger';
import { parseLogLevel } from '../../lib/platform/log-level';
import { listDeadLetters, replayDeadLetter, type DeadLetter } from '../../lib/sync';
import type { SimApi } from '../demo/sim-http';
import type { PlacedWebOrder, WorkloadLedger } from '../demo/workload';

export interface ClassifiedDeadLetters {
  expected: Array<{ deadLetter: DeadLetter; order: PlacedWebOrder }>;
  unexpected: DeadLetter[];
}

/** Open and replayed dead letters, read from the connector's state like the panel does. */
export async function listDeadLetterSummaries(): Promise<DeadLetter[]> {
  return listDeadLetters({}, { platform: soakPlatform() });
}

/** The connector's platform in this process, logging to stderr: stdout carries only the summary. */
function soakPlatform() {
  const logger = createLogger({ name: 'soak-replay', level: parseLogLevel(process.env.LOG_LEVEL), sink: (line) => process.stderr.write(`${line}\n`) });
  return createPlatform(process.env, { logger });
}

/**
 * A dead letter is expected when its unit names one of the invalid orders (the unit key is the
 * Magento order's entity id or increment id; the error should name the SKU).
 */
export function classifyDeadLetters(deadLetters: DeadLetter[], ledger: WorkloadLedger): ClassifiedDeadLetters {
  const invalid = ledger.webOrders.filter((o) => o.invalid);
  const expected: ClassifiedDeadLetters['expected'] = [];
  const unexpected: DeadLetter[] = [];
  for (const d of deadLetters) {
    const key = String(d.unit?.key ?? d.key);
    const order = invalid.find((o) => key === String(o.entityId) || key === o.incrementId || key.endsWith(`:${o.entityId}`) || key.endsWith(`:${o.incrementId}`));
    if (order) expected.push({ deadLetter: d, order });
    else unexpected.push(d);
  }
  return { expected, unexpected };
}

export async function fixAndReplay(input: { heartland: SimApi; classified: ClassifiedDeadLetters; log: (l: string) => void }): Promise<{ done: number; failed: number }> {
  const { heartland, classified, log } = input;
  const open = classified.expected.filter((e) => e.deadLetter.status === 'open');
  if (open.length === 0) return { done: 0, failed: 0 };
  // The fix: the merchant adds the missing item to the Heartland catalog.
  for (const sku of new Set(open.map((e) => e.order.invalid!.sku))) {
    const existing = await heartland.request<{ results: unknown[] }>('GET', `items?_filter=${encodeURIComponent(JSON.stringify({ public_id: sku }))}`);
    if (existing.results.length === 0) await heartland.send('POST', 'items', { public_id: sku, description: `Reissued ${sku}`, cost: 5, price: 19.99, active: true });
  }
  const connector = createConnector({ inputs: process.env, platform: soakPlatform() });
  let done = 0;
  let failed = 0;
  for (const { deadLetter } of open) {
    try {
      const outcome = await replayDeadLetter(deadLetter.id, connector.deps);
      if (outcome.outcome === 'done' || outcome.outcome === 'skipped') done++;
      else {
        failed++;
        log(`[soak] replay of ${deadLetter.id} ended ${outcome.outcome}`);
      }
    } catch (error) {
      // E.g. the flow is not registered in this process: the dead letter stays open and is reported.
      failed++;
      log(`[soak] replay of ${deadLetter.id} failed: ${(error as Error).message}`);
    }
  }
  log(`[soak] fixed ${open.length} invalid orders in Heartland and replayed: ${done} done, ${failed} not`);
  return { done, failed };
}
