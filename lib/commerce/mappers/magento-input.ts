/**
 * Magento data reaches us in two shapes: REST responses (typed numbers, `street[]`, shipping address
 * under `extension_attributes.shipping_assignments`) and I/O Events payloads (commerce.md §1.6, §3.6:
 * DB strings such as `"165.0000"`, `""` for empty columns, `street` newline-joined, addresses in an
 * `addresses[]` list, the entity inside a CloudEvent's `data.value`). This module turns the event
 * shape into the REST shape so one schema and one mapper serve both.
 */

export type InputShape = 'rest' | 'event';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The entity inside a CloudEvent (`{type, data:{value}}`) or an event's `data`; otherwise the input itself. */
export function unwrapEvent(input: unknown): { value: unknown; shape: InputShape } {
  if (isObject(input) && isObject(input.data) && isObject(input.data.value)) return { value: input.data.value, shape: 'event' };
  if (isObject(input) && isObject(input.value) && ('_metadata' in input || 'key' in input)) return { value: input.value, shape: 'event' };
  return { value: input, shape: 'rest' };
}

/** Empty DB columns arrive as `""`; treat them as absent everywhere in an event payload. */
export function blanksToNull(value: unknown): unknown {
  if (value === '') return null;
  if (Array.isArray(value)) return value.map(blanksToNull);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blanksToNull(v)]));
  return value;
}

function splitStreet(address: unknown): unknown {
  if (!isObject(address)) return address;
  if (typeof address.street === 'string') return { ...address, street: address.street.split(/\r?\n/) };
  return address;
}

/** An event-shaped order in the REST layout. Already REST-shaped orders pass through untouched. */
export function orderToRestLayout(order: unknown): unknown {
  if (!isObject(order)) return order;
  const out: Record<string, unknown> = { ...order };
  const addresses = Array.isArray(order.addresses) ? order.addresses.map(splitStreet) : [];
  if (!out.billing_address) {
    const billing = addresses.find((a) => isObject(a) && a.address_type === 'billing');
    if (billing) out.billing_address = billing;
  } else out.billing_address = splitStreet(out.billing_address);
  const ext = isObject(out.extension_attributes) ? { ...out.extension_attributes } : {};
  const assignments = Array.isArray(ext.shipping_assignments) ? ext.shipping_assignments : [];
  const shipping = addresses.find((a) => isObject(a) && a.address_type === 'shipping');
  if (assignments.length === 0 && (shipping || out.shipping_method)) {
    ext.shipping_assignments = [{ shipping: { address: shipping ?? null, method: out.shipping_method ?? null } }];
    out.extension_attributes = ext;
  } else if (assignments.length > 0) {
    ext.shipping_assignments = assignments.map((a) =>
      isObject(a) && isObject(a.shipping) ? { ...a, shipping: { ...a.shipping, address: splitStreet(a.shipping.address) } } : a,
    );
    out.extension_attributes = ext;
  }
  delete out.addresses;
  return out;
}
