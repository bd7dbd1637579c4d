/**
 * Both simulators on ephemeral ports, an in-memory platform and the orders area's flows, seeded
 * with a small catalog (the same SKUs on both sides), MSI sources per Heartland location and the
 * connector settings an installer would save.
 */
import { startHeartlandSimulator, DEFAULT_TOKEN } from '../../../sandbox/heartland/server';
import { startCommerceSimulator } from '../../../sandbox/commerce/server';
import { createHeartlandClient } from '../../../lib/heartland/client';
import { createCommerceClient } from '../../../lib/commerce/client';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../../lib/platform/memory';
import { systemClock, type Platform } from '../../../lib/platform/ports';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { createSyncRegistry, runRegisteredUnit, type SyncDeps, type UnitInput } from '../../../lib/sync';
import { ordersArea } from '../../../lib/flows/orders';
import '../../../lib/connector/clients';

export interface OrdersHarnessOptions {
  /** Settings saved on top of the seeded ones. */
  settings?: Record<string, unknown>;
  /** Save no payment/shipping/location maps (exercise the mapping document's defaults). */
  bareSettings?: boolean;
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path.replace(/^\//, ''), base), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return { status: res.status, body: text ? JSON.parse(text) : undefined, location: res.headers.get('location') };
}

export async function startOrdersHarness(options: OrdersHarnessOptions = {}) {
  const heartlandSim = await startHeartlandSimulator({ port: 0, host: '127.0.0.1', notify: { enabled: false } });
  const commerceSim = await startCommerceSimulator({ port: 0, host: '127.0.0.1' });
  const hl = createHeartlandClient({ baseUrl: heartlandSim.url, token: DEFAULT_TOKEN, ratePerSecond: 500, maxAttempts: 2 });
  const commerce = createCommerceClient({ baseUrl: commerceSim.url, auth: { kind: 'bearer', token: 'sandbox-commerce-token' }, storeCode: 'default', ratePerSecond: 500, maxAttempts: 2 });
  const platform: Platform = {
    state: createMemoryStateStore(systemClock),
    files: createMemoryFileStore(),
    invoker: { invoke: async () => ({ activationId: 'test' }) },
    clock: systemClock,
    logger: createMemoryLogger(),
  };
  const deps: SyncDeps = {
    platform,
    registry: createSyncRegistry({ flows: ordersArea.flows, feeds: ordersArea.feeds }),
    clients: { heartland: () => hl, commerce: () => commerce },
    options: { leaseSettleMs: 0, backoffBaseMs: 5, backoffCapMs: 20, triesPerAttempt: 1 },
  };
  const heartlandRoot = heartlandSim.url.replace(/api\/$/, '');
  const heartlandApi = (method: string, path: string, body?: unknown) => call(heartlandSim.url, method, path, body, { authorization: `Bearer ${DEFAULT_TOKEN}` });
  const heartlandControl = (method: string, path: string, body?: unknown) => call(heartlandRoot, method, `__sim/${path}`, body);
  const magentoApi = (method: string, path: string, body?: unknown) => call(commerceSim.url, method, `rest/default/V1/${path.replace(/^\//, '')}`, body, { authorization: 'Bearer sandbox-commerce-token' });
  const magentoControl = (method: string, path: string, body?: unknown) => call(commerceSim.url, method, `__sim/${path}`, body);

  const seeded = (await heartlandControl('POST', 'seed', { items: 4, locations: 2, seed: 7, stock: { min: 20, max: 30 } })).body as {
    locations: number[];
    stations: number[];
    items: { firstId: number; lastId: number };
    paymentTypes: Record<string, number>;
    shippingMethods: Record<string, number>;
  };
  const items: Array<{ id: number; sku: string; price: number }> = [];
  for (let id = seeded.items.firstId; id <= seeded.items.lastId; id++) {
    const item = (await heartlandApi('GET', `items/${id}`)).body as { id: number; public_id: string; price: number };
    items.push({ id: item.id, sku: item.public_id, price: item.price });
  }
  const sources = seeded.locations.map((_, i) => `store_${i + 1}`);
  await magentoControl('POST', 'seed', { skus: items.map((i) => i.sku), sources, quantity: { min: 40, max: 40 } });
  if (!options.bareSettings) {
    await saveConnectorSettings(platform.state, {
      stationId: String(seeded.stations[0]),
      sourceLocationId: String(seeded.locations[0]),
      locationToSource: seeded.locations.map((id, i) => ({ locationId: String(id), sourceCode: sources[i] })),
      paymentMethodMap: [
        { magentoCode: 'checkmo', paymentTypeId: String(seeded.paymentTypes.Check) },
        { magentoCode: '*', paymentTypeId: String(seeded.paymentTypes.Web) },
      ],
      shippingMethodMap: [{ magentoCode: 'flatrate_flatrate', heartlandShippingMethodId: String(seeded.shippingMethods.Ground) }],
    });
  } else {
    await saveConnectorSettings(platform.state, { stationId: String(seeded.stations[0]), sourceLocationId: String(seeded.locations[0]) });
  }
  if (options.settings) await saveConnectorSettings(platform.state, options.settings);

  const address = (type: 'billing' | 'shipping') => ({
    address_type: type, firstname: 'Jane', lastname: 'Doe', street: ['123 Oak Ave'], city: 'Purchase', region: 'New York', region_code: 'NY',
    postcode: '10577', country_id: 'US', telephone: '512-555-1111', email: 'jane@example.com',
  });

  /** Places a Magento order (REST, as checkout would) and answers the stored order. */
  async function placeOrder(lines: Array<{ sku: string; qty: number; price: number; tax?: number }>, extra: Record<string, unknown> = {}) {
    const subtotal = lines.reduce((s, l) => s + l.qty * l.price, 0);
    const tax = lines.reduce((s, l) => s + (l.tax ?? 0), 0);
    const grand = Math.round((subtotal + tax + 5) * 100) / 100;
    const res = await magentoApi('POST', 'orders', {
      entity: {
        state: 'processing', status: 'processing', customer_email: 'jane@example.com', customer_firstname: 'Jane', customer_lastname: 'Doe', customer_is_guest: 1,
        items: lines.map((l) => ({ sku: l.sku, qty_ordered: l.qty, price: l.price, row_total: l.qty * l.price, tax_amount: l.tax ?? 0, product_type: 'simple' })),
        subtotal, tax_amount: tax, shipping_amount: 5, grand_total: grand, base_grand_total: grand,
        billing_address: address('billing'),
        payment: { method: 'checkmo', amount_ordered: grand },
        extension_attributes: { shipping_assignments: [{ shipping: { address: address('shipping'), method: 'flatrate_flatrate', total: { shipping_amount: 5 } } }] },
        ...extra,
      },
    });
    return res.body as { entity_id: number; increment_id: string; grand_total: number; items: Array<{ item_id: number; sku: string }> };
  }

  const run = (unit: Omit<UnitInput, 'trigger'> & { trigger?: UnitInput['trigger'] }) => runRegisteredUnit({ trigger: 'event', ...unit } as UnitInput, deps);

  async function heartlandOrders(incrementId: string) {
    const filter = encodeURIComponent(JSON.stringify({ 'custom@ecommerce_number': incrementId }));
    return ((await heartlandApi('GET', `sales/orders?_filter=${filter}&per_page=100`)).body as { results: Array<Record<string, any>> }).results;
  }
  const list = async (path: string) => ((await heartlandApi('GET', `${path}${path.includes('?') ? '&' : '?'}per_page=1000`)).body as { results: Array<Record<string, any>> }).results;

  return {
    hl, commerce, deps, platform, seeded, items, sources,
    heartlandApi, heartlandControl, magentoApi, magentoControl,
    placeOrder, run, heartlandOrders, list,
    async close() {
      await Promise.all([heartlandSim.close(), commerceSim.close()]);
    },
  };
}

export type OrdersHarness = Awaited<ReturnType<typeof startOrdersHarness>>;
