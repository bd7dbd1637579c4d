/**
 * Reconciliation (DESIGN.md §4): web orders, payments and refunds matched across Magento and
 * Heartland for a date range. Pure: the caller (scheduler nightly, admin API on demand) reads both
 * sides and passes them in; this says what matches, what is missing where, and which amounts differ.
 *
 * How records pair up (the connector's own external references, DESIGN.md §1.2):
 * - order: Magento `increment_id` = Heartland order `custom.ecommerce_number`;
 * - payment: per order, Magento invoices (what was captured) against Heartland payments on that order;
 * - refund: Magento credit memo `entity_id` = Return ticket `custom.magento_creditmemo_id`, which the
 *   refund flow writes on every Return it creates (lib/heartland/mappers/refund.ts).
 */
import { z } from 'zod';
import * as commerce from '../../commerce/payloads';
import * as heartland from '../../heartland/payloads';
import { money } from '../../model/money';

export type ReconcileKind = 'order' | 'payment' | 'refund';
export type ReconcileStatus = 'matched' | 'missing_in_heartland' | 'missing_in_magento' | 'amount_mismatch';

export interface ReconcileRow {
  kind: ReconcileKind;
  /** The web order number (Magento increment id) the row belongs to, when known. */
  orderNumber: string | null;
  /** Magento order increment id, invoice increment ids, or credit memo id. */
  magentoRef: string | null;
  /** Heartland order id, payment ids, or Return ticket id. */
  heartlandRef: string | null;
  magentoAmount: number | null;
  heartlandAmount: number | null;
  status: ReconcileStatus;
}

export interface ReconcileSummary {
  from: string;
  to: string;
  counts: Record<ReconcileKind, Record<ReconcileStatus, number>>;
  /** Rows that are not `matched`. */
  mismatches: number;
  totals: Record<ReconcileKind, { magento: number; heartland: number }>;
}

export interface ReconcileInput {
  magento: { orders: unknown[]; invoices?: unknown[]; creditMemos?: unknown[] };
  heartland: { orders: unknown[]; payments?: unknown[]; returns?: unknown[] };
  /** ISO-8601; inclusive. */
  from: string;
  /** ISO-8601; exclusive. */
  to: string;
  /** Amounts closer than this are equal (default 0.01). */
  tolerance?: number;
  /** Heartland custom field holding the web order number (default `ecommerce_number`). */
  ecommerceNumberField?: string;
}

export class ReconcileInputError extends Error {
  readonly status = 400;
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ReconcileInputError';
  }
}

function parseList<T extends z.ZodType>(schema: T, values: unknown, field: string): Array<z.infer<T>> {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw new ReconcileInputError(field, 'expected an array');
  const result = z.array(schema).safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new ReconcileInputError(`${field}${path}`, issue.message);
  }
  return result.data as Array<z.infer<T>>;
}

/** Magento sends "YYYY-MM-DD HH:MM:SS" in UTC; Heartland ISO-8601 with an offset. */
function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function rangeBound(value: string, field: string): number {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new ReconcileInputError(field, `expected an ISO-8601 date or time, not ${JSON.stringify(value)}`);
  return t;
}

const emptyCounts = (): Record<ReconcileStatus, number> => ({ matched: 0, missing_in_heartland: 0, missing_in_magento: 0, amount_mismatch: 0 });

export function reconcile(input: ReconcileInput): { rows: ReconcileRow[]; summary: ReconcileSummary } {
  if (!input || typeof input !== 'object') throw new ReconcileInputError('input', 'expected {magento, heartland, from, to}');
  if (!input.magento || typeof input.magento !== 'object') throw new ReconcileInputError('magento', 'expected {orders, invoices, creditMemos}');
  if (!input.heartland || typeof input.heartland !== 'object') throw new ReconcileInputError('heartland', 'expected {orders, payments, returns}');
  const from = rangeBound(input.from, 'from');
  const to = rangeBound(input.to, 'to');
  if (to <= from) throw new ReconcileInputError('to', `must be after from (${input.from})`);
  const tolerance = input.tolerance ?? 0.01;
  const field = input.ecommerceNumberField ?? 'ecommerce_number';
  const inRange = (t: number | undefined) => t !== undefined && t >= from && t < to;

  const mOrders = parseList(commerce.Order, input.magento.orders, 'magento.orders');
  const mInvoices = parseList(commerce.Invoice, input.magento.invoices, 'magento.invoices');
  const mMemos = parseList(commerce.CreditMemo, input.magento.creditMemos, 'magento.creditMemos');
  const hOrders = parseList(heartland.SalesOrder, input.heartland.orders, 'heartland.orders');
  const hPayments = parseList(heartland.Payment, input.heartland.payments, 'heartland.payments');
  const hReturns = parseList(heartland.Ticket, input.heartland.returns, 'heartland.returns');

  const rows: ReconcileRow[] = [];
  const compare = (kind: ReconcileKind, orderNumber: string | null, magentoRef: string | null, heartlandRef: string | null, magentoAmount: number | null, heartlandAmount: number | null) => {
    const status: ReconcileStatus =
      magentoAmount === null ? 'missing_in_magento' : heartlandAmount === null ? 'missing_in_heartland' : Math.abs(magentoAmount - heartlandAmount) > tolerance ? 'amount_mismatch' : 'matched';
    rows.push({ kind, orderNumber, magentoRef, heartlandRef, magentoAmount: magentoAmount === null ? null : money(magentoAmount), heartlandAmount: heartlandAmount === null ? null : money(heartlandAmount), status });
  };

  // ---- orders
  const webNumberOf = (o: heartland.SalesOrder) => {
    const value = o.custom?.[field];
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const hByNumber = new Map<string, heartland.SalesOrder>();
  for (const o of hOrders) {
    const number = webNumberOf(o);
    if (number) hByNumber.set(number, o);
  }
  const mByNumber = new Map(mOrders.map((o) => [o.increment_id, o]));
  const mByEntityId = new Map(mOrders.map((o) => [String(o.entity_id), o]));
  // An order is in the report when either side was created in the range.
  const numbers = new Set<string>();
  for (const o of mOrders) if (inRange(timeOf(o.created_at))) numbers.add(o.increment_id);
  for (const [number, o] of hByNumber) if (inRange(timeOf(o.created_at))) numbers.add(number);
  for (const number of [...numbers].sort()) {
    const m = mByNumber.get(number);
    const h = hByNumber.get(number);
    // An order cancelled before it was sent is not a mismatch: there was never anything to send.
    if (m && !h && (m.state === 'canceled' || m.status === 'canceled')) continue;
    compare('order', number, m ? m.increment_id : null, h ? String(h.id) : null, m ? Number(m.grand_total) : null, h ? Number(h.total ?? 0) : null);
  }

  // ---- payments, per reported order
  const paymentsByOrder = new Map<string, Map<number, heartland.Payment>>();
  const addPayment = (orderId: number | null | undefined, payment: heartland.Payment) => {
    if (orderId === null || orderId === undefined) return;
    const forOrder = paymentsByOrder.get(String(orderId)) ?? new Map<number, heartland.Payment>();
    forOrder.set(payment.id, payment);
    paymentsByOrder.set(String(orderId), forOrder);
  };
  for (const o of hOrders) for (const p of o.payments ?? []) addPayment(o.id, p);
  for (const p of hPayments) addPayment(p.order_id, p);
  const invoicesByOrderNumber = new Map<string, commerce.Invoice[]>();
  for (const invoice of mInvoices) {
    const order = mByEntityId.get(String(invoice.order_id));
    if (!order) continue;
    invoicesByOrderNumber.set(order.increment_id, [...(invoicesByOrderNumber.get(order.increment_id) ?? []), invoice]);
  }
  for (const number of [...numbers].sort()) {
    const invoices = (invoicesByOrderNumber.get(number) ?? []).filter((i) => i.state !== 3); // 3 = canceled
    const h = hByNumber.get(number);
    const payments = h ? [...(paymentsByOrder.get(String(h.id))?.values() ?? [])].filter((p) => !p.status || p.status === 'complete' || p.status === 'completed') : [];
    if (invoices.length === 0 && payments.length === 0) continue;
    const magentoAmount = invoices.length ? invoices.reduce((sum, i) => sum + Number(i.grand_total ?? 0), 0) : null;
    const heartlandAmount = payments.length ? payments.reduce((sum, p) => sum + Number(p.amount), 0) : null;
    compare('payment', number, invoices.length ? invoices.map((i) => i.increment_id ?? String(i.entity_id)).join(' ') : null, payments.length ? payments.map((p) => String(p.id)).join(' ') : null, magentoAmount, heartlandAmount);
  }

  // ---- refunds
  const returnsByMemo = new Map<string, heartland.Ticket>();
  for (const ticket of hReturns) {
    const memoId = ticket.custom?.magento_creditmemo_id;
    if (memoId !== undefined && memoId !== null && memoId !== '') returnsByMemo.set(String(memoId), ticket);
  }
  const memoIds = new Set<string>();
  const memoById = new Map(mMemos.map((m) => [String(m.entity_id), m]));
  for (const memo of mMemos) if (inRange(timeOf(memo.created_at))) memoIds.add(String(memo.entity_id));
  for (const [memoId, ticket] of returnsByMemo) if (inRange(timeOf(ticket.completed_at ?? ticket.created_at))) memoIds.add(memoId);
  for (const memoId of [...memoIds].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))) {
    const memo = memoById.get(memoId);
    const ticket = returnsByMemo.get(memoId);
    const orderNumber = memo ? (mByEntityId.get(String(memo.order_id))?.increment_id ?? null) : ticket?.custom?.[field] ? String(ticket.custom[field]) : null;
    compare('refund', orderNumber, memo ? (memo.increment_id ?? memoId) : null, ticket ? String(ticket.id) : null, memo ? Number(memo.grand_total ?? 0) : null, ticket ? Math.abs(Number(ticket.total ?? 0)) : null);
  }

  const counts = { order: emptyCounts(), payment: emptyCounts(), refund: emptyCounts() };
  const totals = { order: { magento: 0, heartland: 0 }, payment: { magento: 0, heartland: 0 }, refund: { magento: 0, heartland: 0 } };
  for (const row of rows) {
    counts[row.kind][row.status] += 1;
    totals[row.kind].magento = money(totals[row.kind].magento + (row.magentoAmount ?? 0));
    totals[row.kind].heartland = money(totals[row.kind].heartland + (row.heartlandAmount ?? 0));
  }
  return {
    rows,
    summary: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), counts, mismatches: rows.filter((r) => r.status !== 'matched').length, totals },
  };
}
