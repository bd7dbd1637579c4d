/**
 * Order status both ways (issue 7). Magento cancel / hold / unhold and payment failures reach the
 * linked Heartland order; a Heartland order canceled or closed reaches Magento as a cancel and a
 * comment. Both directions compare the wanted state with the current one before writing, so a
 * change made on one side and mirrored to the other comes back as "already so" — no echo.
 */
import type { Order as MagentoOrder } from '../../commerce/payloads';
import { orderStatusFromMagento } from '../../commerce/mappers/order-status';
import { orderStatusFromHeartland } from '../../heartland/mappers/order';
import type { SalesOrder } from '../../heartland/payloads';
import { valueLookup, VALUE_MAP_NAMES } from '../../mapping';
import type { OrderStatus } from '../../model/order';
import { defineFlow, TerminalError, type FlowContext } from '../../sync';
import { ordersContext } from './context';
import { commentOnce } from './magento-comments';
import { loadMagentoOrder } from './order-flow';

export const ORDER_STATUS_FLOW = 'order-status';
export const HEARTLAND_ORDER_STATUS_FLOW = 'heartland-order-status';
/** Marks a Heartland order the connector put back to `pending` for a hold, so unhold only reopens those. */
const HOLD_LINK = 'order-hold';

type StatusAction = 'cancel' | 'hold' | 'release' | 'none';

export interface StatusChange {
  heartlandOrderId: number;
  magentoOrderId: number;
  incrementId: string;
  action: StatusAction;
  /** Heartland status the action leads to. */
  target?: string;
  /** Why, in words for the Magento comment (payment failures). */
  reason?: string;
}

const heartlandIdOf = new WeakMap<object, number>();

async function linkedHeartlandOrder(ctx: FlowContext, magentoOrderId: string): Promise<number | undefined> {
  const link = await ctx.links.get('order', 'commerce', magentoOrderId);
  return link?.system === 'heartland' && /^\d+$/.test(link.id) ? Number(link.id) : undefined;
}

export const orderStatusFlow = defineFlow<MagentoOrder, StatusChange>({
  name: ORDER_STATUS_FLOW,
  entity: 'order-status',
  direction: 'commerce-to-heartland',
  upstreams: ['commerce', 'heartland'],
  load: loadMagentoOrder,
  version: (order) => order.updated_at ?? undefined,
  async filter(order, ctx) {
    const id = await linkedHeartlandOrder(ctx, String(order.entity_id));
    if (id === undefined) return 'the order is not in Heartland (yet): its status goes with it';
    heartlandIdOf.set(ctx, id);
    return undefined;
  },
  async map(order, ctx) {
    const { settings, document } = await ordersContext(ctx);
    const canonical: OrderStatus | undefined = orderStatusFromMagento(order.status, order.state, valueLookup(document, VALUE_MAP_NAMES.orderStatusFromCommerce));
    const toHeartland = valueLookup(document, VALUE_MAP_NAMES.orderStatusToHeartland);
    const base = { heartlandOrderId: heartlandIdOf.get(ctx)!, magentoOrderId: order.entity_id, incrementId: order.increment_id };
    const statusOf = (s: OrderStatus) => {
      const v = toHeartland(s);
      return typeof v === 'string' ? v : undefined;
    };
    if (order.state === 'payment_review') {
      // Never leave an order open in Heartland for a payment that did not happen.
      const action = settings.paymentFailureAction === 'cancel' ? 'cancel' : 'hold';
      return { ...base, action, target: statusOf(action === 'cancel' ? 'canceled' : 'on_hold'), reason: 'the payment is under review' };
    }
    if (canonical === 'canceled') return { ...base, action: 'cancel', target: statusOf('canceled') };
    if (canonical === 'on_hold') return { ...base, action: 'hold', target: statusOf('on_hold') };
    if (canonical === 'processing' || canonical === 'new') return { ...base, action: 'release', target: statusOf('processing') };
    return { ...base, action: 'none' };
  },
  async write(change, ctx) {
    const hl = ctx.client('heartland');
    const { settings } = await ordersContext(ctx);
    const targetId = String(change.heartlandOrderId);
    const unchanged = { targetId, action: 'unchanged' as const };
    if (change.action === 'none' || !change.target) return unchanged;
    const current = await hl.orders.get(change.heartlandOrderId);
    const put = (status: string) => hl.request({ method: 'PUT', path: `sales/orders/${change.heartlandOrderId}`, body: { status } });
    if (change.action === 'cancel') {
      if (current.status === change.target || current.status === 'closed') return unchanged;
      await put(change.target);
    } else if (change.action === 'hold') {
      if (current.status !== 'open' || current.status === change.target) return unchanged;
      await put(change.target);
      await ctx.links.put(HOLD_LINK, 'heartland', targetId, { system: 'commerce', id: String(change.magentoOrderId), fingerprint: 'held' });
    } else {
      // Only an order this connector put on hold is reopened: a pending order may also be one the
      // order flow has not finished, and that flow opens it itself once it is complete.
      const marker = await ctx.links.get(HOLD_LINK, 'heartland', targetId);
      if (current.status !== 'pending' || marker?.fingerprint !== 'held' || current.status === change.target) return unchanged;
      await put(change.target);
      await ctx.links.put(HOLD_LINK, 'heartland', targetId, { system: 'commerce', id: String(change.magentoOrderId), fingerprint: 'released' });
    }
    if (change.reason) {
      const what = change.action === 'cancel' ? 'canceled' : 'put on hold';
      await commentOnce(ctx.client('commerce'), change.magentoOrderId, `Heartland order #${targetId} ${what}: ${change.reason}.`, { notifyCustomer: settings.notifyCustomerOnComments });
    }
    return { targetId, action: 'updated' as const };
  },
});

export interface HeartlandStatusChange {
  heartlandOrderId: number;
  magentoOrderId: number;
  status: 'canceled' | 'complete';
  heartlandStatus: string;
}

const magentoIdOf = new WeakMap<object, number>();

export const heartlandOrderStatusFlow = defineFlow<SalesOrder, HeartlandStatusChange>({
  name: HEARTLAND_ORDER_STATUS_FLOW,
  entity: 'order-status',
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  load: async (unit, ctx) => {
    const hint = unit.payloadHint as SalesOrder | undefined;
    if (unit.trigger === 'poll' && hint && typeof hint === 'object' && String(hint.id) === unit.key) return hint;
    return /^\d+$/.test(unit.key) ? ctx.client('heartland').orders.find(Number(unit.key)) : undefined;
  },
  version: (order) => order.updated_at ?? undefined,
  async filter(order, ctx) {
    const link = await ctx.links.get('order', 'heartland', String(order.id));
    if (!link || link.system !== 'commerce' || !/^\d+$/.test(link.id)) return 'not a web order sent by the connector';
    magentoIdOf.set(ctx, Number(link.id));
    const { document } = await ordersContext(ctx);
    const canonical = orderStatusFromHeartland(order.status, valueLookup(document, VALUE_MAP_NAMES.orderStatusFromHeartland));
    if (canonical !== 'canceled' && canonical !== 'complete') return `Heartland status "${order.status}" needs nothing in Magento`;
    return undefined;
  },
  async map(order, ctx) {
    const { document } = await ordersContext(ctx);
    const canonical = orderStatusFromHeartland(order.status, valueLookup(document, VALUE_MAP_NAMES.orderStatusFromHeartland));
    return { heartlandOrderId: order.id, magentoOrderId: magentoIdOf.get(ctx)!, status: canonical === 'canceled' ? 'canceled' : 'complete', heartlandStatus: order.status };
  },
  async write(change, ctx) {
    const commerce = ctx.client('commerce');
    const targetId = String(change.magentoOrderId);
    const order = await commerce.orders.get(change.magentoOrderId);
    if (change.status === 'canceled') {
      // Already canceled (perhaps by the Magento cancel this Heartland cancel mirrors): nothing to do.
      if (['canceled', 'closed', 'complete'].includes(order.state ?? '')) return { targetId, action: 'unchanged' as const };
      const ok = await commerce.orders.cancel(change.magentoOrderId);
      if (!ok) throw new TerminalError(`Magento would not cancel order ${order.increment_id} (state ${order.state}) after Heartland order #${change.heartlandOrderId} was canceled`, { system: 'commerce', field: 'state', value: order.state });
      await commentOnce(commerce, change.magentoOrderId, `Canceled in Heartland (order #${change.heartlandOrderId}).`);
      return { targetId, action: 'updated' as const };
    }
    // Closed in Heartland = every line invoiced; the shipments flow brings the goods side to Magento,
    // which completes the order itself. The comment makes the Heartland state visible on the order.
    const posted = await commentOnce(commerce, change.magentoOrderId, `Heartland order #${change.heartlandOrderId} is ${change.heartlandStatus}: every line is invoiced.`, { known: order.status_histories ?? undefined });
    return { targetId, action: posted ? ('updated' as const) : ('unchanged' as const) };
  },
});
