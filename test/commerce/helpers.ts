import { startCommerceSimulator, type CommerceSimulatorOptions } from '../../sandbox/commerce/server';
import { SANDBOX_COMMERCE_CREDENTIALS as C } from '../../sandbox/commerce/credentials';
import { createCommerceClient, type CommerceClientOptions } from '../../lib/commerce/client';

export const oauthAuth = {
  kind: 'oauth1' as const,
  consumerKey: C.consumerKey,
  consumerSecret: C.consumerSecret,
  accessToken: C.accessToken,
  accessTokenSecret: C.accessTokenSecret,
};

export async function startSim(opts: CommerceSimulatorOptions = {}) {
  const sim = await startCommerceSimulator({ port: 0, host: '127.0.0.1', bulkDelayMs: 5, ...opts });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path.replace(/^\//, ''), sim.url), {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const rest = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path.replace(/^\//, ''), sim.url), {
      method,
      headers: { authorization: `Bearer ${C.accessToken}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { sim, control, rest };
}

export function clientFor(url: string, extra: Partial<CommerceClientOptions> = {}) {
  return createCommerceClient({ baseUrl: url, auth: oauthAuth, storeCode: 'default', maxAttempts: 3, ...extra });
}

/** A realistic order body for `POST /V1/orders`. */
export function orderEntity(lines: { sku: string; qty: number; price: number }[], extra: Record<string, unknown> = {}) {
  const address = { firstname: 'Jane', lastname: 'Doe', street: ['123 Oak Ave'], city: 'Purchase', region: 'New York', region_code: 'NY', region_id: 43, postcode: '10577', country_id: 'US', telephone: '512-555-1111', email: 'jdoe@example.com' };
  const subtotal = lines.reduce((s, l) => s + l.qty * l.price, 0);
  return {
    customer_email: 'jdoe@example.com',
    customer_firstname: 'Jane',
    customer_lastname: 'Doe',
    subtotal,
    shipping_amount: 5,
    grand_total: subtotal + 5,
    base_grand_total: subtotal + 5,
    items: lines.map((l) => ({ sku: l.sku, name: `Item ${l.sku}`, product_type: 'simple', qty_ordered: l.qty, price: l.price, row_total: l.qty * l.price })),
    billing_address: address,
    payment: { method: 'checkmo' },
    extension_attributes: { shipping_assignments: [{ shipping: { address, method: 'flatrate_flatrate', total: { shipping_amount: 5 } } }] },
    ...extra,
  };
}
