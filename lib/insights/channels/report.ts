/**
 * The Insights document (admin-api `insights/channels`, `hcc report channels`) assembled from the
 * stored daily aggregates: the days are summed in cents and converted to money once, so the
 * totals equal the sum of the day rows exactly.
 */
import pLimit from 'p-limit';
import type { ChannelTotals, InsightsResponse, LocationInsight, TopSku } from '../../admin/contract';
import type { HeartlandClient } from '../../heartland/client';
import { createLinkStore, getDeadLetter, listDeadLetters } from '../../sync';
import type { Platform } from '../../platform/ports';
import type { ChannelDayTally, DayAggregate, SkuTally } from './day-aggregate';
import type { HeldForStock } from './held-orders';
import type { StockSnapshot } from './stock';

const TOP = 10;
/** Customers checked against the link store per request (each is one state read). */
const MAX_CUSTOMER_LOOKUPS = 1000;
/** Dead letters read per request for stock-outs. */
const MAX_STOCKOUT_LETTERS = 200;

const cents = (c: number) => Math.round(c) / 100;

interface Sum {
  netCents: number;
  orders: number;
  units: number;
}
const totals = (s: Sum): ChannelTotals => ({ netSales: cents(s.netCents), orders: s.orders, units: s.units, aov: s.orders > 0 ? cents(Math.round(s.netCents / s.orders)) : 0 });

function mergeSkus(into: Map<string, SkuTally>, skus: Record<string, SkuTally>) {
  for (const [key, [units, c]] of Object.entries(skus)) {
    const row = into.get(key) ?? [0, 0];
    row[0] += units;
    row[1] += c;
    into.set(key, row);
  }
}
const topOf = (map: Map<string, SkuTally>): Array<{ key: string; units: number; cents: number }> =>
  [...map.entries()]
    .map(([key, [units, c]]) => ({ key, units, cents: c }))
    .sort((a, b) => b.units - a.units || b.cents - a.cents || a.key.localeCompare(b.key))
    .slice(0, TOP);

function mergeCustomers(into: Map<string, number>, customers: Record<string, number>) {
  for (const [id, c] of Object.entries(customers)) into.set(id, (into.get(id) ?? 0) + c);
}

export interface ReportDeps {
  heartland: HeartlandClient;
  platform: Platform;
}

/**
 * Stock-outs that cost web orders within [fromMs, toMs), per SKU: web orders dead-lettered because
 * Heartland does not stock the SKU (the order flow's `unknown_sku`) or refused them for stock, plus
 * the web orders `held` waiting for stock at their ship-from location in the stock snapshot of the
 * period's end (lib/insights/channels/held-orders). An order counts once per SKU.
 */
export async function stockoutsBetween(range: { fromMs: number; toMs: number }, platform: Platform, held: HeldForStock[] = []): Promise<Array<{ sku: string; ordersAffected: number }>> {
  const letters = (await listDeadLetters({ flow: 'order' }, { platform }))
    .filter((d) => Date.parse(d.lastSeen) >= range.fromMs && Date.parse(d.firstSeen) < range.toMs)
    .filter((d) => d.field === 'lines.sku' || /\bSKUs?\b.*not found|stock|inventory|quantit/i.test(d.error))
    .slice(0, MAX_STOCKOUT_LETTERS);
  const bySku = new Map<string, Set<string>>();
  const add = (sku: string, order: string) => bySku.set(sku, (bySku.get(sku) ?? new Set()).add(order));
  for (const letter of letters) {
    const { payload } = await getDeadLetter(letter.id, { platform });
    const value = payload?.error.value;
    const skus = typeof value === 'string' && value.trim() !== '' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const fromMessage = /\bSKU\s+"?([A-Za-z0-9._\-/]+)"?/i.exec(letter.error)?.[1];
    for (const sku of skus.length ? skus : fromMessage ? [fromMessage] : []) add(sku, `dead-letter ${letter.key}`);
  }
  for (const h of held) for (const order of h.orders) add(h.sku, `held ${order}`);
  return [...bySku.entries()].map(([sku, keys]) => ({ sku, ordersAffected: keys.size })).sort((a, b) => b.ordersAffected - a.ordersAffected || a.sku.localeCompare(b.sku));
}

/** Builds the Insights document for `days` (ascending) from their aggregates (every day must have one). */
export async function buildInsights(
  range: { from: string; to: string; days: string[] },
  aggregates: Map<string, DayAggregate>,
  stock: StockSnapshot | undefined,
  deps: ReportDeps,
): Promise<InsightsResponse> {
  const sum = { web: { netCents: 0, orders: 0, units: 0 }, store: { netCents: 0, orders: 0, units: 0 } };
  const skus = { web: new Map<string, SkuTally>(), store: new Map<string, SkuTally>() };
  const customers = { web: new Map<string, number>(), store: new Map<string, number>() };
  const soldAtLocation = new Map<string, number>();
  const days: InsightsResponse['days'] = [];
  for (const date of range.days) {
    const aggregate = aggregates.get(date);
    if (!aggregate) throw new Error(`channel insights: no aggregate for ${date}`);
    for (const channel of ['web', 'store'] as const) {
      const tally: ChannelDayTally = aggregate[channel];
      days.push({ date, channel, ...totals(tally) });
      sum[channel].netCents += tally.netCents;
      sum[channel].orders += tally.orders;
      sum[channel].units += tally.units;
      mergeSkus(skus[channel], tally.skus);
      mergeCustomers(customers[channel], tally.customers);
    }
    for (const [loc, units] of Object.entries(aggregate.store.unitsByLocation)) soldAtLocation.set(loc, (soldAtLocation.get(loc) ?? 0) + units);
  }

  const webTop: TopSku[] = topOf(skus.web).map((r) => ({ sku: r.key, units: r.units, netSales: cents(r.cents) }));
  const storeTopRaw = topOf(skus.store);
  // Store lines carry Heartland item ids; only the best sellers are turned into SKUs.
  // ASSUMED: a Heartland item's `public_id` is its SKU (the product flow writes it that way).
  const items = storeTopRaw.length ? await deps.heartland.items.getMany(storeTopRaw.map((t) => Number(t.key))) : [];
  const skuOfItem = new Map(items.map((i) => [String(i.id), i.public_id ?? String(i.id)]));
  const storeTop: TopSku[] = storeTopRaw.map((r) => ({ sku: skuOfItem.get(r.key) ?? `item ${r.key}`, units: r.units, netSales: cents(r.cents) }));

  const locations: LocationInsight[] = (stock?.locations ?? []).map((l) => {
    const sold = Math.max(0, soldAtLocation.get(l.locationId) ?? 0);
    return {
      locationId: l.locationId,
      name: l.name,
      sellThrough: sold + l.onHand > 0 ? Math.round((sold / (sold + l.onHand)) * 10_000) / 10_000 : 0,
      daysOfCover: sold > 0 ? Math.round((l.onHand / (sold / range.days.length)) * 10) / 10 : null,
    };
  });

  // Customers active in both channels: Heartland customers linked to a Magento customer who ordered.
  const links = createLinkStore(deps.platform.state, deps.platform.clock);
  let bothChannels = 0;
  let bothCents = 0;
  // One state read per store customer: a few at once, so a busy fortnight stays a quick page view.
  const limit = pLimit(16);
  await Promise.all(
    [...customers.store.entries()].slice(0, MAX_CUSTOMER_LOOKUPS).map(([heartlandId, storeCents]) =>
      limit(async () => {
        const link = await links.get('customer', 'heartland', heartlandId);
        const webCents = link ? customers.web.get(link.id) : undefined;
        if (webCents === undefined) return;
        bothChannels += 1;
        bothCents += storeCents + webCents;
      }),
    ),
  );
  const revenue = [...customers.web.values(), ...customers.store.values()].reduce((a, b) => a + b, 0);

  const fromMs = Date.parse(`${range.from}T00:00:00Z`);
  const toMs = Date.parse(`${range.to}T00:00:00Z`) + 86_400_000;
  return {
    from: range.from,
    to: range.to,
    days,
    topSkus: { web: webTop, store: storeTop },
    locations,
    // Orders held for stock are known as of a snapshot: counted when it was taken within the period.
    stockouts: await stockoutsBetween({ fromMs, toMs }, deps.platform, stock && stock.date >= range.from && stock.date <= range.to ? stock.heldForStock : []),
    customers: { bothChannels, shareOfRevenue: revenue > 0 ? Math.max(0, Math.min(1, Math.round((bothCents / revenue) * 10_000) / 10_000)) : 0 },
    totals: { web: totals(sum.web), store: totals(sum.store) },
  };
}
