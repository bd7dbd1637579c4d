/**
 * Sales: orders (save, read, search, comments, cancel/hold/unhold), invoices, shipments and credit
 * memos (commerce.md §2.2–2.6), with MSI side effects (§2.9–2.10): a placed order appends a negative
 * reservation; a shipment deducts the source item and appends the compensating reservation; a cancel
 * (or a refund of unshipped quantity) compensates the reservation.
 */
import {
  bodyObject,
  optionalArray,
  param,
  pathId,
  requiredObject,
  toBool,
  toNumber,
  toText,
  type RequestContext,
  type SimCore,
} from './context';
import { MagentoError, entityNotFound, inputError, invalidField, requiredField } from './errors';
import { magentoTime, money, sourceItemKey, type Rec } from './state';

const PARENT_TYPES = new Set(['configurable', 'bundle', 'grouped']);
/** Items without physical stock: no reservation, nothing to ship. */
const NON_SHIPPABLE_TYPES = new Set(['virtual', 'downloadable', 'giftcard']);
/** Offline methods are captured when invoiced (ASSUMED: the sandbox treats unknown methods as offline too). */
const DEFAULT_STOCK_ID = 1;

export function getOrder(sim: SimCore, id: number): Rec {
  const order = sim.store.state.orders[id];
  if (!order) throw entityNotFound();
  return order;
}

const qtyToInvoice = (i: Rec) => i.qty_ordered - i.qty_invoiced - i.qty_canceled;
const qtyToShip = (i: Rec) => (NON_SHIPPABLE_TYPES.has(i.product_type) ? 0 : i.qty_ordered - i.qty_shipped - i.qty_refunded - i.qty_canceled);
const qtyToRefund = (i: Rec) => i.qty_invoiced - i.qty_refunded;
const childrenOf = (order: Rec, item: Rec) => (order.items as Rec[]).filter((c) => c.parent_item_id === item.item_id);
/** SKUs that hold stock for a line: a parent's children, or the line itself. */
function stockLines(order: Rec, item: Rec, qty: number): { sku: string; qty: number }[] {
  if (PARENT_TYPES.has(item.product_type)) {
    return childrenOf(order, item).map((c) => ({ sku: c.sku, qty: (qty * c.qty_ordered) / item.qty_ordered }));
  }
  if (item.parent_item_id || NON_SHIPPABLE_TYPES.has(item.product_type)) return [];
  return [{ sku: item.sku, qty }];
}

function touch(sim: SimCore, order: Rec) {
  order.updated_at = magentoTime(sim.now());
}

function emitOrder(sim: SimCore, order: Rec) {
  sim.emit('observer.sales_order_save_commit_after', order);
  sim.emit('observer.sales_order_save_after', order);
  sim.store.changed();
}

// ------------------------------------------------------------------ order rendering

/**
 * The order as REST returns it: child items (configurable/bundle) carry their `parent_item`, and
 * each shipping assignment lists the order's items.
 */
export function renderOrder(order: Rec): Rec {
  const byId = new Map((order.items as Rec[]).map((i) => [i.item_id, i]));
  const items = (order.items as Rec[]).map((i) => (i.parent_item_id ? { ...i, parent_item: byId.get(i.parent_item_id) ?? null } : i));
  const ext = order.extension_attributes ?? {};
  const assignments = Array.isArray(ext.shipping_assignments) ? ext.shipping_assignments.map((a: Rec) => ({ ...a, items })) : [];
  return { ...order, items, extension_attributes: { ...ext, shipping_assignments: assignments } };
}

// ------------------------------------------------------------------ order save

function buildAddress(sim: SimCore, raw: Rec, type: 'billing' | 'shipping', orderId: number, field: string): Rec {
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidField(field, JSON.stringify(raw));
  for (const f of ['firstname', 'lastname', 'city', 'country_id', 'postcode', 'telephone']) {
    if (raw[f] === undefined || raw[f] === null || raw[f] === '') throw requiredField(`${field}.${f}`);
  }
  const street = raw.street === undefined ? [] : Array.isArray(raw.street) ? raw.street.map(String) : [String(raw.street)];
  return { ...raw, street, address_type: type, entity_id: raw.entity_id ?? sim.store.next('order_address'), parent_id: orderId };
}

function buildItems(sim: SimCore, rawItems: unknown, orderId: number, now: string): Rec[] {
  if (!Array.isArray(rawItems) || rawItems.length === 0) throw requiredField('entity.items');
  const idMap = new Map<unknown, number>();
  const items: Rec[] = rawItems.map((raw: Rec, i): Rec => {
    if (!raw || typeof raw !== 'object') throw invalidField(`entity.items[${i}]`, JSON.stringify(raw));
    const sku = toText(raw.sku, `entity.items[${i}].sku`, true)!;
    const qty = toNumber(raw.qty_ordered, `entity.items[${i}].qty_ordered`, { required: true, min: 0 })!;
    if (qty <= 0) throw invalidField(`entity.items[${i}].qty_ordered`, raw.qty_ordered);
    const price = toNumber(raw.price, `entity.items[${i}].price`, { min: 0 }) ?? 0;
    const itemId = sim.store.next('order_item');
    // Callers may give temporary item_ids so children can point at their parent with parent_item_id.
    if (raw.item_id !== undefined) idMap.set(raw.item_id, itemId);
    const product = sim.store.state.products[sku];
    return {
      ...raw,
      item_id: itemId,
      order_id: orderId,
      sku,
      name: raw.name ?? product?.name ?? sku,
      product_id: raw.product_id ?? product?.id ?? null,
      product_type: raw.product_type ?? product?.type_id ?? 'simple',
      qty_ordered: qty,
      qty_invoiced: 0,
      qty_shipped: 0,
      qty_refunded: 0,
      qty_canceled: 0,
      qty_backordered: 0,
      price,
      base_price: raw.base_price ?? price,
      original_price: raw.original_price ?? price,
      row_total: toNumber(raw.row_total, `entity.items[${i}].row_total`) ?? money(price * qty),
      tax_amount: toNumber(raw.tax_amount, `entity.items[${i}].tax_amount`) ?? 0,
      tax_percent: toNumber(raw.tax_percent, `entity.items[${i}].tax_percent`) ?? 0,
      discount_amount: toNumber(raw.discount_amount, `entity.items[${i}].discount_amount`) ?? 0,
      created_at: now,
      updated_at: now,
    };
  });
  for (const item of items) {
    if (item.parent_item_id !== undefined && item.parent_item_id !== null) {
      const mapped = idMap.get(item.parent_item_id);
      if (mapped === undefined) throw invalidField('entity.items.parent_item_id', item.parent_item_id);
      item.parent_item_id = mapped;
    } else {
      item.parent_item_id = null;
    }
  }
  return items;
}

function createOrder(sim: SimCore, entity: Rec): Rec {
  const store = sim.store;
  const email = toText(entity.customer_email, 'entity.customer_email', true)!;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalidField('entity.customer_email', email);
  const grand = toNumber(entity.grand_total, 'entity.grand_total', { required: true, min: 0 })!;
  const incrementId = entity.increment_id !== undefined ? toText(entity.increment_id, 'entity.increment_id', true)! : undefined;
  if (incrementId && Object.values(store.state.orders).some((o) => o.increment_id === incrementId)) {
    throw inputError('The order number "%1" is already in use.', [incrementId]); // ASSUMED wording (a unique-key violation on real Magento)
  }
  const id = store.next('order');
  const now = magentoTime(sim.now());
  const items = buildItems(sim, entity.items, id, now);
  const subtotal = items.filter((i) => !i.parent_item_id).reduce((s, i) => s + i.row_total, 0);
  const billing = entity.billing_address ? buildAddress(sim, entity.billing_address, 'billing', id, 'entity.billing_address') : null;
  const ext: Rec = { ...(entity.extension_attributes ?? {}) };
  const assignments = Array.isArray(ext.shipping_assignments) ? ext.shipping_assignments : [];
  ext.shipping_assignments = assignments.map((a: Rec, i: number) => ({
    ...a,
    shipping: {
      ...(a.shipping ?? {}),
      address: a.shipping?.address
        ? buildAddress(sim, a.shipping.address, 'shipping', id, `entity.extension_attributes.shipping_assignments[${i}].shipping.address`)
        : null,
    },
    items: [], // rendered from the order's items on every read (renderOrder), so quantities never go stale
    stock_id: DEFAULT_STOCK_ID,
  }));
  const payment = entity.payment
    ? {
        ...entity.payment,
        method: toText(entity.payment.method, 'entity.payment.method', true),
        entity_id: store.next('order_payment'),
        parent_id: id,
        amount_ordered: entity.payment.amount_ordered ?? grand,
        base_amount_ordered: entity.payment.base_amount_ordered ?? grand,
        additional_information: entity.payment.additional_information ?? [],
        account_status: entity.payment.account_status ?? null,
        cc_last4: entity.payment.cc_last4 ?? null,
      }
    : null;
  const order: Rec = {
    ...entity,
    entity_id: id,
    increment_id: incrementId ?? String(id).padStart(9, '0'),
    state: entity.state ?? 'new',
    status: entity.status ?? 'pending',
    store_id: entity.store_id ?? 1,
    customer_email: email,
    customer_id: entity.customer_id ?? null,
    customer_is_guest: entity.customer_is_guest ?? (entity.customer_id ? 0 : 1),
    customer_group_id: entity.customer_group_id ?? (entity.customer_id ? 1 : 0),
    base_currency_code: entity.base_currency_code ?? 'USD',
    order_currency_code: entity.order_currency_code ?? 'USD',
    global_currency_code: entity.global_currency_code ?? 'USD',
    store_currency_code: entity.store_currency_code ?? 'USD',
    subtotal: toNumber(entity.subtotal, 'entity.subtotal') ?? money(subtotal),
    shipping_amount: toNumber(entity.shipping_amount, 'entity.shipping_amount') ?? 0,
    tax_amount: toNumber(entity.tax_amount, 'entity.tax_amount') ?? 0,
    discount_amount: toNumber(entity.discount_amount, 'entity.discount_amount') ?? 0,
    grand_total: grand,
    base_grand_total: toNumber(entity.base_grand_total, 'entity.base_grand_total') ?? grand,
    total_paid: 0,
    total_invoiced: 0,
    total_refunded: 0,
    total_canceled: 0,
    total_due: grand,
    total_qty_ordered: items.filter((i) => !i.parent_item_id).reduce((s, i) => s + i.qty_ordered, 0),
    total_item_count: items.filter((i) => !i.parent_item_id).length,
    created_at: now,
    updated_at: now,
    items,
    billing_address: billing,
    billing_address_id: billing?.entity_id ?? null,
    payment,
    status_histories: [],
    extension_attributes: ext,
  };
  store.state.orders[id] = order;
  // MSI: placing an order appends a negative reservation per stock-holding SKU.
  for (const item of items) {
    for (const line of stockLines(order, item, item.qty_ordered)) {
      store.reserve(DEFAULT_STOCK_ID, line.sku, -line.qty, { event_type: 'order_placed', object_type: 'order', object_id: String(id), object_increment_id: order.increment_id });
    }
  }
  return order;
}

const IMMUTABLE_ORDER_FIELDS = new Set(['entity_id', 'increment_id', 'created_at', 'items', 'payment', 'billing_address', 'extension_attributes', 'status_histories']);

function updateOrder(sim: SimCore, order: Rec, entity: Rec): Rec {
  for (const [key, value] of Object.entries(entity)) {
    if (!IMMUTABLE_ORDER_FIELDS.has(key)) order[key] = value;
  }
  if (entity.billing_address && typeof entity.billing_address === 'object') Object.assign(order.billing_address ?? (order.billing_address = {}), entity.billing_address);
  if (Array.isArray(entity.items)) {
    for (const patch of entity.items as Rec[]) {
      const item = order.items.find((i: Rec) => i.item_id === Number(patch.item_id));
      if (!item) throw invalidField('entity.items.item_id', patch.item_id);
      for (const [k, v] of Object.entries(patch)) if (!k.startsWith('qty_') && k !== 'item_id' && k !== 'order_id') item[k] = v;
    }
  }
  touch(sim, order);
  return order;
}

export function saveOrder(ctx: RequestContext, sim: SimCore): Rec {
  const entity = requiredObject(bodyObject(ctx), 'entity');
  const existingId = entity.entity_id ?? entity.id;
  const order =
    existingId !== undefined && existingId !== null
      ? updateOrder(sim, getOrder(sim, toNumber(existingId, 'entity.entity_id', { integer: true })!), entity)
      : createOrder(sim, entity);
  emitOrder(sim, order);
  return renderOrder(order);
}

// ------------------------------------------------------------------ order management

export function cancelOrder(ctx: RequestContext, sim: SimCore): boolean {
  const order = getOrder(sim, pathId(ctx, 'id'));
  const cancelable = !['canceled', 'complete', 'closed', 'holded', 'payment_review'].includes(order.state);
  const top = (order.items as Rec[]).filter((i) => !i.parent_item_id);
  const toCancel = top.map((i) => Math.max(0, Math.min(qtyToInvoice(i), i.qty_ordered - i.qty_shipped - i.qty_canceled)));
  // Magento's OrderManagement::cancel answers false (not an error) when the order cannot be canceled.
  if (!cancelable || toCancel.every((q) => q <= 0)) return false;
  top.forEach((item, idx) => {
    const qty = toCancel[idx]!;
    if (qty <= 0) return;
    for (const line of stockLines(order, item, qty)) {
      sim.store.reserve(DEFAULT_STOCK_ID, line.sku, line.qty, { event_type: 'order_canceled', object_type: 'order', object_id: String(order.entity_id), object_increment_id: order.increment_id });
    }
    item.qty_canceled += qty;
    for (const c of childrenOf(order, item)) c.qty_canceled += (qty * c.qty_ordered) / item.qty_ordered;
  });
  order.total_canceled = money(order.grand_total - order.total_invoiced);
  order.state = 'canceled';
  order.status = 'canceled';
  order.total_due = 0;
  touch(sim, order);
  emitOrder(sim, order);
  return true;
}

export function holdOrder(ctx: RequestContext, sim: SimCore): boolean {
  const order = getOrder(sim, pathId(ctx, 'id'));
  if (['canceled', 'payment_review', 'complete', 'closed', 'holded'].includes(order.state)) throw inputError('A hold action is not available.');
  order.hold_before_state = order.state;
  order.hold_before_status = order.status;
  order.state = 'holded';
  order.status = 'holded';
  touch(sim, order);
  emitOrder(sim, order);
  return true;
}

export function unholdOrder(ctx: RequestContext, sim: SimCore): boolean {
  const order = getOrder(sim, pathId(ctx, 'id'));
  if (order.state !== 'holded') throw inputError("You can't remove the hold.");
  order.state = order.hold_before_state ?? 'new';
  order.status = order.hold_before_status ?? 'pending';
  order.hold_before_state = null;
  order.hold_before_status = null;
  touch(sim, order);
  emitOrder(sim, order);
  return true;
}

export function addOrderComment(ctx: RequestContext, sim: SimCore): boolean {
  const order = getOrder(sim, pathId(ctx, 'id'));
  const history = requiredObject(bodyObject(ctx), 'statusHistory');
  const comment = toText(history.comment, 'statusHistory.comment', true)!;
  const status = toText(history.status, 'statusHistory.status');
  const entry: Rec = {
    entity_id: sim.store.next('status_history'),
    parent_id: order.entity_id,
    comment,
    status: status ?? order.status,
    is_customer_notified: toBool(history.is_customer_notified) ? 1 : 0,
    is_visible_on_front: toBool(history.is_visible_on_front) ? 1 : 0,
    created_at: magentoTime(sim.now()),
    entity_name: 'order',
  };
  order.status_histories.unshift(entry); // Magento lists the newest first
  sim.emit('observer.sales_order_status_history_save_after', entry);
  if (status && status !== order.status) {
    order.status = status;
    touch(sim, order);
    emitOrder(sim, order);
  } else {
    sim.store.changed();
  }
  return true;
}

// ------------------------------------------------------------------ line selection

interface Line {
  item: Rec;
  qty: number;
}

function selectLines(order: Rec, requested: Rec[] | undefined, available: (i: Rec) => number, docLabel: string, invalidQtyMessage: string): Line[] {
  const lines: Line[] = [];
  if (!requested || requested.length === 0) {
    for (const item of order.items as Rec[]) {
      if (item.parent_item_id) continue;
      const qty = available(item);
      if (qty > 0) lines.push({ item, qty });
    }
  } else {
    requested.forEach((r, i) => {
      const itemId = toNumber(r.order_item_id, `items[${i}].order_item_id`, { required: true, integer: true })!;
      const qty = toNumber(r.qty, `items[${i}].qty`, { required: true, min: 0 })!;
      const item = (order.items as Rec[]).find((it) => it.item_id === itemId);
      if (!item) throw inputError(`${docLabel} Document Validation Error(s):\nThe order does not contain an item with ID "%1".`, [itemId]);
      if (qty > available(item) + 1e-9) throw inputError(`${docLabel} Document Validation Error(s):\n${invalidQtyMessage}`, [item.sku]);
      if (qty > 0) lines.push({ item, qty });
    });
  }
  return lines;
}

function applyToChildren(order: Rec, item: Rec, qty: number, field: string) {
  item[field] += qty;
  for (const c of childrenOf(order, item)) c[field] += (qty * c.qty_ordered) / item.qty_ordered;
}

function lineAmounts(item: Rec, qty: number) {
  const share = item.qty_ordered ? qty / item.qty_ordered : 0;
  return { row: money(item.price * qty), tax: money(item.tax_amount * share), discount: money(Math.abs(item.discount_amount) * share) };
}

function settleState(order: Rec) {
  if (['canceled', 'holded', 'closed'].includes(order.state)) return;
  const top = (order.items as Rec[]).filter((i) => !i.parent_item_id);
  const fullyRefunded = top.every((i) => i.qty_refunded + i.qty_canceled >= i.qty_ordered - 1e-9) && order.total_refunded > 0;
  const invoiced = top.every((i) => qtyToInvoice(i) <= 1e-9);
  const shipped = top.every((i) => qtyToShip(i) <= 1e-9);
  if (fullyRefunded) {
    order.state = order.status = 'closed';
  } else if (invoiced && shipped) {
    order.state = order.status = 'complete';
  } else if (order.state === 'new' && (order.total_invoiced > 0 || top.some((i) => i.qty_shipped > 0))) {
    order.state = order.status = 'processing';
  }
}

// ------------------------------------------------------------------ invoices

const OFFLINE_METHODS = new Set(['checkmo', 'banktransfer', 'cashondelivery', 'purchaseorder', 'free', 'companycredit']);

export function invoiceOrder(ctx: RequestContext, sim: SimCore): number {
  const order = getOrder(sim, pathId(ctx, 'orderId'));
  const body = bodyObject(ctx);
  if (['canceled', 'holded', 'payment_review', 'complete', 'closed'].includes(order.state) || (order.items as Rec[]).every((i) => qtyToInvoice(i) <= 0)) {
    throw inputError('Invoice Document Validation Error(s):\nThe order does not allow an invoice to be created.');
  }
  const lines = selectLines(order, optionalArray(body, 'items'), qtyToInvoice, 'Invoice', 'The quantity to invoice must not be greater than the uninvoiced quantity for product SKU "%1".');
  if (!lines.length) throw inputError("Invoice Document Validation Error(s):\nYou can't create an invoice without products.");
  const id = sim.store.next('invoice');
  const now = magentoTime(sim.now());
  let subtotal = 0;
  let tax = 0;
  let discount = 0;
  const items = lines.map(({ item, qty }) => {
    const a = lineAmounts(item, qty);
    subtotal += a.row;
    tax += a.tax;
    discount += a.discount;
    applyToChildren(order, item, qty, 'qty_invoiced');
    return { entity_id: sim.store.next('invoice_item'), parent_id: id, order_item_id: item.item_id, sku: item.sku, name: item.name, qty, price: item.price, row_total: a.row, tax_amount: a.tax, discount_amount: a.discount };
  });
  const firstInvoice = !Object.values(sim.store.state.invoices).some((inv) => inv.order_id === order.entity_id);
  const shipping = firstInvoice ? order.shipping_amount ?? 0 : 0;
  const grand = money(subtotal + tax + shipping - discount);
  const capture = toBool(param(body, 'capture')) || OFFLINE_METHODS.has(order.payment?.method ?? 'checkmo');
  const invoice: Rec = {
    entity_id: id,
    increment_id: String(id).padStart(9, '0'),
    order_id: order.entity_id,
    state: capture ? 2 : 1,
    subtotal: money(subtotal),
    tax_amount: money(tax),
    discount_amount: money(discount),
    shipping_amount: shipping,
    grand_total: grand,
    base_grand_total: grand,
    total_qty: lines.reduce((s, l) => s + l.qty, 0),
    transaction_id: order.payment?.last_trans_id ?? null,
    created_at: now,
    updated_at: now,
    items,
    comments: [],
  };
  const comment = param(body, 'comment') as Rec | undefined;
  if (comment && typeof comment === 'object' && comment.comment) invoice.comments.push({ comment: String(comment.comment), is_visible_on_front: toBool(comment.is_visible_on_front) ? 1 : 0, created_at: now });
  sim.store.state.invoices[id] = invoice;
  order.total_invoiced = money((order.total_invoiced ?? 0) + grand);
  if (capture) {
    order.total_paid = money((order.total_paid ?? 0) + grand);
    order.total_due = money(Math.max(0, order.grand_total - order.total_paid));
    if (order.payment) order.payment.amount_paid = order.total_paid;
  }
  settleState(order);
  touch(sim, order);
  sim.emit('observer.sales_order_invoice_save_after', invoice);
  emitOrder(sim, order);
  return id;
}

// ------------------------------------------------------------------ shipments

export function shipOrder(ctx: RequestContext, sim: SimCore): number {
  const store = sim.store;
  const order = getOrder(sim, pathId(ctx, 'orderId'));
  const body = bodyObject(ctx);
  if (['canceled', 'holded', 'payment_review', 'closed'].includes(order.state) || (order.items as Rec[]).every((i) => qtyToShip(i) <= 0)) {
    throw inputError('Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.');
  }
  // ASSUMED wording of Magento's shipment QuantityValidator for over-shipping.
  const lines = selectLines(order, optionalArray(body, 'items'), qtyToShip, 'Shipment', 'We found an invalid quantity to ship for item "%1".');
  if (!lines.length) throw inputError("Shipment Document Validation Error(s):\nYou can't create a shipment without products.");
  const args = (param(body, 'arguments') ?? {}) as Rec;
  const ext = (args.extension_attributes ?? args.extensionAttributes ?? {}) as Rec;
  const sourceCode = toText(ext.source_code ?? ext.sourceCode, 'arguments.extension_attributes.source_code') ?? 'default';
  if (!store.state.sources[sourceCode]) throw inputError('Source with code "%1" does not exist.', [sourceCode]); // ASSUMED wording
  const tracksIn = optionalArray(body, 'tracks') ?? [];
  tracksIn.forEach((t, i) => {
    for (const f of ['track_number', 'title', 'carrier_code']) if (!t[f]) throw requiredField(`tracks[${i}].${f}`);
  });
  // Source deduction runs before the shipment is saved: not enough stock at the source fails the whole call.
  const deductions = new Map<string, number>();
  for (const { item, qty } of lines) for (const l of stockLines(order, item, qty)) deductions.set(l.sku, (deductions.get(l.sku) ?? 0) + l.qty);
  for (const [sku, qty] of deductions) {
    const si = store.state.sourceItems[sourceItemKey(sku, sourceCode)];
    const product = store.state.products[sku];
    const managed = product?.extension_attributes?.stock_item?.manage_stock !== false;
    if (managed && (!si || si.quantity < qty - 1e-9)) throw inputError('Not all of your products are available in the requested quantity.');
  }
  const id = store.next('shipment');
  const now = magentoTime(sim.now());
  for (const [sku, qty] of deductions) {
    const si = store.state.sourceItems[sourceItemKey(sku, sourceCode)];
    if (si) {
      si.quantity = money(si.quantity - qty);
      if (si.quantity <= 0) si.status = 0;
    }
    store.reserve(DEFAULT_STOCK_ID, sku, qty, { event_type: 'shipment_created', object_type: 'order', object_id: String(order.entity_id), object_increment_id: order.increment_id });
  }
  const items = lines.map(({ item, qty }) => {
    applyToChildren(order, item, qty, 'qty_shipped');
    return { entity_id: store.next('shipment_item'), parent_id: id, order_item_id: item.item_id, sku: item.sku, name: item.name, qty, price: item.price, weight: item.weight ?? null, product_id: item.product_id };
  });
  const shipment: Rec = {
    entity_id: id,
    increment_id: String(id).padStart(9, '0'),
    order_id: order.entity_id,
    store_id: order.store_id,
    total_qty: lines.reduce((s, l) => s + l.qty, 0),
    created_at: now,
    updated_at: now,
    items,
    tracks: tracksIn.map((t) => ({ entity_id: store.next('shipment_track'), parent_id: id, order_id: order.entity_id, track_number: String(t.track_number), title: String(t.title), carrier_code: String(t.carrier_code), created_at: now })),
    comments: [],
    extension_attributes: { source_code: sourceCode },
  };
  const comment = param(body, 'comment') as Rec | undefined;
  if (comment && typeof comment === 'object' && comment.comment) shipment.comments.push({ comment: String(comment.comment), is_visible_on_front: toBool(comment.is_visible_on_front) ? 1 : 0, created_at: now });
  store.state.shipments[id] = shipment;
  settleState(order);
  touch(sim, order);
  sim.emit('observer.sales_order_shipment_save_after', shipment);
  emitOrder(sim, order);
  return id;
}

export function addShipmentTrack(ctx: RequestContext, sim: SimCore): Rec {
  const entity = requiredObject(bodyObject(ctx), 'entity');
  const shipmentId = toNumber(entity.parent_id, 'entity.parent_id', { required: true, integer: true })!;
  const shipment = sim.store.state.shipments[shipmentId];
  if (!shipment) throw entityNotFound();
  for (const f of ['track_number', 'title', 'carrier_code']) if (!entity[f]) throw requiredField(`entity.${f}`);
  const track = { ...entity, entity_id: sim.store.next('shipment_track'), parent_id: shipmentId, order_id: shipment.order_id, created_at: magentoTime(sim.now()) };
  shipment.tracks.push(track);
  sim.emit('observer.sales_order_shipment_track_save_after', track);
  sim.store.changed();
  return track;
}

export function deleteShipmentTrack(ctx: RequestContext, sim: SimCore): boolean {
  const id = pathId(ctx, 'id');
  for (const shipment of Object.values(sim.store.state.shipments)) {
    const idx = (shipment.tracks as Rec[]).findIndex((t) => t.entity_id === id);
    if (idx >= 0) {
      shipment.tracks.splice(idx, 1);
      sim.store.changed();
      return true;
    }
  }
  throw entityNotFound();
}

// ------------------------------------------------------------------ credit memos

function refund(ctx: RequestContext, sim: SimCore, order: Rec, invoice?: Rec): number {
  const store = sim.store;
  const body = bodyObject(ctx);
  const paidLeft = money((order.total_paid ?? 0) - (order.total_refunded ?? 0));
  if (['canceled', 'closed', 'holded', 'payment_review'].includes(order.state) || paidLeft <= 0) {
    throw inputError('Creditmemo Document Validation Error(s):\nThe order does not allow a creditmemo to be created.');
  }
  const invoiceRefundable = (item: Rec) => {
    if (!invoice) return qtyToRefund(item);
    const line = (invoice.items as Rec[]).find((l) => l.order_item_id === item.item_id);
    return line ? Math.min(qtyToRefund(item), line.qty - (line.qty_refunded ?? 0)) : 0;
  };
  const lines = selectLines(order, optionalArray(body, 'items'), invoiceRefundable, 'Creditmemo', 'The quantity to refund must not be greater than the unrefunded quantity for product SKU "%1".');
  const args = (param(body, 'arguments') ?? {}) as Rec;
  const refundedShipping = Object.values(store.state.creditmemos).filter((c) => c.order_id === order.entity_id).reduce((s, c) => s + (c.shipping_amount ?? 0), 0);
  const shippingLeft = money((order.shipping_amount ?? 0) - refundedShipping);
  const shipping = toNumber(args.shipping_amount, 'arguments.shipping_amount', { min: 0 }) ?? shippingLeft;
  if (shipping > shippingLeft + 1e-9) throw inputError('Creditmemo Document Validation Error(s):\nThe most money available to refund is %1.', [shippingLeft.toFixed(2)]);
  const adjPositive = toNumber(args.adjustment_positive, 'arguments.adjustment_positive', { min: 0 }) ?? 0;
  const adjNegative = toNumber(args.adjustment_negative, 'arguments.adjustment_negative', { min: 0 }) ?? 0;
  const returnToStock = new Set(((args.extension_attributes?.return_to_stock_items ?? []) as unknown[]).map(Number));
  let subtotal = 0;
  let tax = 0;
  let discount = 0;
  for (const { item, qty } of lines) {
    const a = lineAmounts(item, qty);
    subtotal += a.row;
    tax += a.tax;
    discount += a.discount;
  }
  const grand = money(subtotal + tax + shipping + adjPositive - adjNegative - discount);
  if (grand <= 0 && lines.length === 0) throw inputError('Creditmemo Document Validation Error(s):\nThe credit memo\'s total must be positive.');
  if (grand > paidLeft + 1e-9) throw inputError('Creditmemo Document Validation Error(s):\nThe most money available to refund is %1.', [paidLeft.toFixed(2)]);
  const id = store.next('creditmemo');
  const now = magentoTime(sim.now());
  const lastShipment = Object.values(store.state.shipments).filter((s) => s.order_id === order.entity_id).pop();
  const returnSource = lastShipment?.extension_attributes?.source_code ?? 'default';
  const items = lines.map(({ item, qty }) => {
    // Unshipped units give back their reservation; shipped ones go back to the source only when asked to.
    const unshipped = Math.max(0, item.qty_ordered - item.qty_shipped - item.qty_refunded - item.qty_canceled);
    const compensate = Math.min(qty, unshipped);
    for (const l of stockLines(order, item, compensate)) {
      store.reserve(DEFAULT_STOCK_ID, l.sku, l.qty, { event_type: 'creditmemo_created', object_type: 'order', object_id: String(order.entity_id), object_increment_id: order.increment_id });
    }
    if (returnToStock.has(item.item_id) && qty - compensate > 0) {
      for (const l of stockLines(order, item, qty - compensate)) {
        const si = store.state.sourceItems[sourceItemKey(l.sku, returnSource)];
        if (si) {
          si.quantity = money(si.quantity + l.qty);
          if (si.quantity > 0) si.status = 1;
        }
      }
    }
    applyToChildren(order, item, qty, 'qty_refunded');
    if (invoice) {
      const line = (invoice.items as Rec[]).find((l) => l.order_item_id === item.item_id);
      if (line) line.qty_refunded = (line.qty_refunded ?? 0) + qty;
    }
    const a = lineAmounts(item, qty);
    return { entity_id: store.next('creditmemo_item'), parent_id: id, order_item_id: item.item_id, sku: item.sku, name: item.name, qty, price: item.price, base_price: item.price, base_cost: 0, row_total: a.row, tax_amount: a.tax, discount_amount: a.discount };
  });
  const memo: Rec = {
    entity_id: id,
    increment_id: String(id).padStart(9, '0'),
    order_id: order.entity_id,
    invoice_id: invoice?.entity_id ?? null,
    state: 2, // refunded
    creditmemo_status: null,
    subtotal: money(subtotal),
    tax_amount: money(tax),
    discount_amount: money(discount),
    shipping_amount: shipping,
    adjustment_positive: adjPositive,
    adjustment_negative: adjNegative,
    adjustment: money(adjPositive - adjNegative),
    grand_total: grand,
    base_grand_total: grand,
    created_at: now,
    updated_at: now,
    items,
    comments: [],
  };
  const comment = param(body, 'comment') as Rec | undefined;
  if (comment && typeof comment === 'object' && comment.comment) memo.comments.push({ comment: String(comment.comment), is_visible_on_front: toBool(comment.is_visible_on_front) ? 1 : 0, created_at: now });
  store.state.creditmemos[id] = memo;
  order.total_refunded = money((order.total_refunded ?? 0) + grand);
  if (order.payment) order.payment.amount_refunded = order.total_refunded;
  settleState(order);
  touch(sim, order);
  sim.emit('observer.sales_order_creditmemo_save_after', memo);
  emitOrder(sim, order);
  return id;
}

export function refundOrder(ctx: RequestContext, sim: SimCore): number {
  return refund(ctx, sim, getOrder(sim, pathId(ctx, 'orderId')));
}

export function refundInvoice(ctx: RequestContext, sim: SimCore): number {
  const invoice = sim.store.state.invoices[pathId(ctx, 'invoiceId')];
  if (!invoice) throw entityNotFound();
  if (invoice.state !== 2) throw new MagentoError(400, 'Creditmemo Document Validation Error(s):\nWe can\'t create creditmemo for the invoice.');
  return refund(ctx, sim, getOrder(sim, invoice.order_id), invoice);
}

// ------------------------------------------------------------------ invoice capture / void, order address

function getInvoice(sim: SimCore, id: number): Rec {
  const invoice = sim.store.state.invoices[id];
  if (!invoice) throw entityNotFound();
  return invoice;
}

/** `POST /V1/invoices/{id}/capture`: an open invoice becomes paid. ASSUMED: answers `true`. */
export function captureInvoice(ctx: RequestContext, sim: SimCore): boolean {
  const invoice = getInvoice(sim, pathId(ctx, 'id'));
  if (invoice.state !== 1) throw inputError('The invoice cannot be captured.'); // ASSUMED wording
  const order = getOrder(sim, invoice.order_id);
  invoice.state = 2;
  invoice.updated_at = magentoTime(sim.now());
  order.total_paid = money((order.total_paid ?? 0) + invoice.grand_total);
  order.total_due = money(Math.max(0, order.grand_total - order.total_paid));
  if (order.payment) order.payment.amount_paid = order.total_paid;
  settleState(order);
  touch(sim, order);
  sim.emit('observer.sales_order_invoice_save_after', invoice);
  emitOrder(sim, order);
  return true;
}

/** `POST /V1/invoices/{id}/void`: the invoice is canceled and its quantities can be invoiced again. */
export function voidInvoice(ctx: RequestContext, sim: SimCore): boolean {
  const invoice = getInvoice(sim, pathId(ctx, 'id'));
  if (invoice.state === 3) throw inputError('The invoice cannot be voided.'); // ASSUMED wording
  const order = getOrder(sim, invoice.order_id);
  for (const line of invoice.items as Rec[]) {
    const item = (order.items as Rec[]).find((i) => i.item_id === line.order_item_id);
    if (item) applyToChildren(order, item, -line.qty, 'qty_invoiced');
  }
  order.total_invoiced = money((order.total_invoiced ?? 0) - invoice.grand_total);
  if (invoice.state === 2) {
    order.total_paid = money((order.total_paid ?? 0) - invoice.grand_total);
    order.total_due = money(Math.max(0, order.grand_total - order.total_paid));
    if (order.payment) order.payment.amount_paid = order.total_paid;
  }
  invoice.state = 3;
  invoice.updated_at = magentoTime(sim.now());
  touch(sim, order);
  sim.emit('observer.sales_order_invoice_save_after', invoice);
  emitOrder(sim, order);
  return true;
}

/** `PUT /V1/orders/{parent_id}` with `{"entity": address}`: updates the order's billing or shipping address. */
export function saveOrderAddress(ctx: RequestContext, sim: SimCore): Rec {
  const order = getOrder(sim, pathId(ctx, 'parent_id'));
  const input = requiredObject(bodyObject(ctx), 'entity');
  const shipping = order.extension_attributes?.shipping_assignments?.[0]?.shipping;
  const candidates: Rec[] = [order.billing_address, shipping?.address].filter(Boolean);
  const target =
    input.entity_id !== undefined
      ? candidates.find((a) => a.entity_id === toNumber(input.entity_id, 'entity.entity_id', { integer: true }))
      : candidates.find((a) => a.address_type === input.address_type);
  if (!target) throw entityNotFound();
  const { entity_id: _id, parent_id: _parent, address_type: _type, ...changes } = input;
  if (changes.street !== undefined) changes.street = Array.isArray(changes.street) ? changes.street.map(String) : [String(changes.street)];
  Object.assign(target, changes);
  touch(sim, order);
  sim.store.changed();
  return target;
}
