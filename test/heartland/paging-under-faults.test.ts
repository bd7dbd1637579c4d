/**
 * Issue 3 acceptance: with 30% injected 429/503 faults, a full paged read of 10,000 inventory rows
 * completes with no missing or repeated row and never exceeds the configured rate, measured by
 * request arrival times at the simulator (max requests in any rolling 1 s window ≤ rate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { createHeartlandClient, type HeartlandClient } from '../../lib/heartland/client';

const RATE = 50;
let sim: HeartlandSimulator;
let root: string;
let hl: HeartlandClient;

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(root + '__sim/' + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.status === 204 ? undefined : res.json();
}

function maxInRollingSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= 1000) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

beforeAll(async () => {
  sim = await startHeartlandSimulator({ port: 0 });
  root = sim.url.replace(/api\/$/, '');
  await control('POST', 'seed', { items: 5000, locations: 2, seed: 11 });
  hl = createHeartlandClient({
    baseUrl: sim.url, token: 'sandbox-heartland-token', ratePerSecond: RATE, concurrency: 4,
    // 30% of requests fail; 10 attempts make a page failing every time vanishingly unlikely (0.3^10).
    maxAttempts: 10, backoffBaseMs: 20, backoffCapMs: 200,
  });
});
afterAll(() => sim.close());

async function withFaults(read: () => Promise<Array<{ item_id?: number; location_id?: number }>>) {
  await control('DELETE', 'faults');
  await control('DELETE', 'counters');
  // 15% 429 with Retry-After, then 15% of all requests as 503 (0.15 / 0.85 of the rest).
  await control('POST', 'faults', { status: 429, retryAfter: 0.05, rate: 0.15, path: '^/inventory/values', seed: 5 });
  await control('POST', 'faults', { status: 503, rate: 0.15 / 0.85, path: '^/inventory/values', seed: 6 });
  const rows = await read();
  await control('DELETE', 'faults');
  const { requests } = (await control('GET', 'requests')) as { requests: Array<{ t: number; status: number }> };
  return { rows, requests };
}

function checkRows(rows: Array<{ item_id?: number; location_id?: number }>) {
  const keys = rows.map((r) => `${r.item_id}:${r.location_id}`);
  expect(keys).toHaveLength(10_000);
  expect(new Set(keys).size).toBe(10_000);
}

describe('full inventory read under 30% faults', () => {
  it('page-based: every row exactly once, within the rate', async () => {
    const { rows, requests } = await withFaults(async () => {
      const out = [];
      for await (const row of hl.inventory.iterateValues({ perPage: 100 })) out.push(row);
      return out;
    });
    checkRows(rows);
    const faulted = requests.filter((r) => r.status === 429 || r.status === 503).length;
    expect(faulted / requests.length).toBeGreaterThan(0.15); // the faults really happened
    expect(requests.length).toBe(100 + faulted);
    expect(maxInRollingSecond(requests.map((r) => r.t))).toBeLessThanOrEqual(RATE);
  }, 20_000);

  it('item keyset: every row exactly once, within the rate', async () => {
    const { rows, requests } = await withFaults(async () => {
      const out = [];
      for await (const row of hl.inventory.iterateValuesByItem({ perPage: 101 })) out.push(row);
      return out;
    });
    checkRows(rows);
    expect(requests.some((r) => r.status === 429)).toBe(true);
    expect(requests.some((r) => r.status === 503)).toBe(true);
    expect(maxInRollingSecond(requests.map((r) => r.t))).toBeLessThanOrEqual(RATE);
  }, 20_000);
});
