/**
 * Small reads the Heartland → Magento flows share: a record that may be gone, and how a Heartland
 * line finds its Magento order item (through the line links the order flow wrote, issue 7).
 */
import type { HeartlandClient } from '../../heartland/client';
import { UpstreamError } from '../../platform/http';
import type { FlowContext } from '../../sync';
import { ORDER_LINE_LINK } from './order-flow';

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
 * simulator's invoice lines carry it; ASSUMED for real Heartland) are exact; the rest go through
 * the order's lines with that item.
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
  let orderLines: Array<{ id: number; item_id: number }> | undefined;
  for (const line of lines) {
    if (line.item_id == null || out.has(String(line.item_id))) continue;
    let magentoItem = line.order_line_id != null ? await viaLine(line.order_line_id) : undefined;
    if (magentoItem === undefined) {
      orderLines ??= await hl.orders.listLines(heartlandOrderId);
      for (const ol of orderLines.filter((l) => l.item_id === line.item_id)) {
        magentoItem = await viaLine(ol.id);
        if (magentoItem !== undefined) break;
      }
    }
    if (magentoItem !== undefined) out.set(String(line.item_id), magentoItem);
  }
  return out;
}
