/**
 * GET insights/channels: web (Magento) and store (Heartland) sales side by side for a range of
 * days, read from the daily aggregates the scheduler keeps in the FileStore (lib/insights/channels,
 * fed by lib/flows/channel-insights, which keeps the last 31 days computed). A request reads stored
 * aggregates only; a day with none (older than the kept month) is computed on read, a couple at
 * most, the rest answered 503 while the scheduler collects them. A range is at most 31 days.
 * Definitions (web net = invoiced − refunded by document date, store net = tickets − returns) and
 * their ASSUMED points are in lib/insights/channels/day-aggregate.ts.
 */
import type { InsightsResponse } from './contract';
import { channelInsightsFromAggregates, MAX_INSIGHT_DAYS, type ChannelInsightsOptions } from '../insights/channels';
import type { AdminContext } from './context';

export { MAX_INSIGHT_DAYS };

export async function channelInsights(query: { from?: string; to?: string }, ctx: AdminContext, options: ChannelInsightsOptions = {}): Promise<InsightsResponse> {
  const scope = { correlationId: ctx.correlationId, logger: ctx.logger };
  const clients = { heartland: ctx.deps.clients!.heartland!(scope), commerce: ctx.deps.clients!.commerce!(scope) };
  return channelInsightsFromAggregates(query, ctx.deps.platform, clients, options);
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
