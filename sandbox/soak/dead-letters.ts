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
import type { Clock } from '../../lib/platform/ports';
import { listDeadLetters, replayDeadLetter, type DeadLetter } from '../../lib/sync';
import type { SimApi } from '../demo/sim-http';
import type { PlacedWebOrder, WorkloadLedger } from '../demo/workload';

/** How the merchant fixes the data behind an expected dead letter. */
export type Fix = { kind: 'unknown-sku'; sku: string; order: PlacedWebOrder } | { kind: 'invalid-email'; commerceCustomerId: number; validEmail: string };

export interface ClassifiedDeadLetters {
  expected: Array<{ deadLetter: DeadLetter; fix: Fix }>;
  unexpected: DeadLetter[];
}

/** Open and replayed dead letters, read from the connector's state like the panel does. */
export async function listDeadLetterSummaries(): Promise<DeadLetter[]> {
  return listDeadLetters({}, { platform: soakPlatform() });
}

/**
 * The connector's platform in this process, logging to stderr (stdout carries only the summary).
 * `clockOffsetMs` keeps its clock with the host child's shifted clock: a replay that schedules a
 * retry must index it where the host's scheduler will look.
 */
function soakPlatform(clockOffsetMs = 0) {
  const logger = createLogger({ name: 'soak-replay', level: parseLogLevel(process.env.LOG_LEVEL), sink: (line) => process.stderr.write(`${line}\n`) });
  const clock: Clock = { now: () => Date.now() + clockOffsetMs, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };
  return createPlatform(process.env, { logger, clock });
}

/**
 * A dead letter is expected when its unit names one of the deliberately invalid inputs: an invalid
 * order (unit key = the Magento order's entity id or increment id) in the order flow, or a Magento
 * customer registered with a mistyped email in the Commerce → Heartland customer flow (unit key =
 * the Magento customer id).
 */
export function classifyDeadLetters(deadLetters: DeadLetter[], ledger: WorkloadLedger, flows: { order?: string; customerToHeartland?: string }): ClassifiedDeadLetters {
  const invalidOrders = ledger.webOrders.filter((o) => o.invalid);
  const expected: ClassifiedDeadLetters['expected'] = [];
  const unexpected: DeadLetter[] = [];
  for (const d of deadLetters) {
    const key = String(d.unit?.key ?? d.key);
    const order = d.flow === flows.order ? invalidOrders.find((o) => key === String(o.entityId) || key === o.incrementId) : undefined;
    const email = d.flow === flows.customerToHeartland ? ledger.invalidEmails.find((e) => key === String(e.commerceCustomerId)) : undefined;
    if (order) expected.push({ deadLetter: d, fix: { kind: 'unknown-sku', sku: order.invalid!.sku, order } });
    else if (email) expected.push({ deadLetter: d, fix: { kind: 'invalid-email', commerceCustomerId: email.commerceCustomerId, validEmail: email.validEmail } });
    else unexpected.push(d);
  }
  return { expected, unexpected };
}

export async function fixAndReplay(input: { heartland: SimApi; commerce: SimApi; classified: ClassifiedDeadLetters; clockOffsetMs: number; log: (l: string) => void }): Promise<{ done: number; deferred: number; failed: number }> {
  const { heartland, commerce, classified, log } = input;
  const open = classified.expected.filter((e) => e.deadLetter.status === 'open');
  if (open.length === 0) return { done: 0, deferred: 0, failed: 0 };
  // The fixes a merchant would make: add the missing item to the Heartland catalog, correct the email in Magento.
  for (const { fix } of open) {
    if (fix.kind === 'unknown-sku') {
      const existing = await heartland.request<{ results: unknown[] }>('GET', `items?_filter=${encodeURIComponent(JSON.stringify({ public_id: fix.sku }))}`);
      if (existing.results.length === 0) await heartland.send('POST', 'items', { public_id: fix.sku, description: `Reissued ${fix.sku}`, cost: 5, price: 19.99, active: true });
    } else {
      const current = await commerce.request<Record<string, unknown>>('GET', `customers/${fix.commerceCustomerId}`);
      await commerce.request('PUT', `customers/${fix.commerceCustomerId}`, { customer: { ...current, email: fix.validEmail } });
    }
  }
  const connector = createConnector({ inputs: process.env, platform: soakPlatform(input.clockOffsetMs) });
  let done = 0;
  let failed = 0;
  let deferred = 0;
  for (const { deadLetter } of open) {
    try {
      const outcome = await replayDeadLetter(deadLetter.id, connector.deps);
      // retry-scheduled: the fix itself fired an event and that unit holds the lease; the retry
      // runs while the soak settles, and the data checks tell whether it ended well.
      // Skipped as a duplicate, stale or echo: the fix's own event already carried the entity over
      // (the data checks confirm it). Held, filtered or not found: the replay did NOT get it through.
      if (outcome.outcome === 'done' || (outcome.outcome === 'skipped' && ['duplicate', 'stale', 'echo'].includes(outcome.reason))) done++;
      else if (outcome.outcome === 'skipped') {
        failed++;
        log(`[soak] replay of ${deadLetter.id} was skipped (${outcome.reason}): ${outcome.detail ?? 'no detail'}`);
      }
      else if (outcome.outcome === 'retry-scheduled') deferred++;
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
  log(`[soak] fixed the data behind ${open.length} dead letters in Heartland and replayed them: ${done} done, ${deferred} retrying, ${failed} failed`);
  return { done, deferred, failed };
}
