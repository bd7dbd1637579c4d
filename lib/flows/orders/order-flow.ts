/**
 * Order → Heartland (issue 7): a paid Magento order becomes an `open` Heartland sales order with
 * `custom.ecommerce_number` = increment id, its customer and addresses, lines by SKU, taxes,
 * discounts, shipping charge and the payment as a custom payment.
 *
 * Exactly once, by construction: the Heartland order is looked up by its ecommerce number before
 * anything is created, and a `pending` order found there is a previous attempt that stopped part
 * way — the write continues from what exists (lines, taxes, discounts, payments are compared with
 * the plan) and opens it last, so a retry never makes a second order or a second line.
 */
import type { Order as MagentoOrder } from '../../commerce/payloads';
import type { HeartlandClient } from '../../heartland/client';
import { fieldErrors } from '../../heartland/errors';
import { customField } from '../../heartland/filter';
import * as HP from '../../heartland/payloads';
import { effectiveOptions, mapEntity, VALUE_MAP_NAMES } from '../../mapping';
import { money } from '../../model/money';
import type { Order } from '../../model/order';
import type { PlannedRequest, Ref } from '../../model/planned-request';
import { UpstreamError } from '../../platform/http';
import { defineFlow, TerminalError, type FlowContext, type Unit } from '../../sync';
import { ordersContext, requiredLocation } from './context';
import { ensureOrderParty, type CustomerBodies } from './heartland-customer';
import { createForId, createNameResolver } from './heartland-records';
import { commentOnce, commentQuietly } from './magento-comments';
import { fraudHold } from './fraud-hold';
import { rememberOrderItems } from './order-items';

export const ORDER_FLOW = 'order';
/**
 * Magento order item id ↔ Heartland order line id, written by versions that sent lines one by one;
 * still read for their orders (lookups.ts). Orders sent with inline lines use order-items.ts.
 */
export const ORDER_LINE_LINK = 'order-line';

export interface OrderPlan {
  order: Order;
  requests: PlannedRequest[];
}

/** Loads the Magento order named by a unit: entity id (events, the grid) or increment id. */
export async function loadMagentoOrder(unit: Unit, ctx: FlowContext): Promise<MagentoOrder | undefined> {
  const hint = unit.payloadHint as MagentoOrder | undefined;
  // A feed that has just read the order passes it along; an event's hint is never trusted (DESIGN.md §1.1).
  if (unit.trigger === 'poll' && hint && typeof hint === 'object' && String(hint.entity_id) === unit.key) return hint;
  const commerce = ctx.client('commerce');
  return /^\d+$/.test(unit.key) ? commerce.orders.find(Number(unit.key)) : commerce.orders.findByIncrementId(unit.key);
}

/** Filter and map both need the canonical order: computed once per source read (each try re-reads). */
const canonicalCache = new WeakMap<object, ReturnType<typeof mapEntity>>();

async function toCanonical(source: MagentoOrder, ctx: FlowContext) {
  let outcome = canonicalCache.get(source);
  if (!outcome) {
    const { document } = await ordersContext(ctx);
    outcome = mapEntity({ entity: 'order', from: 'commerce', to: 'canonical', input: source, document });
    canonicalCache.set(source, outcome);
  }
  return outcome;
}

function skuList(skus: string[]): string {
  return skus.length === 1 ? `SKU ${skus[0]}` : `SKUs ${skus.join(', ')}`;
}

/** Dead-letter reasons also go on the Magento order, where the merchant looks first. */
async function failOnOrder(source: MagentoOrder, ctx: FlowContext, error: TerminalError): Promise<never> {
  await commentQuietly(ctx.client('commerce'), source.entity_id, `Not sent to Heartland: ${error.message}. It will be sent when the dead letter is replayed.`, ctx.logger, {
    known: source.status_histories ?? undefined,
  });
  throw error;
}

function bodiesFromPlan(plan: OrderPlan): { header: Record<string, unknown>; bodies: CustomerBodies } {
  const header = plan.requests.find((r) => r.method === 'POST' && r.path === '/sales/orders')?.body as Record<string, unknown> | undefined;
  if (!header) throw new TerminalError(`order ${plan.order.externalId}: the mapping produced no Heartland order`, { field: 'requests', code: 'mapping' });
  const customer = (plan.requests.find((r) => r.method === 'POST' && r.path === '/customers')?.body ?? {}) as Record<string, unknown>;
  const addresses = plan.requests.filter((r) => r.method === 'POST' && /^\/customers\/.+\/addresses$/.test(r.path)).map((r) => r.body as HP.AddressCreate);
  // The plan lists the billing address first (when there is one), then shipping unless it is the same.
  const billing = plan.order.billingAddress ? addresses[0] : undefined;
  const shipping = plan.order.billingAddress ? addresses[1] : addresses[0];
  const shippingIsBilling = !!plan.order.shippingAddress && !!billing && shipping === undefined;
  return { header, bodies: { customer, billing, shipping, shippingIsBilling } };
}

const byPath = (plan: OrderPlan, suffix: string) => plan.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix) && r.path.startsWith('/sales/orders/'));
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const orderFlow = defineFlow<MagentoOrder, OrderPlan>({
  name: ORDER_FLOW,
  entity: 'order',
  direction: 'commerce-to-heartland',
  upstreams: ['commerce', 'heartland'],
  load: loadMagentoOrder,
  version: (order) => order.updated_at ?? undefined,

  async filter(order, ctx) {
    const { settings } = await ordersContext(ctx);
    const status = order.status ?? order.state ?? '';
    if (ctx.unit.trigger === 'manual') {
      // "Resend to Heartland" is a person's decision, but a canceled order must not become a sale.
      if (['canceled', 'closed'].includes(order.state ?? status)) return `the order is ${status}; it is not sent to Heartland`;
    } else if (!settings.orderTriggerStatuses.includes(status)) {
      return `status "${status}" does not send orders to Heartland (trigger statuses: ${settings.orderTriggerStatuses.join(', ')})`;
    }
    const canonical = await toCanonical(order, ctx);
    if (canonical.status === 'skipped') return `mapping filter: ${canonical.reason}`;
    if (canonical.status === 'mapped' && canonical.filter && !canonical.filter.decision.run) return `mapping filter: ${canonical.filter.decision.reason}`;
    return undefined;
  },

  async map(source, ctx) {
    const { settings, document } = await ordersContext(ctx);
    const canonical = await toCanonical(source, ctx);
    if (canonical.status !== 'mapped') {
      const why = canonical.status === 'invalid' ? canonical.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') : canonical.status === 'skipped' ? canonical.reason : canonical.message;
      const first = canonical.status === 'invalid' ? canonical.issues[0] : undefined;
      return failOnOrder(source, ctx, new TerminalError(`order ${source.increment_id} cannot be mapped: ${why}`, { field: first?.path, code: 'mapping' }));
    }
    const order = canonical.output as Order;
    let location;
    try {
      location = requiredLocation(settings);
    } catch (error) {
      return failOnOrder(source, ctx, error as TerminalError);
    }
    // No item look-up here: lines go inline with the order and name their item by SKU
    // (`item_lookup`, heartland.md §3.5), so Heartland resolves them and refuses an unknown SKU
    // on create (see `unknownSkus`). The plan's line `item_id`s stay placeholders.
    const planned = mapEntity({
      entity: 'order',
      from: 'canonical',
      to: 'heartland',
      input: order,
      document,
      context: { ...location },
    });
    if (planned.status !== 'mapped') {
      const why = planned.status === 'invalid' ? planned.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : planned.status === 'skipped' ? planned.reason : planned.message;
      return failOnOrder(source, ctx, new TerminalError(`order ${order.externalId} cannot be mapped for Heartland: ${why}`, { code: 'mapping' }));
    }
    return { order, requests: planned.output as PlannedRequest[] };
  },

  // Fraud signals (issue 12): a suspicious order waits for a person's approval instead of being sent.
  guard: fraudHold,

  async write(plan, ctx, source) {
    try {
      return await writeOrder(plan, ctx);
    } catch (error) {
      // A Heartland validation error (required custom field, refused payment) will not pass on a
      // retry: dead-letter it with the order number, and say so on the Magento order.
      if (error instanceof UpstreamError && error.system === 'heartland' && !error.retryable) {
        const missing = unknownSkus(error, plan);
        if (missing.length) {
          return failOnOrder(
            source,
            ctx,
            new TerminalError(`${skuList(missing)} not found in Heartland (order ${plan.order.externalId})`, { field: 'lines.sku', value: missing.length === 1 ? missing[0] : missing, code: 'unknown_sku', system: 'heartland' }),
          );
        }
        return failOnOrder(source, ctx, new TerminalError(`Heartland refused order ${plan.order.externalId}: ${error.message}`, { system: 'heartland', code: error.code, field: fieldOf(error) }));
      }
      if (error instanceof TerminalError) return failOnOrder(source, ctx, error);
      throw error;
    }
  },

  async link(written, ctx, { source }) {
    // Also on `unchanged`: a retry after the comment failed must still leave it. The order as just
    // read carries its comments, so an order that has it costs no request.
    await commentOnce(ctx.client('commerce'), source.entity_id, `Sent to Heartland as order #${written.targetId}`, { known: source.status_histories ?? undefined });
  },
});

/**
 * SKUs of the inline lines Heartland refused for their item. ASSUMED: a refused inline line is
 * named `lines.<index>.<field>` (or `lines[<index>].<field>`) in the error's `details` (the
 * simulator's convention; Heartland's own naming for nested errors is not documented). Any other
 * refusal keeps Heartland's message.
 */
function unknownSkus(error: UpstreamError, plan: OrderPlan): string[] {
  const details = fieldErrors(error);
  if (!details) return [];
  const skus = new Set<string>();
  for (const key of Object.keys(details)) {
    const m = /^lines(?:\.(\d+)|\[(\d+)\])\.item_(?:lookup|id)$/.exec(key);
    const index = m ? Number(m[1] ?? m[2]) : -1;
    const sku = index >= 0 ? plan.order.lines[index]?.sku : undefined;
    if (sku) skus.add(sku);
  }
  return [...skus];
}

/** The first field Heartland named in a refusal (the UpstreamError's details are its field map). */
function fieldOf(error: UpstreamError): string | undefined {
  const fields = fieldErrors(error);
  return fields ? Object.keys(fields)[0] : undefined;
}

/**
 * The planned lines as inline lines of the order create, each naming its item by SKU. ASSUMED:
 * Heartland accepts on an inline line the same fields as `POST /sales/orders/{id}/lines` (prices,
 * `total_tax`, description; heartland.md §3.5 shows the inline form with `item_lookup`, `qty` and
 * `ship_from_location_id` only [O]). A numeric `item_id` a mapping rule set is kept as it is.
 */
function inlineLines(plan: OrderPlan): HP.SalesOrderCreate['lines'] {
  return byPath(plan, '/lines').map((req, i) => {
    const { item_id: itemId, ...line } = req.body as Record<string, unknown>;
    // The plan has one line request per canonical line, in order (lib/heartland/mappers/order.ts).
    const inline = typeof itemId === 'number' ? { ...line, item_id: itemId } : { ...line, item_lookup: plan.order.lines[i]!.sku };
    return inline as NonNullable<HP.SalesOrderCreate['lines']>[number];
  });
}

/**
 * A pending order found by its ecommerce number that lacks planned lines: one written line by
 * line (by versions before inline lines) that stopped part way — or, should Heartland ever take
 * the create but drop its inline lines (heartland.md §8.4 leaves that open), one without lines;
 * the simulator then refuses to open it and the dead letter's replay lands here. The missing lines
 * are added one by one, matched against what exists by item and quantity, so a retry never
 * duplicates a line. ASSUMED: an order created with inline lines has all of them (Heartland
 * validates the create as a whole, as the simulator does), so a pending order holding as many
 * lines as planned is complete and costs no item look-up.
 */
async function completeLines(heartland: HeartlandClient, plan: OrderPlan, orderId: number): Promise<boolean> {
  const planned = byPath(plan, '/lines');
  const existingLines = await heartland.orders.listLines(orderId);
  if (existingLines.length >= planned.length) return false;
  const skus = [...new Set(plan.order.lines.map((l) => l.sku))];
  const items = await heartland.items.findBySkus(skus);
  const missing = skus.filter((s) => !items.has(s));
  if (missing.length) {
    throw new TerminalError(`${skuList(missing)} not found in Heartland (order ${plan.order.externalId})`, { field: 'lines.sku', value: missing.length === 1 ? missing[0] : missing, code: 'unknown_sku', system: 'heartland' });
  }
  const used = new Set<number>();
  let changed = false;
  for (const [i, req] of planned.entries()) {
    const body = HP.SalesOrderLineCreate.parse({ ...(req.body as Record<string, unknown>), item_id: items.get(plan.order.lines[i]!.sku)!.id });
    const match = existingLines.find((l) => !used.has(l.id) && l.item_id === body.item_id && l.qty === body.qty);
    if (match) {
      used.add(match.id);
      continue;
    }
    used.add(await createForId(heartland, `sales/orders/${orderId}/lines`, body));
    changed = true;
  }
  return changed;
}

async function writeOrder(plan: OrderPlan, ctx: FlowContext) {
  const hl = ctx.client('heartland');
  const { document } = await ordersContext(ctx);
  const options = effectiveOptions(document);
  const names = createNameResolver(hl);
  const { header, bodies } = bodiesFromPlan(plan);
  const externalId = plan.order.externalId;

  // Search first: never two Heartland orders for one increment id (DESIGN.md §1.2).
  const existing = await hl.findFirst('sales/orders', HP.SalesOrder, { [customField(options.ecommerceNumberField)]: externalId });
  let orderId: number;
  let created = false;
  let changed = false;
  if (existing) {
    orderId = existing.id;
    // Open, closed or canceled: a previous attempt finished (or Heartland moved on); nothing to resume.
    if (existing.status !== 'pending') return { targetId: String(orderId), action: 'unchanged' as const };
  } else {
    const party = await ensureOrderParty(hl, plan.order, bodies, ctx);
    const shippingMethodId = await names.shippingMethod(header.shipping_method_id as Ref | undefined);
    const body = defined({
      ...header,
      customer_id: party.customerId,
      billing_address_id: party.billingAddressId,
      shipping_address_id: party.shippingAddressId,
      shipping_method_id: shippingMethodId,
      // One request for the order and its lines (heartland.md §3.5 [O]) instead of one per line.
      lines: inlineLines(plan),
    });
    orderId = await createForId(hl, 'sales/orders', HP.SalesOrderCreate.parse(body));
    created = true;
  }
  // Before anything else can fail: shipments and returns find the Magento items through it.
  await rememberOrderItems(ctx, orderId, plan.order.lines, created);
  if (!created && (await completeLines(hl, plan, orderId))) changed = true;

  const taxes = byPath(plan, '/taxes');
  if (taxes.length) {
    const have = created ? [] : await hl.orders.listTaxes(orderId);
    for (const req of taxes) {
      const body = HP.SalesOrderTaxCreate.parse(req.body);
      if (have.some((t) => money(t.value) === money(body.value))) continue;
      await hl.orders.addTax(orderId, body);
      changed = true;
    }
  }
  const discounts = byPath(plan, '/discounts');
  if (discounts.length) {
    const have = created ? [] : await hl.orders.listDiscounts(orderId);
    for (const req of discounts) {
      const body = HP.SalesOrderDiscountCreate.parse(req.body);
      if (have.some((d) => money(d.amount) === money(body.amount))) continue;
      await hl.orders.addDiscount(orderId, body);
      changed = true;
    }
  }
  const payments = byPath(plan, '/payments');
  if (payments.length) {
    // A payment Heartland refused (its capture webhook failed) stays listed as failed: not a payment.
    const have = created ? [] : (await hl.orders.listPayments(orderId)).filter((p) => p.status !== 'failed' && p.status !== 'void');
    const fallback = document.valueMaps[VALUE_MAP_NAMES.paymentTypeForMethod]?.default as Ref | undefined;
    for (const req of payments) {
      const raw = req.body as Record<string, unknown>;
      const method = plan.order.payment?.method ?? 'unknown';
      const paymentTypeId = await names.paymentType(raw.payment_type_id as Ref, fallback ?? undefined, { method, order: externalId });
      const body = HP.PaymentCreate.parse({ ...raw, payment_type_id: paymentTypeId });
      if (have.some((p) => p.payment_type_id === paymentTypeId && money(p.amount) === money(body.amount))) continue;
      await createForId(hl, `sales/orders/${orderId}/payments`, body);
      changed = true;
    }
  }

  // Last: `open` commits stock at the ship-from location, so it only happens on a complete order.
  const open = plan.requests.find((r) => r.method === 'PUT');
  const target = (open?.body as { status?: string } | undefined)?.status;
  if (target && target !== (existing?.status ?? 'pending')) {
    await hl.request({ method: 'PUT', path: `sales/orders/${orderId}`, body: { status: target } });
    changed = true;
  }
  return { targetId: String(orderId), action: created ? ('created' as const) : changed ? ('updated' as const) : ('unchanged' as const) };
}
