/**
 * GET insights/channels: web (Magento) and store (Heartland) sales side by side for a range of
 * days, computed on request from bounded reads of both systems (issue 15's incremental daily
 * aggregates in the FileStore are a follow-up; until then a range is capped at 31 days).
 *
 * Web net sales of a day = Magento invoiced minus refunded (credit memos) that day, as issue 15
 * defines it. Store net sales = completed Heartland tickets minus returns that day.
 * ASSUMED (heartland.md §3.6 does not say): a ticket's `total` includes tax like Magento's grand
 * total, a Return's total is negative (its absolute value is the refund), ticket lines with an
 * `item_id` are merchandise, and a ticket belongs to its `source_location_id` (else its station's).
 * ASSUMED: a Heartland item's `public_id` is its SKU (the product flow writes it that way).
 */
import type { ChannelDay, ChannelTotals, InsightsResponse, LocationInsight, TopSku } from './contract';
import type * as CommercePayloads from '../commerce/payloads';
import type * as HeartlandPayloads from '../heartland/payloads';
import { money } from '../model/money';
import { HttpError } from '../runtime/http-error';
import { createLinkStore, getDeadLetter, listDeadLetters } from '../sync';
import type { AdminContext } from './context';
import { MAX_RECORDS, readHeartlandSales, readMagentoSales } from './source-reads';
import { DAY_MS } from './time-range';

export const MAX_INSIGHT_DAYS = 31;
const TOP = 10;

const dayOf = (value: string | null | undefined): string | undefined => {
  if (!value) return undefined;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
};

function dayRange(query: { from?: string; to?: string }, now: number): { from: string; to: string; days: string[] } {
  const to = query.to ?? new Date(now).toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS).toISOString().slice(0, 10);
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  if (days.length === 0) throw new HttpError(400, 'invalid_request', 'from: must not be after to', 'from');
  if (days.length > MAX_INSIGHT_DAYS) throw new HttpError(400, 'invalid_request', `from: insights cover at most ${MAX_INSIGHT_DAYS} days per request; choose a shorter range`, 'from');
  return { from, to, days };
}

interface Tally {
  netSales: number;
  orders: number;
  units: number;
}
const emptyTally = (): Tally => ({ netSales: 0, orders: 0, units: 0 });
const totalsOf = (t: Tally): ChannelTotals => ({ netSales: money(t.netSales), orders: t.orders, units: t.units, aov: t.orders > 0 ? money(t.netSales / t.orders) : 0 });

function addSku(map: Map<string, { units: number; netSales: number }>, sku: string, units: number, netSales: number) {
  const row = map.get(sku) ?? { units: 0, netSales: 0 };
  row.units += units;
  row.netSales += netSales;
  map.set(sku, row);
}
const top = (map: Map<string, { units: number; netSales: number }>): TopSku[] =>
  [...map.entries()]
    .map(([sku, r]) => ({ sku, units: r.units, netSales: money(r.netSales) }))
    .sort((a, b) => b.units - a.units || b.netSales - a.netSales || a.sku.localeCompare(b.sku))
    .slice(0, TOP);

/** Order lines that carry the quantity: children of configurables/bundles are counted on the parent. */
const sellableLines = (order: CommercePayloads.Order) => ((order as { items?: Array<Record<string, unknown>> }).items ?? []).filter((i) => i.parent_item_id === undefined || i.parent_item_id === null);
const merchandise = (ticket: HeartlandPayloads.Ticket) => (ticket.lines ?? []).filter((l) => l.item_id !== undefined && l.item_id !== null);

/** SKUs of web orders that were dead-lettered for stock or an unknown SKU in the range. */
async function stockouts(range: { fromMs: number; toMs: number }, ctx: AdminContext): Promise<Array<{ sku: string; ordersAffected: number }>> {
  const letters = (await listDeadLetters({ flow: 'order' }, ctx.deps))
    .filter((d) => Date.parse(d.lastSeen) >= range.fromMs && Date.parse(d.firstSeen) < range.toMs)
    .filter((d) => /sku|stock|inventory|item/i.test(`${d.field ?? ''} ${d.error}`))
    .slice(0, 200);
  const bySku = new Map<string, Set<string>>();
  for (const letter of letters) {
    const { payload } = await getDeadLetter(letter.id, ctx.deps);
    const value = payload?.error.value;
    const fromMessage = /\bSKU\s+"?([A-Za-z0-9._\-/]+)"?/i.exec(letter.error)?.[1];
    const sku = typeof value === 'string' && value.trim() !== '' ? value : fromMessage;
    if (!sku) continue;
    bySku.set(sku, (bySku.get(sku) ?? new Set()).add(letter.key));
  }
  return [...bySku.entries()].map(([sku, keys]) => ({ sku, ordersAffected: keys.size })).sort((a, b) => b.ordersAffected - a.ordersAffected || a.sku.localeCompare(b.sku));
}

export async function channelInsights(query: { from?: string; to?: string }, ctx: AdminContext): Promise<InsightsResponse> {
  const { from, to, days } = dayRange(query, ctx.deps.platform.clock.now());
  const range = { fromMs: Date.parse(`${from}T00:00:00Z`), toMs: Date.parse(`${to}T00:00:00Z`) + DAY_MS };
  const [magento, heartland] = await Promise.all([readMagentoSales(range, ctx), readHeartlandSales(range, ctx, { orders: false, tickets: true })]);
  const heartlandClient = ctx.deps.clients!.heartland!({ correlationId: ctx.correlationId, logger: ctx.logger });

  const web = new Map(days.map((d) => [d, emptyTally()]));
  const store = new Map(days.map((d) => [d, emptyTally()]));
  const webSkus = new Map<string, { units: number; netSales: number }>();
  const storeItems = new Map<string, { units: number; netSales: number }>();
  const webRevenueByCustomer = new Map<string, number>();
  const storeRevenueByCustomer = new Map<string, number>();

  for (const invoice of magento.invoices) {
    const tally = web.get(dayOf(invoice.created_at) ?? '');
    if (tally) tally.netSales += Number(invoice.grand_total ?? 0);
  }
  for (const memo of magento.creditMemos) {
    const tally = web.get(dayOf(memo.created_at) ?? '');
    if (tally) tally.netSales -= Number(memo.grand_total ?? 0);
  }
  for (const order of magento.orders) {
    if (order.state === 'canceled' || order.status === 'canceled') continue;
    const tally = web.get(dayOf(order.created_at) ?? '');
    if (!tally) continue;
    tally.orders += 1;
    for (const line of sellableLines(order)) {
      const qty = Number(line.qty_ordered ?? 0);
      tally.units += qty;
      if (typeof line.sku === 'string') addSku(webSkus, line.sku, qty, Number(line.row_total ?? 0) - Math.abs(Number(line.discount_amount ?? 0)));
    }
    if (order.customer_id) webRevenueByCustomer.set(String(order.customer_id), (webRevenueByCustomer.get(String(order.customer_id)) ?? 0) + Number(order.grand_total ?? 0));
  }

  const locations = await heartlandClient.locations.list({ includeStations: true });
  const locationOfStation = new Map<number, number>();
  for (const location of locations) for (const station of location.stations ?? []) locationOfStation.set(Number(station.id), Number(location.id));
  const soldAtLocation = new Map<number, number>();
  for (const ticket of heartland.tickets) {
    const tally = store.get(dayOf(ticket.completed_at ?? ticket.created_at) ?? '');
    if (!tally) continue;
    const total = Number(ticket.total ?? 0);
    tally.netSales += total;
    tally.orders += 1;
    const location = ticket.source_location_id ?? (ticket.station_id ? locationOfStation.get(Number(ticket.station_id)) : undefined);
    for (const line of merchandise(ticket)) {
      const qty = Number(line.qty ?? 0);
      tally.units += qty;
      addSku(storeItems, String(line.item_id), qty, qty * Number(line.adjusted_unit_price ?? line.unit_price ?? 0));
      if (location !== undefined && location !== null) soldAtLocation.set(Number(location), (soldAtLocation.get(Number(location)) ?? 0) + qty);
    }
    if (ticket.customer_id) storeRevenueByCustomer.set(String(ticket.customer_id), (storeRevenueByCustomer.get(String(ticket.customer_id)) ?? 0) + total);
  }
  for (const ret of heartland.returns) {
    const tally = store.get(dayOf(ret.completed_at ?? ret.created_at) ?? '');
    if (tally) tally.netSales -= Math.abs(Number(ret.total ?? 0));
  }

  // Store SKUs: item ids → public ids, only for the best sellers.
  const topItems = top(storeItems);
  const items = topItems.length ? await heartlandClient.items.getMany(topItems.map((t) => Number(t.sku))) : [];
  const skuOfItem = new Map(items.map((i) => [String(i.id), i.public_id ?? String(i.id)]));
  const storeTop = topItems.map((t) => ({ ...t, sku: skuOfItem.get(t.sku) ?? `item ${t.sku}` }));

  const locationInsights: LocationInsight[] = [];
  for (const location of locations) {
    let onHand = 0;
    let rows = 0;
    for await (const value of heartlandClient.inventory.iterateValues({ locationIds: [Number(location.id)], perPage: 500 })) {
      if (++rows > MAX_RECORDS) throw new HttpError(400, 'invalid_request', `from: location ${location.id} has more than ${MAX_RECORDS} stock rows; insights need the daily aggregates (issue 15 follow-up)`, 'from');
      onHand += Math.max(0, Number(value.qty_on_hand ?? 0));
    }
    const sold = soldAtLocation.get(Number(location.id)) ?? 0;
    locationInsights.push({
      locationId: String(location.id),
      name: location.name ?? `Location ${location.id}`,
      sellThrough: sold + onHand > 0 ? Math.round((sold / (sold + onHand)) * 10_000) / 10_000 : 0,
      daysOfCover: sold > 0 ? Math.round((onHand / (sold / days.length)) * 10) / 10 : null,
    });
  }

  // Customers active in both channels: Heartland customers linked to a Magento customer who ordered.
  const links = createLinkStore(ctx.deps.platform.state, ctx.deps.platform.clock);
  let bothChannels = 0;
  let bothRevenue = 0;
  for (const [heartlandId, storeRevenue] of [...storeRevenueByCustomer.entries()].slice(0, 1000)) {
    const link = await links.get('customer', 'heartland', heartlandId);
    const webRevenue = link ? webRevenueByCustomer.get(link.id) : undefined;
    if (webRevenue === undefined) continue;
    bothChannels += 1;
    bothRevenue += storeRevenue + webRevenue;
  }
  const sum = (m: Map<string, Tally>) => [...m.values()].reduce((acc, t) => ({ netSales: acc.netSales + t.netSales, orders: acc.orders + t.orders, units: acc.units + t.units }), emptyTally());
  const webTotal = sum(web);
  const storeTotal = sum(store);
  const revenue = [...webRevenueByCustomer.values(), ...storeRevenueByCustomer.values()].reduce((a, b) => a + b, 0);
  const dayRows: ChannelDay[] = days.flatMap((date) => [
    { date, channel: 'web' as const, ...totalsOf(web.get(date)!) },
    { date, channel: 'store' as const, ...totalsOf(store.get(date)!) },
  ]);
  return {
    from,
    to,
    days: dayRows,
    topSkus: { web: top(webSkus), store: storeTop },
    locations: locationInsights,
    stockouts: await stockouts(range, ctx),
    customers: { bothChannels, shareOfRevenue: revenue > 0 ? Math.min(1, Math.round((bothRevenue / revenue) * 10_000) / 10_000) : 0 },
    totals: { web: totalsOf(webTotal), store: totalsOf(storeTotal) },
  };
}

/** One table of the insights as CSV rows; `days` and `topSkus` carry a `channel` column. */
export function insightsTable(data: InsightsResponse, table: 'days' | 'topSkus' | 'locations' | 'stockouts'): { columns: string[]; rows: Array<Record<string, string | number | null>> } {
  switch (table) {
    case 'days':
      return { columns: ['date', 'channel', 'netSales', 'orders', 'units', 'aov'], rows: data.days };
    case 'topSkus':
      return { columns: ['channel', 'sku', 'units', 'netSales'], rows: [...data.topSkus.web.map((r) => ({ channel: 'web', ...r })), ...data.topSkus.store.map((r) => ({ channel: 'store', ...r }))] };
    case 'locations':
      return { columns: ['locationId', 'name', 'sellThrough', 'daysOfCover'], rows: data.locations };
    case 'stockouts':
      return { columns: ['sku', 'ordersAffected'], rows: data.stockouts };
  }
}
