/**
 * "Resend to Heartland" (the Magento order grid mass action, issue 7): the selected orders run
 * through the order flow now, as manual units — a person asked, so stale-version guards do not
 * hold them back, while search-before-create still keeps one Heartland order per increment id.
 */
import { runRegisteredUnits, UnitInputError, type SyncDeps, type UnitOutcome } from '../../sync';
import { ORDER_FLOW } from './order-flow';

/** Magento order entity ids (as the order grid selects them); at most this many per call. */
export const RESEND_LIMIT = 200;

export async function resendOrders(orderIds: string[], deps: SyncDeps, options: { correlationId?: string } = {}): Promise<UnitOutcome[]> {
  if (!Array.isArray(orderIds) || orderIds.length === 0) throw new UnitInputError('ids: list at least one Magento order id', 'ids');
  if (orderIds.length > RESEND_LIMIT) throw new UnitInputError(`ids: at most ${RESEND_LIMIT} orders at a time (got ${orderIds.length})`, 'ids');
  const ids = orderIds.map((id, i) => {
    const text = String(id ?? '').trim();
    if (!/^\d+$/.test(text)) throw new UnitInputError(`ids[${i}]: expected a Magento order entity id (digits), got ${JSON.stringify(id)}`, `ids.${i}`);
    return text;
  });
  return runRegisteredUnits(
    [...new Set(ids)].map((key) => ({ flow: ORDER_FLOW, key, trigger: 'manual' as const, correlationId: options.correlationId })),
    deps,
  );
}
