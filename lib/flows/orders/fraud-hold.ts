/**
 * Fraud signals before an order is sent (issue 12): the order flow's `guard`. The canonical order
 * is scored against today's and yesterday's web orders (recent-orders.ts). At or above
 * `settings.fraud.holdAtScore` the order is not sent: the unit ends `skipped: held` with the
 * reasons, and a `fraud` anomaly holding it waits on the Anomalies page. At or above
 * `flagAtScore` the order is sent and listed (one listing per email and day, not one per order of
 * a burst).
 *
 * The decision lives in `fraud.order.<entity id>` → anomaly id, so every later run of the unit
 * (another event, the poll, a retry) asks the anomaly instead of scoring again: open → still held,
 * approved → sent, rejected → never sent. `releaseHeldOrder` is what approving calls.
 */
import { createHash } from 'node:crypto';
import type { Order as MagentoOrder } from '../../commerce/payloads';
import { createAnomalyRepository, fraudHistoryFor, pastOrderOf, scoreOrder, type FraudVerdict } from '../../insights';
import { stateKey } from '../../platform/state-key';
import { acquireLease, type FlowContext, type GuardVerdict, type SyncDeps } from '../../sync';
import { releaseHeldUnit, type HeldUnitRelease } from '../release-held';
import { ordersContext } from './context';
import { readRecentOrders, rememberRecentOrder } from './recent-orders';
import type { OrderPlan } from './order-flow';

const DECISION_TTL_SECONDS = 90 * 24 * 3600;
/** The flow the anomalies name; the order flow's name, kept literal to avoid an import cycle. */
const FLOW = 'order';

export const fraudDecisionKey = (orderId: string) => stateKey('fraud', 'order', orderId);
const flagKey = (email: string, day: string) => stateKey('fraud', 'flag', createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16), day);

export interface FraudDecision {
  anomalyId: string;
  score: number;
}

function reasonsText(verdict: FraudVerdict): string {
  return verdict.reasons.map((r) => r.detail).join('; ');
}

async function decided(ctx: FlowContext, orderId: string): Promise<GuardVerdict | 'released'> {
  const decision = await ctx.state.get<FraudDecision>(fraudDecisionKey(orderId));
  if (!decision) return undefined;
  const anomaly = await createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock }).get(decision.anomalyId);
  // The record expired (90 days) or was never written: score again as if new.
  if (!anomaly) return undefined;
  if (anomaly.status === 'approved') return 'released';
  if (anomaly.status === 'rejected') return { skip: 'held', detail: `rejected as likely fraud by ${anomaly.decidedBy ?? 'a reviewer'} (anomaly ${anomaly.id}); it is not sent to Heartland` };
  return { skip: 'held', detail: `held for fraud review (anomaly ${anomaly.id}, score ${decision.score}): ${anomaly.summary}` };
}

/** The order flow's guard: hold, flag or pass the order. */
export async function fraudHold(plan: OrderPlan, ctx: FlowContext, source: MagentoOrder): Promise<GuardVerdict> {
  const { settings } = await ordersContext(ctx);
  if (!settings.fraud.enabled) return undefined;
  const orderId = String(source.entity_id);
  const earlier = await decided(ctx, orderId);
  if (earlier === 'released') return undefined;
  if (earlier) return earlier;

  // Already in Heartland (sent before this change of the Magento order): nothing left to hold.
  if (await ctx.links.get('order', 'commerce', orderId)) return undefined;

  const order = plan.order;
  const now = ctx.clock.now();
  // Remember first, then read: the orders of a burst are judged at the same moment, and an order
  // that read before remembering itself would be invisible to every other order of the burst (20
  // simultaneous orders from one email were mostly sent). Held orders count too.
  const remembered = pastOrderOf(order);
  await rememberRecentOrder(ctx.files, ctx.clock, { ...remembered, placedAtMs: Number.isNaN(remembered.placedAtMs) ? now : remembered.placedAtMs, orderId });
  const past = (await readRecentOrders(ctx.files, now)).filter((p) => p.orderId !== orderId);
  // ASSUMED: "first-time customer" means no order in the two days kept here; older history would
  // cost a Magento search per order on the hot path.
  const history = fraudHistoryFor(order, past, { windowMinutes: settings.fraud.windowMinutes, now: Number.isNaN(Date.parse(order.placedAt)) ? now : undefined });
  const verdict = scoreOrder(order, history, { holdAtScore: settings.fraud.holdAtScore, flagAtScore: settings.fraud.flagAtScore, maxOrdersInWindow: settings.fraud.maxOrdersInWindow });
  if (!verdict.flagged) return undefined;

  const anomalies = createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock });
  const details = {
    orderId,
    incrementId: source.increment_id,
    email: order.customer.email,
    total: order.totals.grand,
    currency: order.currency,
    score: verdict.score,
    holdAtScore: settings.fraud.holdAtScore,
    reasons: verdict.reasons,
    history: { recentOrdersByEmail: history.recentOrdersByEmail, recentOrdersByAddress: history.recentOrdersByAddress, customerOrderCount: history.customerOrderCount, windowMinutes: history.windowMinutes, ordersCompared: past.length },
  };
  if (verdict.hold) {
    const anomaly = await anomalies.record({
      kind: 'fraud',
      flow: FLOW,
      summary: `order ${source.increment_id} scored ${verdict.score} (hold at ${settings.fraud.holdAtScore}): ${reasonsText(verdict)}`,
      details,
      hold: true,
      payload: { flow: FLOW, key: orderId, incrementId: source.increment_id },
    });
    await ctx.state.put(fraudDecisionKey(orderId), { anomalyId: anomaly.id, score: verdict.score } satisfies FraudDecision, { ttlSeconds: DECISION_TTL_SECONDS });
    ctx.logger.warn('order held for fraud review', { order: source.increment_id, anomalyId: anomaly.id, score: verdict.score });
    return { skip: 'held', detail: `held for fraud review (anomaly ${anomaly.id}, score ${verdict.score}): ${reasonsText(verdict)}` };
  }
  // Flagged, not held: one listing per email and day, so a burst is one line on the page, not twenty.
  // The orders of a burst arrive together, so "already listed?" is a lease (write, settle, re-read):
  // the one order that wins it records the listing; the lease outlives the day it names.
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
  const first = await acquireLease(ctx.state, ctx.clock, flagKey(order.customer.email, day), { ttlMs: 2 * 86_400_000, settleMs: 150, owner: orderId });
  if (first) await anomalies.record({ kind: 'fraud', flow: FLOW, summary: `order ${source.increment_id} flagged with score ${verdict.score} (sent; hold at ${settings.fraud.holdAtScore}): ${reasonsText(verdict)}`, details });
  return undefined;
}

export type ReleaseResult = HeldUnitRelease;

/** Approving a held order: the order unit runs now and sends it to Heartland (release-held.ts). Called by the admin API's approve. */
export function releaseHeldOrder(anomalyId: string, deps: SyncDeps, decision: { by: string; note?: string } = { by: 'system' }): Promise<ReleaseResult> {
  return releaseHeldUnit({ kind: 'fraud', flow: FLOW, keyDetail: 'orderId', what: 'an order', notHeldCode: 'not_a_held_order', whenRejected: 'the order stays unsent' }, anomalyId, deps, decision);
}
