/**
 * When did each Magento order become `open` in Heartland? Read from the Heartland simulator after a
 * run: the orders (by `custom.ecommerce_number`) and the simulator's request log, where the order
 * flow's last successful `PUT /api/sales/orders/<id>` is the one that opened it. Arrival time at the
 * simulator is the moment the merchant could see it (the simulator answers in the same tick).
 */
import { heartlandAll, type SimApi } from '../../sandbox/demo/sim-http';
import { readAgain as again } from './report';


export async function openTimes(hl: SimApi, heartlandUrl: string, since: number): Promise<Map<string, number>> {
  return again(() => readOpenTimes(hl, heartlandUrl, since));
}

async function readOpenTimes(hl: SimApi, heartlandUrl: string, since: number): Promise<Map<string, number>> {
  const orders = await heartlandAll<{ id: number; status: string; custom?: Record<string, unknown> }>(hl, 'sales/orders');
  const { requests } = (await (await fetch(new URL(`../__sim/requests?since=${since}`, heartlandUrl))).json()) as {
    requests: Array<{ t: number; method: string; path: string; status: number }>;
  };
  const lastPut = new Map<number, number>();
  for (const r of requests) {
    const m = r.method === 'PUT' && r.status < 300 ? /^\/api\/sales\/orders\/(\d+)$/.exec(r.path) : null;
    if (m) lastPut.set(Number(m[1]), Math.max(lastPut.get(Number(m[1])) ?? 0, r.t));
  }
  const opened = new Map<string, number>();
  for (const o of orders) {
    const number = o.custom?.ecommerce_number;
    const at = lastPut.get(o.id);
    if (o.status === 'open' && typeof number === 'string' && at !== undefined) opened.set(number, at);
  }
  return opened;
}

/** Heartland API calls (not /__sim/) since a time, from the request log, grouped by "METHOD /path-with-:id". */
export async function heartlandCallsSince(heartlandUrl: string, since: number): Promise<{ total: number; byEndpoint: Record<string, number> }> {
  const { requests } = (await again(async () => (await fetch(new URL(`../__sim/requests?since=${since}`, heartlandUrl))).json())) as { requests: Array<{ method: string; path: string }> };
  const byEndpoint: Record<string, number> = {};
  let total = 0;
  for (const r of requests) {
    if (r.path.includes('__sim')) continue;
    const key = `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
    total++;
  }
  return { total, byEndpoint };
}
