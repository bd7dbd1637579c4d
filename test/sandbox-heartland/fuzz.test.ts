/**
 * Whatever a client sends, the simulator answers with a documented shape and never a 500:
 * random `_filter` values, random query strings and random JSON bodies on every write route.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';

let sim: HeartlandSimulator;
const AUTH = { authorization: 'Bearer sandbox-heartland-token', 'content-type': 'application/json' };

beforeAll(async () => {
  sim = await startHeartlandSimulator({ port: 0 });
  await fetch(sim.url.replace(/api\/$/, '__sim/seed'), { method: 'POST', body: JSON.stringify({ items: 10, locations: 2, customers: 2 }) });
});
afterAll(() => sim.close());

async function expectDocumented(res: Response) {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) {
    const body = (await res.json()) as { error: unknown; message: unknown };
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
  } else {
    await res.arrayBuffer();
  }
}

const COLLECTIONS = ['items', 'customers', 'locations', 'sales/orders', 'sales/invoices', 'sales/tickets', 'inventory/values', 'inventory/transactions', 'gift_cards', 'payments'];
const FIELDS = ['id', 'public_id', 'status', 'custom@color', 'custom@', 'price', 'item_id', 'location_id', '$or', '$and', '$in', 'nope'];
const OPS = ['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$or', '$and', '$bogus'];

const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }));
const condition = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...OPS), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.object({ maxDepth: 1 })), { maxKeys: 2 }),
);
const filter = fc.letrec((tie) => ({
  obj: fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(condition, fc.array(tie('obj'), { maxLength: 2 })), { maxKeys: 3 }),
})).obj;

describe('fuzzing the collection engine and write routes', () => {
  it('random _filter JSON never yields a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COLLECTIONS), fc.oneof(filter, fc.array(filter, { maxLength: 2 }), scalar), async (collection, f) => {
        await expectDocumented(await fetch(`${sim.url}${collection}?_filter=${encodeURIComponent(JSON.stringify(f))}`, { headers: AUTH }));
      }),
      { numRuns: 150 },
    );
  });

  it('random query strings never yield a 5xx', async () => {
    const key = fc.constantFrom('page', 'per_page', 'sort[]', '_only[]', '_include[]', 'group[]', 'query', '_filter', '_filter[]', '_filter[id][$gt]', '_filter[id][$in][]', '_filter[a][][b]', '_filter[', 'location_id');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COLLECTIONS), fc.array(fc.tuple(key, fc.string({ maxLength: 8 })), { maxLength: 5 }), async (collection, pairs) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&');
        await expectDocumented(await fetch(`${sim.url}${collection}?${qs}`, { headers: AUTH }));
      }),
      { numRuns: 150 },
    );
  });

  it('random JSON bodies on write routes never yield a 5xx', async () => {
    const routes: Array<[string, string]> = [
      ['POST', 'items'], ['POST', 'customers'], ['POST', 'customers/100001/addresses'], ['POST', 'sales/orders'], ['PUT', 'sales/orders/100001'],
      ['POST', 'sales/orders/100001/lines'], ['POST', 'sales/orders/100001/payments'], ['POST', 'sales/invoices'], ['POST', 'sales/tickets'],
      ['POST', 'inventory/adjustment_sets'], ['POST', 'gift_cards'], ['POST', 'gift_card/adjustments'], ['PUT', 'items/100001'], ['PUT', 'settings/x'],
    ];
    await fetch(sim.url + 'sales/orders', { method: 'POST', headers: AUTH, body: JSON.stringify({ source_location_id: 100001, station_id: 100001 }) });
    const body = fc.oneof(
      fc.object({ maxDepth: 2 }),
      fc.record({ item_id: scalar, qty: scalar, first_name: scalar, last_name: scalar, status: scalar, custom: fc.oneof(scalar, fc.object({ maxDepth: 1 })), lines: fc.oneof(scalar, fc.array(fc.object({ maxDepth: 1 }), { maxLength: 2 })) }, { requiredKeys: [] }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path], b) => {
        await expectDocumented(await fetch(sim.url + path, { method, headers: AUTH, body: JSON.stringify(b) }));
      }),
      { numRuns: 200 },
    );
  });
});
