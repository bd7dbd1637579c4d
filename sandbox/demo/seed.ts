/**
 * Demo seed: a Heartland account and a Magento store that look like one retailer on day one, and a
 * connector configured against them with the real ids the simulators handed out.
 *
 * - Heartland (through `/__sim/seed`, deterministic): N items in style × colour × size families at 3
 *   store locations with stock, reference data (payment types, shipping methods, reason codes) and a
 *   few customers.
 * - Magento (through the real REST API): the same SKUs as simple products (Heartland description as
 *   name, Heartland price), one MSI source per Heartland location (plus Magento's own `default`),
 *   source items equal to Heartland's available stock, and a few customers — two of them the same
 *   people as Heartland customers, so matching by email has something to show.
 * - The host's Heartland notification webhook, and the Gift Card payment type's custom-payment
 *   webhooks (check balance, capture, refund, void), registered with the simulator.
 * - Connector settings (`cfg.settings`) with station, fulfilment location, location → source map,
 *   payment and shipping method maps and the gift card payment type.
 *
 * Idempotent: every step first looks for what it would create, settings are written only on the
 * first seed (so a merchant's edits in the panel survive a restart), and the result is remembered
 * in the connector state key `demo.seeded`. Only the webhook URL is re-registered on every start,
 * because the host's port may have changed (re-registering the same URL changes nothing).
 */
import { createAioStateStore } from '../../lib/platform/state';
import type { StateStore } from '../../lib/platform/ports';
import { saveConnectorSettings } from '../../lib/config/connector-settings';
import type { Sandbox } from '../sandbox';
import { commerceAll, commerceApi, heartlandAll, heartlandApi, SimHttpError, type SimApi } from './sim-http';

export const DEMO_SEED_KEY = 'demo.seeded';
const YEAR_SECONDS = 365 * 24 * 3600;

export interface DemoLocation {
  id: number;
  name: string;
  /** MSI source fed by this location. */
  sourceCode: string;
  stationId: number;
}

export interface DemoItem {
  id: number;
  sku: string;
  name: string;
  price: number;
}

export interface DemoSeed {
  version: 1;
  seededAt: string;
  locations: DemoLocation[];
  /** MSI source codes, one per Heartland location, in the order of `locations`. */
  sourceCodes: string[];
  skus: string[];
  items: DemoItem[];
  /** Heartland web orders are rung up on this station and fulfilled from this location. */
  stationId: number;
  sourceLocationId: number;
  /** Heartland payment type name → id (Web, External, Gift Card, PayPal, Check). */
  paymentTypeIds: Record<string, number>;
  /** Heartland shipping method name → id (Ground, Express, Store Pickup). */
  shippingMethodIds: Record<string, number>;
  /** Heartland inventory adjustment / gift card reason name → id. */
  reasonCodeIds: Record<string, number>;
  heartlandCustomerIds: number[];
  commerceCustomers: Array<{ id: number; email: string }>;
  /** Magento payment code → Heartland payment type name, as written into the settings. */
  paymentMethods: Record<string, string>;
  /** Magento shipping code → Heartland shipping method name, as written into the settings. */
  shippingMethods: Record<string, string>;
}

export interface SeedDemoOptions {
  log?: (line: string) => void;
  /** Heartland items (default 60). Only used on the first seed. */
  items?: number;
  /** Customers on each side (default 5). Only used on the first seed. */
  customers?: number;
  /** PRNG seed for the Heartland catalog (default 1). */
  seed?: number;
  /** State store to write settings and the marker to (default: aio-lib-state at AIO_STATE_ENDPOINT). */
  state?: StateStore;
}

/** Magento payment method codes the demo shop uses, and the Heartland payment type each is paid as. */
export const DEMO_PAYMENT_METHODS: Record<string, string> = {
  checkmo: 'Check',
  banktransfer: 'External',
  cashondelivery: 'External',
  purchaseorder: 'External',
  free: 'Web',
  paypal_express: 'PayPal',
  braintree: 'Web',
  '*': 'Web',
};

/** Magento `carrier_method` codes and the Heartland shipping method each maps to. */
export const DEMO_SHIPPING_METHODS: Record<string, string> = {
  flatrate_flatrate: 'Ground',
  freeshipping_freeshipping: 'Ground',
  tablerate_bestway: 'Ground',
  ups_GND: 'Ground',
  ups_1DA: 'Express',
  fedex_FEDEX_GROUND: 'Ground',
  fedex_PRIORITY_OVERNIGHT: 'Express',
  instore_pickup: 'Store Pickup',
  '*': 'Ground',
};

const COMMERCE_ONLY_CUSTOMERS = [
  { firstname: 'Grace', lastname: 'Hopper', city: 'Arlington', region: 'Virginia', region_code: 'VA', region_id: 61, postcode: '22201', street: '12 Navy Way' },
  { firstname: 'Alan', lastname: 'Kay', city: 'Boulder', region: 'Colorado', region_code: 'CO', region_id: 13, postcode: '80302', street: '48 Pearl St' },
  { firstname: 'Ada', lastname: 'Lovelace', city: 'Austin', region: 'Texas', region_code: 'TX', region_id: 57, postcode: '78701', street: '815 Congress Ave' },
  { firstname: 'Edsger', lastname: 'Dijkstra', city: 'Madison', region: 'Wisconsin', region_code: 'WI', region_id: 64, postcode: '53703', street: '1 Capitol Sq' },
  { firstname: 'Barbara', lastname: 'Liskov', city: 'Purchase', region: 'New York', region_code: 'NY', region_id: 43, postcode: '10577', street: '700 Anderson Hill Rd' },
];

/** `Main Street` → `main_street`: MSI source codes may not contain spaces. */
export function sourceCodeFor(locationName: string, taken: Set<string>): string {
  const base = locationName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'store';
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
  taken.add(code);
  return code;
}

/**
 * What the seed needs from a sandbox: the simulators, the host's URL (for the webhook), the state
 * service and the environment. A `Sandbox` is one; the soak builds one around its host child.
 */
export type DemoTarget = Pick<Sandbox, 'env' | 'heartland' | 'commerce'> & { host: { url: string }; state: { url: string } };

export function demoStateStore(sandbox: { state: { url: string } }): StateStore {
  // The host sets __OW_NAMESPACE/__OW_API_KEY for the actions; the same namespace keeps the
  // settings where the actions read them.
  return createAioStateStore({ endpoint: sandbox.state.url });
}

function byName(rows: Array<{ id: number; name: string }>): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.name, r.id]));
}

async function seedHeartland(hl: SimApi, opts: Required<Pick<SeedDemoOptions, 'items' | 'customers' | 'seed'>>, log: (l: string) => void): Promise<void> {
  const health = await hl.control<{ items: number; locations: number }>('GET', 'health');
  if (health.items > 0 || health.locations > 0) {
    log(`[demo] Heartland already has ${health.items} items at ${health.locations} locations; not seeding it again`);
    return;
  }
  await hl.control('POST', 'seed', { items: opts.items, locations: 3, customers: opts.customers, seed: opts.seed, stock: { min: 0, max: 40 } });
  log(`[demo] Heartland: ${opts.items} items × 3 locations, ${opts.customers} customers`);
}

async function ensureSource(mc: SimApi, code: string, name: string): Promise<boolean> {
  try {
    await mc.request('GET', `inventory/sources/${encodeURIComponent(code)}`);
    return false;
  } catch (error) {
    if (!(error instanceof SimHttpError) || error.status !== 404) throw error;
  }
  await mc.request('POST', 'inventory/sources', {
    source: { source_code: code, name, enabled: true, country_id: 'US', postcode: '10577', use_default_carrier_config: true },
  });
  return true;
}

async function ensureProducts(mc: SimApi, items: DemoItem[], stockBySku: Map<string, Map<string, number>>): Promise<number> {
  const existing = new Set((await commerceAll<{ sku: string }>(mc, 'products')).map((p) => p.sku));
  const missing = items.filter((i) => !existing.has(i.sku));
  for (const item of missing) {
    await mc.request('POST', 'products', {
      product: {
        sku: item.sku,
        name: item.name,
        price: item.price,
        type_id: 'simple',
        attribute_set_id: 4,
        status: 1,
        visibility: 4,
        weight: 1,
        custom_attributes: [{ attribute_code: 'url_key', value: item.sku.toLowerCase() }],
      },
    });
  }
  // Opening stock only for products created now: a restart must not reset what the sync wrote since.
  const sourceItems = missing.flatMap((item) =>
    [...(stockBySku.get(item.sku) ?? new Map<string, number>())].map(([source_code, quantity]) => ({ sku: item.sku, source_code, quantity, status: quantity > 0 ? 1 : 0 })),
  );
  for (let i = 0; i < sourceItems.length; i += 200) await mc.request('POST', 'inventory/source-items', { sourceItems: sourceItems.slice(i, i + 200) });
  return missing.length;
}

async function ensureCommerceCustomers(mc: SimApi, people: Array<{ email: string; firstname: string; lastname: string; street: string; city: string; region: string; region_code: string; region_id: number; postcode: string }>): Promise<Array<{ id: number; email: string }>> {
  const out: Array<{ id: number; email: string }> = [];
  for (const p of people) {
    const found = await commerceAll<{ id: number; email: string }>(mc, 'customers/search', [{ field: 'email', value: p.email }]);
    if (found[0]) {
      out.push({ id: found[0].id, email: found[0].email });
      continue;
    }
    const created = await mc.request<{ id: number; email: string }>('POST', 'customers', {
      customer: {
        email: p.email,
        firstname: p.firstname,
        lastname: p.lastname,
        website_id: 1,
        group_id: 1,
        addresses: [
          {
            firstname: p.firstname,
            lastname: p.lastname,
            street: [p.street],
            city: p.city,
            region: { region_code: p.region_code, region: p.region, region_id: p.region_id },
            region_id: p.region_id,
            postcode: p.postcode,
            country_id: 'US',
            telephone: '512-555-0100',
            default_billing: true,
            default_shipping: true,
          },
        ],
      },
    });
    out.push({ id: created.id, email: created.email });
  }
  return out;
}

/** Registers the host's notification webhook (ASSUMED Heartland event webhooks, heartland.md §3.9). */
export async function registerHeartlandWebhook(sandbox: Pick<DemoTarget, 'host' | 'env'>, hl: SimApi): Promise<string> {
  const secret = sandbox.env.HEARTLAND_WEBHOOK_SECRET ?? process.env.HEARTLAND_WEBHOOK_SECRET;
  if (!secret) throw new Error('HEARTLAND_WEBHOOK_SECRET is not set: the demo cannot register the Heartland notification webhook');
  const url = `${sandbox.host.url}/api/v1/web/connector/heartland-webhook/${encodeURIComponent(secret)}/notification`;
  // Drop targets of earlier starts (another host port), then register this one.
  const current = await hl.control<{ targets: Array<{ url: string }> }>('GET', 'notifications');
  const ours = current.targets.filter((t) => t.url.includes('/api/v1/web/connector/heartland-webhook/'));
  if (ours.length !== 1 || ours[0]!.url !== url || current.targets.length !== 1) {
    if (current.targets.length > 0) await hl.control('DELETE', 'notifications');
    await hl.control('POST', 'notifications', { url, secret });
  }
  return url;
}

/**
 * Points the Heartland Gift Card payment type's custom-payment webhooks (check balance, capture,
 * refund, void) at the host, where the gift card area answers them from Magento gift card accounts
 * (`heartland-webhook/<secret>/payment/<operation>`). Re-registering overwrites: safe on every start.
 */
export async function registerGiftCardPaymentWebhooks(sandbox: Pick<DemoTarget, 'host' | 'env'>, hl: SimApi, paymentTypeId: number): Promise<void> {
  const secret = sandbox.env.HEARTLAND_WEBHOOK_SECRET ?? process.env.HEARTLAND_WEBHOOK_SECRET;
  if (!secret) throw new Error('HEARTLAND_WEBHOOK_SECRET is not set: the demo cannot register the gift card payment webhooks');
  const base = `${sandbox.host.url}/api/v1/web/connector/heartland-webhook/${encodeURIComponent(secret)}/payment`;
  await hl.control('POST', 'payment-webhooks', {
    payment_type_id: paymentTypeId,
    check_balance: `${base}/check_balance`,
    capture: `${base}/capture`,
    refund: `${base}/refund`,
    void: `${base}/void`,
  });
}

/** Seeds both simulators and the connector settings once; later calls return what was seeded. */
export async function seedDemo(sandbox: DemoTarget, options: SeedDemoOptions = {}): Promise<DemoSeed> {
  const log = options.log ?? (() => undefined);
  if (!sandbox.heartland || !sandbox.commerce) throw new Error('the demo seed needs both simulators running');
  const hl = heartlandApi(sandbox.heartland.url, { token: sandbox.env.HEARTLAND_API_TOKEN });
  const mc = commerceApi(sandbox.commerce.url, { token: sandbox.env.COMMERCE_ACCESS_TOKEN });
  const state = options.state ?? demoStateStore(sandbox);

  const previous = await state.get<DemoSeed>(DEMO_SEED_KEY);
  const health = await hl.control<{ items: number }>('GET', 'health');
  if (previous?.version === 1 && health.items >= previous.skus.length) {
    await registerHeartlandWebhook(sandbox, hl);
    const giftCardType = previous.paymentTypeIds['Gift Card'];
    if (giftCardType !== undefined) await registerGiftCardPaymentWebhooks(sandbox, hl, giftCardType);
    log(`[demo] already seeded at ${previous.seededAt}: ${previous.skus.length} SKUs, ${previous.locations.length} locations`);
    return previous;
  }

  const itemsWanted = options.items ?? 60;
  const customersWanted = options.customers ?? 5;
  await seedHeartland(hl, { items: itemsWanted, customers: customersWanted, seed: options.seed ?? 1 }, log);

  // Everything below is read back through the real API, so ids are whatever the simulator issued.
  const locations = await heartlandAll<{ id: number; name: string }>(hl, 'locations');
  const stations = await heartlandAll<{ id: number; location_id: number }>(hl, 'stations');
  const items = (await heartlandAll<{ id: number; public_id: string; description: string; price: number }>(hl, 'items')).map(
    (i): DemoItem => ({ id: i.id, sku: i.public_id, name: i.description, price: i.price }),
  );
  const paymentTypeIds = byName(await heartlandAll(hl, 'payment_types'));
  const shippingMethodIds = byName(await heartlandAll(hl, 'shipping_methods'));
  const reasonCodeIds = byName([
    ...(await heartlandAll(hl, 'reason_codes/inventory_adjustment_reasons')),
    ...(await heartlandAll(hl, 'reason_codes/gift_card_adjustment_reasons')),
  ]);
  const hlCustomers = await heartlandAll<{ id: number; email: string; first_name: string; last_name: string }>(hl, 'customers');
  const stock = await heartlandAll<{ item_id: number; location_id: number; qty_available: number }>(hl, 'inventory/values', { 'group[]': ['item_id', 'location_id'] });

  const taken = new Set<string>(['default']);
  const demoLocations: DemoLocation[] = locations.map((l) => {
    const station = stations.find((s) => s.location_id === l.id);
    if (!station) throw new Error(`Heartland location ${l.id} (${l.name}) has no station`);
    return { id: l.id, name: l.name, sourceCode: sourceCodeFor(l.name, taken), stationId: station.id };
  });
  if (demoLocations.length === 0) throw new Error('the Heartland simulator has no locations after seeding');

  let createdSources = 0;
  for (const l of demoLocations) if (await ensureSource(mc, l.sourceCode, `${l.name} (Heartland)`)) createdSources++;

  const skuOfItem = new Map(items.map((i) => [i.id, i.sku]));
  const sourceOfLocation = new Map(demoLocations.map((l) => [l.id, l.sourceCode]));
  const stockBySku = new Map<string, Map<string, number>>();
  for (const row of stock) {
    const sku = skuOfItem.get(row.item_id);
    const source = sourceOfLocation.get(row.location_id);
    if (!sku || !source) continue;
    const perSource = stockBySku.get(sku) ?? new Map<string, number>();
    perSource.set(source, (perSource.get(source) ?? 0) + Math.max(0, row.qty_available));
    stockBySku.set(sku, perSource);
  }
  const createdProducts = await ensureProducts(mc, items, stockBySku);

  const shared = hlCustomers.slice(0, 2).map((c, i) => ({ ...COMMERCE_ONLY_CUSTOMERS[i]!, email: c.email, firstname: c.first_name, lastname: c.last_name }));
  const commerceOnly = COMMERCE_ONLY_CUSTOMERS.slice(0, Math.max(0, customersWanted - shared.length)).map((p) => ({
    ...p,
    email: `${p.firstname}.${p.lastname}@example.com`.toLowerCase(),
  }));
  const commerceCustomers = await ensureCommerceCustomers(mc, [...shared, ...commerceOnly]);

  const idOf = (table: Record<string, number>, name: string, what: string) => {
    const id = table[name];
    if (id === undefined) throw new Error(`the Heartland simulator has no ${what} named "${name}"`);
    return id;
  };
  const fulfilment = demoLocations[0]!;
  await saveConnectorSettings(state, {
    stationId: String(fulfilment.stationId),
    sourceLocationId: String(fulfilment.id),
    locationToSource: demoLocations.map((l) => ({ locationId: String(l.id), sourceCode: l.sourceCode })),
    paymentMethodMap: Object.entries(DEMO_PAYMENT_METHODS).map(([magentoCode, name]) => ({ magentoCode, paymentTypeId: String(idOf(paymentTypeIds, name, 'payment type')) })),
    shippingMethodMap: Object.entries(DEMO_SHIPPING_METHODS).map(([magentoCode, name]) => ({
      magentoCode,
      heartlandShippingMethodId: String(idOf(shippingMethodIds, name, 'shipping method')),
    })),
    giftCards: { paymentTypeId: String(idOf(paymentTypeIds, 'Gift Card', 'payment type')) },
  });

  await registerHeartlandWebhook(sandbox, hl);
  await registerGiftCardPaymentWebhooks(sandbox, hl, idOf(paymentTypeIds, 'Gift Card', 'payment type'));

  const seeded: DemoSeed = {
    version: 1,
    seededAt: new Date().toISOString(),
    locations: demoLocations,
    sourceCodes: demoLocations.map((l) => l.sourceCode),
    skus: items.map((i) => i.sku),
    items,
    stationId: fulfilment.stationId,
    sourceLocationId: fulfilment.id,
    paymentTypeIds,
    shippingMethodIds,
    reasonCodeIds,
    heartlandCustomerIds: hlCustomers.map((c) => c.id),
    commerceCustomers,
    paymentMethods: DEMO_PAYMENT_METHODS,
    shippingMethods: DEMO_SHIPPING_METHODS,
  };
  await state.put(DEMO_SEED_KEY, seeded, { ttlSeconds: YEAR_SECONDS });
  log(
    `[demo] Magento: ${createdProducts} products, ${createdSources} sources (${seeded.sourceCodes.join(', ')}), ${commerceCustomers.length} customers; connector settings written`,
  );
  return seeded;
}

/** What the demo seeded, or undefined before the first seed. */
export async function readDemoSeed(state: StateStore): Promise<DemoSeed | undefined> {
  const seeded = await state.get<DemoSeed>(DEMO_SEED_KEY);
  return seeded?.version === 1 ? seeded : undefined;
}
