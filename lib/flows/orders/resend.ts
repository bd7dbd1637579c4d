/**
 * "Resend to Heartland" (the Magento order grid mass action, issue 7): the selected orders run
 * through the order flow as manual units — a person asked, so stale-version guards do not hold
 * them back, while search-before-create still keeps one Heartland order per increment id.
 *
 * The panel waits for the answer (a web action has 60 s), so only the first few run at once; the
 * rest are queued as due retries that the scheduler runs on its next pass.
 */
import { randomUUID } from 'node:crypto';
import { prepareUnit, runRegisteredUnits, unitIdOf, UnitInputError, type SyncDeps, type UnitOutcome } from '../../sync';
import { scheduleRetry } from '../../sync/retry-schedule';
import { ORDER_FLOW } from './order-flow';

/** Magento order entity ids (as the order grid selects them); at most this many per call. */
export const RESEND_LIMIT = 500;
/** Orders sent while the panel waits; each takes about two seconds at Heartland's 5 requests/s. */
export const RESEND_INLINE = 10;

export interface ResendResult {
  /** What the panel shows as the run's id (Activity lists the units under their correlation id). */
  jobId: string;
  /** Outcomes of the orders sent now. */
  outcomes: UnitOutcome[];
  /** Order ids queued for the scheduler's next pass. */
  queued: string[];
}

export async function resendOrders(
  orderIds: string[],
  deps: SyncDeps,
  options: { correlationId?: string; inline?: number } = {},
): Promise<ResendResult> {
  if (!Array.isArray(orderIds) || orderIds.length === 0) throw new UnitInputError('ids: list at least one Magento order id', 'ids');
  if (orderIds.length > RESEND_LIMIT) throw new UnitInputError(`ids: at most ${RESEND_LIMIT} orders at a time (got ${orderIds.length})`, 'ids');
  const ids = orderIds.map((id, i) => {
    const text = String(id ?? '').trim();
    if (!/^\d+$/.test(text)) throw new UnitInputError(`ids[${i}]: expected a Magento order entity id (digits), got ${JSON.stringify(id)}`, `ids.${i}`);
    return text;
  });
  const correlationId = options.correlationId ?? randomUUID();
  const unique = [...new Set(ids)];
  const inline = unique.slice(0, Math.max(0, options.inline ?? RESEND_INLINE));
  const later = unique.slice(inline.length);
  const { state, files, clock } = deps.platform;
  for (const key of later) {
    const now = clock.now();
    const unit = prepareUnit({ flow: ORDER_FLOW, key, trigger: 'manual', correlationId }, now);
    await scheduleRetry({ state, files }, { unit, unitId: unitIdOf(ORDER_FLOW, key), dueAt: now, now, reason: 'Resend to Heartland (queued)' });
  }
  const outcomes = await runRegisteredUnits(
    inline.map((key) => ({ flow: ORDER_FLOW, key, trigger: 'manual' as const, correlationId })),
    deps,
  );
  return { jobId: `resend-${correlationId}`, outcomes, queued: later };
}
