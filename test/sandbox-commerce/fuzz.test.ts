/** Any body on any route answers with a Magento-shaped status below 500 (never a crash or a masked 500). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../sandbox/commerce/routes';
import { startSim } from '../commerce/helpers';

let env: Awaited<ReturnType<typeof startSim>>;

beforeAll(async () => {
  env = await startSim();
  await env.control('POST', '/__sim/seed', { seed: 3, products: 4, sources: ['a'], customers: 2, orders: 3 });
});
afterAll(async () => env.sim.close());

const paramValue = fc.oneof(fc.constantFrom('1', '2', '3', '0', 'SKU-00001', 'a', 'default', 'x y', '-1', '1.5'), fc.string({ minLength: 1, maxLength: 8 }));
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ entity: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ items: fc.array(fc.record({ order_item_id: fc.jsonValue({ maxDepth: 0 }), qty: fc.jsonValue({ maxDepth: 0 }) }), { maxLength: 3 }) }),
  fc.record({ customer: fc.dictionary(fc.constantFrom('email', 'firstname', 'lastname', 'addresses', 'website_id'), fc.jsonValue({ maxDepth: 1 })) }),
  fc.record({ product: fc.dictionary(fc.constantFrom('sku', 'name', 'price', 'extension_attributes', 'custom_attributes'), fc.jsonValue({ maxDepth: 1 })) }),
  fc.record({ sourceItems: fc.array(fc.dictionary(fc.constantFrom('sku', 'source_code', 'quantity', 'status'), fc.jsonValue({ maxDepth: 0 })), { maxLength: 3 }) }),
  fc.record({ giftcardAccount: fc.dictionary(fc.constantFrom('code', 'balance', 'state', 'date_expires'), fc.jsonValue({ maxDepth: 0 })) }),
  fc.record({ statusHistory: fc.dictionary(fc.constantFrom('comment', 'status', 'is_customer_notified'), fc.jsonValue({ maxDepth: 0 })) }),
);

describe('fuzzed requests', () => {
  it('never answer 5xx', async () => {
    const routes = allRoutes().map((r) => {
      const [method, template] = r.split(' ');
      return { method: method!, template: template! };
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.array(paramValue, { minLength: 4, maxLength: 4 }), body, fc.boolean(), async (route, params, payload, bulk) => {
        let i = 0;
        const path = route.template.replace(/:\w+/g, () => encodeURIComponent(params[i++]!));
        const prefix = bulk && route.method !== 'GET' ? '/rest/all/async/bulk' : '/rest/default';
        const res = await env.rest(route.method, `${prefix}${path}${route.method === 'GET' ? '?searchCriteria[pageSize]=2' : ''}`, route.method === 'GET' ? undefined : bulk ? [payload] : payload);
        expect(res.status, `${route.method} ${path} ${JSON.stringify(payload)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status >= 400) expect(typeof res.body.message).toBe('string');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: Number(process.env.FUZZ_SEED ?? 42) },
    );
    await new Promise((r) => setTimeout(r, 30)); // let queued bulk operations run: they must not crash the server either
    expect((await env.control('GET', '/__sim/health')).status).toBe(200);
  });
});
