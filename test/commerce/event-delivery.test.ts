/**
 * I/O Events delivery from the simulator to a consumer: with 20% consumer failures (5xx/429) and
 * duplicates on, every saved order is delivered at least once; the journal pages from a position and
 * replays. Retries run on the I/O schedule scaled down 10,000× (1 min ≈ 6 ms).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommerceEvent } from '../../lib/commerce/events';
import { prng } from '../../sandbox/commerce/seed';
import { clientFor, orderEntity, startSim } from './helpers';

interface Received {
  body: Record<string, any>;
  headers: IncomingMessage['headers'];
}

const received: Received[] = [];
let failures = 0;
let consumer: ReturnType<typeof createServer>;
let consumerUrl: string;
let env: Awaited<ReturnType<typeof startSim>>;

beforeAll(async () => {
  const dice = prng(7);
  consumer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (dice() < 0.2) {
        failures++;
        res.writeHead(failures % 2 ? 502 : 429).end();
        return;
      }
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"activationId":"x"}');
    });
  });
  await new Promise<void>((r) => consumer.listen(0, '127.0.0.1', r));
  consumerUrl = `http://127.0.0.1:${(consumer.address() as AddressInfo).port}/api/v1/namespaces/guest/actions/connector/commerce-events`;
  env = await startSim({
    eventsTarget: { url: consumerUrl, authorization: 'Basic c2FuZGJveDpzZWNyZXQ=' },
    events: { duplicateRate: 0.25, reorderRate: 0.2, reorderMaxDelayMs: 30, timeScale: 0.0001 },
  });
  await env.control('POST', '/__sim/seed', { skus: ['EV-1', 'EV-2'], sources: ['s1'], quantity: { min: 100, max: 100 } });
});
afterAll(async () => {
  await env.sim.close();
  await new Promise((r) => consumer.close(r));
});

const orderEvents = () => received.filter((r) => r.body.type === 'com.adobe.commerce.observer.sales_order_save_commit_after');

async function waitFor(cond: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('I/O Events delivery', () => {
  it('delivers every saved order at least once despite 20% failures, with duplicates', async () => {
    const client = clientFor(env.sim.url);
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await client.orders.save(orderEntity([{ sku: i % 2 ? 'EV-1' : 'EV-2', qty: 1, price: 10 }], { customer_email: `ev${i}@example.com` }))).entity_id);
    await waitFor(() => ids.every((id) => orderEvents().some((e) => e.body.data.value.entity_id === String(id))));
    expect(failures).toBeGreaterThan(0);
    // Duplicates: the same eventid arrives more than once for some events.
    const counts = new Map<string, number>();
    for (const e of orderEvents()) counts.set(e.body.eventid, (counts.get(e.body.eventid) ?? 0) + 1);
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
    // Retries carry x-adobe-retry-count; every delivery carries the consumer's Authorization.
    expect(received.some((r) => Number(r.headers['x-adobe-retry-count']) >= 1)).toBe(true);
    expect(received.every((r) => r.headers.authorization === 'Basic c2FuZGJveDpzZWNyZXQ=')).toBe(true);
    expect(received.every((r) => r.headers['x-adobe-event-id'] === r.body.eventid)).toBe(true);
    // What the simulator sends is what the connector's parser reads, DB-typed strings included.
    const sample = orderEvents()[0]!.body;
    expect(typeof sample.data.value.grand_total).toBe('string');
    expect(sample.data.value.grand_total).toMatch(/^\d+\.\d{4}$/);
    const parsed = parseCommerceEvent(sample);
    expect(parsed.kind).toBe('order');
    if (parsed.kind === 'order') expect(parsed.value.grand_total).toBe(15); // 10 + 5 shipping
    const deliveries = (await env.control('GET', '/__sim/events/deliveries')).body as { status: string }[];
    expect(deliveries.filter((d) => d.status === 'pending')).toHaveLength(0);
  });

  it('the journal pages from an exclusive position and replays from it', async () => {
    const first = await env.control('GET', '/__sim/events?since=0&limit=10');
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(10);
    expect(first.body.events[0].position).toBe('1');
    expect(first.body._page).toEqual({ last: '10', count: 10 });
    expect(first.headers.get('link')).toContain('since=10');
    const all = await env.control('GET', '/__sim/events?since=0&limit=1000');
    const lastPosition = Number(all.body._page.last);
    const end = await env.control('GET', `/__sim/events?since=${lastPosition}`);
    expect(end.status).toBe(204);
    expect(end.headers.get('retry-after')).toBe('10');

    const since = lastPosition - 5;
    const tail = await env.control('GET', `/__sim/events?since=${since}`);
    expect(tail.body.events.map((e: { position: string }) => Number(e.position))).toEqual([since + 1, since + 2, since + 3, since + 4, since + 5]);
    const before = received.length;
    await env.control('PUT', '/__sim/events/settings', { duplicateRate: 0 });
    const replay = await env.control('POST', '/__sim/events/replay', { since });
    expect(replay.body).toEqual({ replayed: 5 });
    const replayedIds = tail.body.events.map((e: { event: { eventid: string } }) => e.event.eventid);
    await waitFor(() => replayedIds.every((id: string) => received.slice(before).some((r) => r.body.eventid === id)));
  });

  it('deliveries cut short by a restart resume from the persisted journal', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startCommerceSimulator } = await import('../../sandbox/commerce/server');
    const dir = mkdtempSync(join(tmpdir(), 'commerce-events-'));
    const down = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    try {
      const first = await startCommerceSimulator({ port: 0, dataDir: dir, eventsTarget: { url: `http://127.0.0.1:${(down.address() as AddressInfo).port}/` } });
      await fetch(`${first.url}__sim/seed`, { method: 'POST', body: JSON.stringify({ skus: ['RS-1'], sources: ['s'], quantity: { min: 5, max: 5 } }) });
      const order = (await clientFor(first.url).orders.save(orderEntity([{ sku: 'RS-1', qty: 1, price: 1 }]))) as { entity_id: number };
      await new Promise((r) => setTimeout(r, 50));
      await first.close();
      const before = received.length;
      const second = await startCommerceSimulator({ port: 0, dataDir: dir, eventsTarget: { url: consumerUrl }, events: { timeScale: 0.0001 } });
      try {
        await waitFor(() => received.slice(before).some((r) => r.body.data.value.entity_id === String(order.entity_id)));
      } finally {
        await second.close();
      }
    } finally {
      await new Promise((r) => down.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad settings with a named field', async () => {
    const res = await env.control('PUT', '/__sim/events/settings', { duplicateRate: 2 });
    expect(res.status).toBe(400);
    expect(res.body.parameters.fieldName).toBe('duplicateRate');
  });
});
