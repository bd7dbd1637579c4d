/**
 * One day of web and store sales, reduced to a compact aggregate from that day's source records.
 * The aggregate is always computed from ALL of the day's records (never patched record by record),
 * so recomputing a day after a redelivered or edited record cannot count anything twice.
 * Money is held in integer cents: sums of cents are exact, sums of floating dollars are not.
 *
 * Web (Magento, commerce.md §2.2/§2.5/§2.6): net sales of a day = grand totals of the invoices
 * created that day minus grand totals of the credit memos created that day. Orders, units and
 * customers come from the orders created that day (canceled orders do not count).
 * Store (Heartland, heartland.md §3.6): net sales = totals of complete `Ticket`s completed that
 * day minus the refunded amount of complete `Return`s completed that day.
 * ASSUMED (heartland.md does not say): a ticket's `total` includes tax like Magento's grand total;
 * a Return's refund is the absolute value of its `total` (the sign of `total` on a Return is not
 * documented); ticket lines with an `item_id` are merchandise; a ticket belongs to its
 * `source_location_id`.
 */
import type * as CommercePayloads from '../../commerce/payloads';
import type * as HeartlandPayloads from '../../heartland/payloads';

export const AGGREGATE_VERSION = 1;

/** Units and net cents of one SKU (web) or one Heartland item id (store). */
export type SkuTally = [units: number, cents: number];

export interface ChannelDayTally {
  /** Invoiced (web) or ticketed (store) cents. */
  grossCents: number;
  /** Credit memos (web) or returns (store) cents, positive. */
  refundCents: number;
  netCents: number;
  /** Orders (web) or tickets (store). */
  orders: number;
  units: number;
  /** Web: by SKU; store: by Heartland item id (resolved to SKUs only for the best sellers when read). */
  skus: Record<string, SkuTally>;
  /** Revenue in cents by the channel's own customer id (Magento customer id / Heartland customer id). */
  customers: Record<string, number>;
  /** Source records read, so a reader can see what the day was built from. */
  records: number;
}

export interface DayAggregate {
  version: typeof AGGREGATE_VERSION;
  date: string;
  /** Epoch ms of the computation. */
  computedAt: number;
  web: ChannelDayTally;
  store: ChannelDayTally & { unitsByLocation: Record<string, number> };
}

export interface DaySources {
  orders: Iterable<CommercePayloads.Order>;
  invoices: Iterable<CommercePayloads.Invoice>;
  creditMemos: Iterable<CommercePayloads.CreditMemo>;
  tickets: Iterable<HeartlandPayloads.Ticket>;
  returns: Iterable<HeartlandPayloads.Ticket>;
}

export const toCents = (amount: unknown): number => {
  const n = Number(amount ?? 0);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
};

const emptyTally = (): ChannelDayTally => ({ grossCents: 0, refundCents: 0, netCents: 0, orders: 0, units: 0, skus: {}, customers: {}, records: 0 });

function addSku(skus: Record<string, SkuTally>, key: string, units: number, cents: number): void {
  const row = (skus[key] ??= [0, 0]);
  row[0] += units;
  row[1] += cents;
}

/** Magento invoice state 3 is canceled (commerce.md §2.5): it was never invoiced money. */
const INVOICE_CANCELED = 3;

/** Order lines that carry the quantity: children of configurables/bundles are counted on the parent. */
const sellableLines = (order: CommercePayloads.Order) =>
  ((order as { items?: Array<Record<string, unknown>> }).items ?? []).filter((i) => i.parent_item_id === undefined || i.parent_item_id === null);

const merchandise = (ticket: HeartlandPayloads.Ticket) => ((ticket as { lines?: HeartlandPayloads.TicketLine[] }).lines ?? []).filter((l) => l.item_id !== undefined && l.item_id !== null);

/** Reduces one day's records to its aggregate. Records are expected to belong to `date` already. */
export function aggregateDay(date: string, sources: DaySources, computedAt: number): DayAggregate {
  const web = emptyTally();
  for (const invoice of sources.invoices) {
    web.records++;
    if (invoice.state === INVOICE_CANCELED) continue;
    web.grossCents += toCents(invoice.grand_total);
  }
  for (const memo of sources.creditMemos) {
    web.records++;
    web.refundCents += Math.abs(toCents(memo.grand_total));
  }
  for (const order of sources.orders) {
    web.records++;
    if (order.state === 'canceled' || order.status === 'canceled') continue;
    web.orders++;
    for (const line of sellableLines(order)) {
      const qty = Number(line.qty_ordered ?? 0);
      web.units += qty;
      if (typeof line.sku === 'string') addSku(web.skus, line.sku, qty, toCents(line.row_total) - Math.abs(toCents(line.discount_amount)));
    }
    if (order.customer_id) {
      const id = String(order.customer_id);
      web.customers[id] = (web.customers[id] ?? 0) + toCents(order.grand_total);
    }
  }
  web.netCents = web.grossCents - web.refundCents;

  const store = { ...emptyTally(), unitsByLocation: {} as Record<string, number> };
  const addLines = (ticket: HeartlandPayloads.Ticket) => {
    for (const line of merchandise(ticket)) {
      // Return lines carry negative qty (heartland.md §3.6), so they net off the sale.
      const qty = Number(line.qty ?? 0);
      store.units += qty;
      addSku(store.skus, String(line.item_id), qty, Math.round(qty * toCents(line.adjusted_unit_price ?? line.unit_price)));
      if (ticket.source_location_id !== undefined && ticket.source_location_id !== null) {
        const loc = String(ticket.source_location_id);
        store.unitsByLocation[loc] = (store.unitsByLocation[loc] ?? 0) + qty;
      }
    }
  };
  for (const ticket of sources.tickets) {
    store.records++;
    const cents = toCents(ticket.total);
    store.grossCents += cents;
    store.orders++;
    addLines(ticket);
    if (ticket.customer_id) {
      const id = String(ticket.customer_id);
      store.customers[id] = (store.customers[id] ?? 0) + cents;
    }
  }
  for (const ret of sources.returns) {
    store.records++;
    const cents = Math.abs(toCents(ret.total));
    store.refundCents += cents;
    addLines(ret);
    if (ret.customer_id) {
      const id = String(ret.customer_id);
      store.customers[id] = (store.customers[id] ?? 0) - cents;
    }
  }
  store.netCents = store.grossCents - store.refundCents;
  return { version: AGGREGATE_VERSION, date, computedAt, web, store };
}
