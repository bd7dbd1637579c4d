/**
 * Small reads the Heartland → Magento flows share: a record that may be gone, and how a Heartland
 * line finds its Magento order item (through the line links the order flow wrote, issue 7).
 */
import type { HeartlandClient } from '../../heartland/client';
import { UpstreamError } from '../../platform/http';
import type { FlowContext } from '../../sync';
import { ORDER_LINE_LINK } from './order-flow';
import { magentoItemsByHeartlandItem } from './order-items';

/** The record, or undefined when the upstream answers 404 (deleted: the unit is skipped as not-found). */
export async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 404) return undefined;
    throw error;
  }
}

/** Magento order id linked to a Heartland order, or undefined for orders the connector did not send. */
export async function magentoOrderFor(ctx: FlowContext, heartlandOrderId: number | null | undefined): Promise<number | undefined> {
  if (heartlandOrderId == null) return undefined;
  const link = await ctx.links.get('order', 'heartland', String(heartlandOrderId));
  return link?.system === 'commerce' && /^\d+$/.test(link.id) ? Number(link.id) : undefined;
}

export async function heartlandOrderFor(ctx: FlowContext, magentoOrderId: number | string): Promise<number | undefined> {
  const link = await ctx.links.get('order', 'commerce', String(magentoOrderId));
  return link?.system === 'heartland' && /^\d+$/.test(link.id) ? Number(link.id) : undefined;
}

/**
 * Heartland item id → Magento order item id for one order. Lines named by `order_line_id` (the
 * simulator's invoice lines carry it; ASSUMED for real Heartland) with a line link are exact
 * (orders sent line by line); then the order's item record (orders sent with inline lines,
 * order-items.ts); orders older than both go through the order's lines with that item.
 */
export async function orderItemsByHeartlandItem(
  hl: HeartlandClient,
  ctx: FlowContext,
  heartlandOrderId: number,
  lines: Array<{ item_id?: number | null; order_line_id?: number | null }>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const viaLine = async (lineId: number) => {
    const link = await ctx.links.get(ORDER_LINE_LINK, 'heartland', String(lineId));
    return link?.system === 'commerce' && /^\d+$/.test(link.id) ? Number(link.id) : undefined;
  };
  const unresolved: Array<{ item_id: number }> = [];
  for (const line of lines) {
    if (line.item_id == null || out.has(String(line.item_id))) continue;
    const magentoItem = line.order_line_id != null ? await viaLine(line.order_line_id) : undefined;
    if (magentoItem !== undefined) out.set(String(line.item_id), magentoItem);
    else unresolved.push({ item_id: line.item_id });
  }
  if (!unresolved.length) return out;
  const recorded = await magentoItemsByHeartlandItem(hl, ctx, heartlandOrderId);
  if (recorded) {
    for (const line of unresolved) {
      const magentoItem = recorded.get(line.item_id);
      if (magentoItem !== undefined && !out.has(String(line.item_id))) out.set(String(line.item_id), magentoItem);
    }
    return out;
  }
  let orderLines: Array<{ id: number; item_id: number }> | undefined;
  for (const line of unresolved) {
    if (out.has(String(line.item_id))) continue;
    orderLines ??= await hl.orders.listLines(heartlandOrderId);
    for (const ol of orderLines.filter((l) => l.item_id === line.item_id)) {
      const magentoItem = await viaLine(ol.id);
      if (magentoItem !== undefined) {
        out.set(String(line.item_id), magentoItem);
        break;
      }
    }
  }
  return out;
}
