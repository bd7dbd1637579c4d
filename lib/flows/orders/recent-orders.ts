/**
 * The recent web orders the fraud score compares an order with: one compact file per UTC day in
 * the FileStore (`insights/recent-orders/<yyyymmdd>.json`), read as today's and yesterday's. One
 * read per order instead of the state store's slow, eventually consistent `list`.
 *
 * Appending is read, write, re-read: two orders appended at the same moment may overwrite each
 * other, so the writer re-reads and appends again until its entry is there (the same approach as
 * the anomaly day index; there is no compare-and-set on files either).
 */
import type { Clock, FileStore } from '../../platform/ports';
import type { PastOrder } from '../../insights';

export interface RecentOrder extends PastOrder {
  /** Magento order entity id: an order re-run (retry, event and poll) is remembered once. */
  orderId: string;
}

const FOLDER = 'insights/recent-orders/';
/** A day's file never grows past this many orders (the oldest go first); the baseline needs far fewer. */
export const RECENT_ORDERS_PER_DAY = 5000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
export const recentOrdersPath = (ms: number) => `${FOLDER}${dayOf(ms)}.json`;

async function readDay(files: FileStore, path: string): Promise<RecentOrder[]> {
  const data = await files.read(path);
  if (!data) return [];
  try {
    const parsed = JSON.parse(data.toString('utf8')) as { orders?: RecentOrder[] };
    return Array.isArray(parsed.orders) ? parsed.orders : [];
  } catch {
    // A torn or hand-edited file must not stop orders: start the day's record again.
    return [];
  }
}

/** Today's and yesterday's orders (UTC), oldest first. */
export async function readRecentOrders(files: FileStore, nowMs: number): Promise<RecentOrder[]> {
  const [yesterday, today] = await Promise.all([readDay(files, recentOrdersPath(nowMs - 86_400_000)), readDay(files, recentOrdersPath(nowMs))]);
  return [...yesterday, ...today];
}

/** Adds the order to today's record unless it is there already. */
export async function rememberRecentOrder(files: FileStore, clock: Clock, order: RecentOrder): Promise<void> {
  const path = recentOrdersPath(clock.now());
  for (let attempt = 0; attempt < 5; attempt++) {
    const orders = await readDay(files, path);
    if (orders.some((o) => o.orderId === order.orderId)) return;
    await files.write(path, JSON.stringify({ orders: [...orders, order].slice(-RECENT_ORDERS_PER_DAY) }));
    const check = await readDay(files, path);
    if (check.some((o) => o.orderId === order.orderId)) return;
    await clock.sleep(10 + Math.floor(Math.random() * 40));
  }
}
