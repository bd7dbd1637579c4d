/**
 * Heartland records the order flows create or look up: creates that read only the new id from
 * `Location`, and names in the mapping document (payment types, shipping methods) resolved to ids.
 *
 * Why not `client.orders.create`: the client reads every created record back with a GET. An order
 * with two lines makes six creates, and at Heartland's 5 requests per second those read-backs
 * alone cost more than a second of the 5 s the merchant is promised. The flows need only the id.
 */
import type { HeartlandClient } from '../../heartland/client';
import { idFromLocation } from '../../heartland/client';
import { parsePlaceholder, type Ref } from '../../model/planned-request';
import { UpstreamError } from '../../platform/http';
import { TerminalError } from '../../sync';

/**
 * POST once (never retried by the transport: a lost answer to a create is resolved by the caller's
 * search-before-create on the next try) and return the id from `Location`.
 */
export async function createForId(hl: HeartlandClient, path: string, body: unknown): Promise<number> {
  const res = await hl.request({ method: 'POST', path: path.replace(/^\//, ''), body, maxAttempts: 1 });
  const id = idFromLocation(res.headers.get('location'));
  if (id === undefined) {
    throw new UpstreamError({ system: 'heartland', status: res.status, method: 'POST', url: res.url, code: 'no_location', message: `Heartland POST ${path} answered ${res.status} without a Location header`, retryable: false });
  }
  return id;
}

/** Per-unit caches of name → id lookups (payment types and shipping methods rarely change, but may). */
export interface NameResolver {
  paymentType(ref: Ref | undefined, fallback: Ref | undefined, what: { method: string; order: string }): Promise<number>;
  shippingMethod(ref: Ref | undefined): Promise<number | undefined>;
}

function named(ref: Ref | undefined): { id?: number; name?: string } {
  if (typeof ref === 'number') return { id: ref };
  if (typeof ref === 'string' && /^\d+$/.test(ref)) return { id: Number(ref) };
  if (typeof ref === 'string') {
    const p = parsePlaceholder(ref);
    if (p?.keys.name) return { name: p.keys.name };
    if (!p && ref.trim()) return { name: ref.trim() };
  }
  return {};
}

export function createNameResolver(hl: HeartlandClient): NameResolver {
  const paymentTypes = new Map<string, Promise<number | undefined>>();
  const shippingMethods = new Map<string, Promise<number | undefined>>();
  const byName = (cache: Map<string, Promise<number | undefined>>, name: string, find: (n: string) => Promise<{ id: number } | undefined>) => {
    let hit = cache.get(name);
    if (!hit) {
      hit = find(name).then((r) => r?.id);
      cache.set(name, hit);
    }
    return hit;
  };
  return {
    async paymentType(ref, fallback, what) {
      // The method's own entry first, then the map's default (the `*` entry of the Settings page).
      const tried: string[] = [];
      for (const candidate of [ref, fallback]) {
        const { id, name } = named(candidate);
        if (id !== undefined) return id;
        if (name) {
          const found = await byName(paymentTypes, name, hl.paymentTypes.findByName);
          if (found !== undefined) return found;
          tried.push(`"${name}"`);
        }
      }
      throw new TerminalError(
        `no Heartland payment type for Magento payment method "${what.method}" (order ${what.order})${tried.length ? `: no payment type named ${tried.join(' or ')}` : ''}; map the method in Settings → payment methods`,
        { field: 'payment.method', value: what.method, code: 'payment_type', system: 'heartland' },
      );
    },
    async shippingMethod(ref) {
      const { id, name } = named(ref);
      if (id !== undefined) return id;
      // An unmapped or unknown shipping method is not fatal: the order ships without one.
      return name ? byName(shippingMethods, name, hl.shippingMethods.findByName) : undefined;
    },
  };
}
