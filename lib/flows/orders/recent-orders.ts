/**
 * The recent web orders the fraud score compares an order with, in the FileStore: per UTC day a
 * compact file (`insights/recent-orders/<yyyymmdd>.json`) plus one small file per order not yet
 * compacted (`insights/recent-orders/<yyyymmdd>/<order id>.json`). Reading today's and yesterday's
 * is two reads, a folder listing and the few uncompacted orders; never the state store's slow,
 * eventually consistent `list`.
 *
 * Why two kinds of file: the orders of a burst are handled at the same moment, and a shared file
 * appended by read-modify-write loses entries (there is no compare-and-set on files). Each order
 * writes only its own file; the scheduler's single writer (`compactRecentOrders`, under its lease)
 * folds them into the day's file.
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
const DAY_MS = 86_400_000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
export const recentOrdersPath = (ms: number) => `${FOLDER}${dayOf(ms)}.json`;
const pendingFolder = (ms: number) => `${FOLDER}${dayOf(ms)}/`;

function parse(data: Buffer | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    // A torn or hand-edited file must not stop orders: it is left out.
    return undefined;
  }
}

async function readCompacted(files: FileStore, ms: number): Promise<RecentOrder[]> {
  const parsed = parse(await files.read(recentOrdersPath(ms))) as { orders?: RecentOrder[] } | undefined;
  return Array.isArray(parsed?.orders) ? parsed.orders : [];
}

/**
 * Per-order files are written once per order (a re-run writes the same content again), so what a
 * container has read stays true until compaction deletes the file. Without this, every order of a
 * busy minute re-read every uncompacted order before it: quadratic in the orders between two
 * scheduler passes (≈9% of the connector's CPU in the order benchmark). Keyed by the FileStore so
 * two stores in one process (tests) never share entries; pruned to the folder's current listing.
 */
const pendingCache = new WeakMap<FileStore, Map<string, RecentOrder>>();

async function readPending(files: FileStore, ms: number): Promise<Array<{ path: string; order: RecentOrder }>> {
  const folder = pendingFolder(ms);
  const paths = (await files.list(folder)).filter((p) => p.endsWith('.json'));
  let known = pendingCache.get(files);
  if (!known) pendingCache.set(files, (known = new Map()));
  const listed = new Set(paths);
  for (const path of known.keys()) if (path.startsWith(folder) && !listed.has(path)) known.delete(path);
  const fresh = paths.filter((path) => !known.has(path));
  const read = await Promise.all(fresh.map(async (path) => ({ path, order: parse(await files.read(path)) as RecentOrder | undefined })));
  for (const r of read) if (r.order && typeof r.order.orderId === 'string') known.set(r.path, r.order);
  return paths.flatMap((path) => {
    const order = known.get(path);
    return order ? [{ path, order }] : [];
  });
}

async function readDay(files: FileStore, ms: number): Promise<RecentOrder[]> {
  const [compacted, pending] = await Promise.all([readCompacted(files, ms), readPending(files, ms)]);
  const seen = new Set(compacted.map((o) => o.orderId));
  return [...compacted, ...pending.map((p) => p.order).filter((o) => !seen.has(o.orderId))];
}

/** Today's and yesterday's orders (UTC), each once. */
export async function readRecentOrders(files: FileStore, nowMs: number): Promise<RecentOrder[]> {
  const [yesterday, today] = await Promise.all([readDay(files, nowMs - DAY_MS), readDay(files, nowMs)]);
  const seen = new Set(yesterday.map((o) => o.orderId));
  return [...yesterday, ...today.filter((o) => !seen.has(o.orderId))];
}

/** Remembers the order in today's record (its own file: concurrent orders never overwrite each other). */
export async function rememberRecentOrder(files: FileStore, clock: Clock, order: RecentOrder): Promise<void> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(order.orderId)) throw new TypeError(`recent order: orderId must be a Magento entity id, not ${JSON.stringify(order.orderId)}`);
  await files.write(`${pendingFolder(clock.now())}${order.orderId}.json`, JSON.stringify(order));
}

/**
 * Folds the per-order files of today and yesterday into the day files. Single writer only (the
 * scheduler pass): a file written while this runs is folded next time, and readers see an order
 * in both places for a moment, which `readRecentOrders` de-duplicates.
 */
export async function compactRecentOrders(files: FileStore, nowMs: number): Promise<{ folded: number }> {
  let folded = 0;
  for (const ms of [nowMs - DAY_MS, nowMs]) {
    const pending = await readPending(files, ms);
    if (pending.length === 0) continue;
    const compacted = await readCompacted(files, ms);
    const seen = new Set(compacted.map((o) => o.orderId));
    const merged = [...compacted, ...pending.map((p) => p.order).filter((o) => !seen.has(o.orderId))].sort((a, b) => a.placedAtMs - b.placedAtMs);
    await files.write(recentOrdersPath(ms), JSON.stringify({ orders: merged.slice(-RECENT_ORDERS_PER_DAY) }));
    for (const p of pending) await files.delete(p.path);
    folded += pending.length;
  }
  return { folded };
}
