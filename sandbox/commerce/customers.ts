/** Customers (commerce.md §2.7): create, read, update, delete, search, default addresses. */
import { bodyObject, pathId, requiredObject, toNumber, toText, type RequestContext, type SimCore } from './context';
import { inputError, invalidField, noSuchEntity } from './errors';
import { magentoTime, type Rec } from './state';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function getCustomer(sim: SimCore, id: number): Rec {
  const customer = sim.store.state.customers[id];
  if (!customer) throw noSuchEntity('customerId', id);
  return customer;
}

function normaliseAddresses(sim: SimCore, customerId: number, raw: unknown, customer: Rec): Rec[] {
  if (raw === undefined || raw === null) return customer.addresses ?? [];
  if (!Array.isArray(raw)) throw invalidField('customer.addresses', JSON.stringify(raw));
  return raw.map((a: Rec, i) => {
    if (!a || typeof a !== 'object') throw invalidField(`customer.addresses[${i}]`, JSON.stringify(a));
    for (const f of ['firstname', 'lastname', 'street', 'city', 'country_id', 'telephone', 'postcode']) {
      if (a[f] === undefined || a[f] === null || a[f] === '') {
        throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: f }, undefined);
      }
    }
    const region = typeof a.region === 'object' && a.region ? a.region : { region_code: a.region_code ?? null, region: typeof a.region === 'string' ? a.region : null, region_id: a.region_id ?? 0 };
    return {
      ...a,
      id: a.id ?? sim.store.next('customer_address'),
      customer_id: customerId,
      street: Array.isArray(a.street) ? a.street.map(String) : [String(a.street)],
      region,
      region_id: region.region_id ?? 0,
      default_billing: a.default_billing === true,
      default_shipping: a.default_shipping === true,
    };
  });
}

function assertUniqueEmail(sim: SimCore, email: string, websiteId: number, exceptId?: number) {
  const taken = Object.values(sim.store.state.customers).some(
    (c) => c.id !== exceptId && c.website_id === websiteId && String(c.email).toLowerCase() === email.toLowerCase(),
  );
  if (taken) throw inputError('A customer with the same email address already exists in an associated website.');
}

function write(sim: SimCore, input: Rec, existing?: Rec): Rec {
  const email = toText(input.email ?? existing?.email, 'customer.email', true)!.trim();
  if (!EMAIL.test(email)) throw inputError('"%1" is not a valid email address.', [email]); // ASSUMED wording
  const firstname = toText(input.firstname ?? existing?.firstname, 'customer.firstname', true)!;
  const lastname = toText(input.lastname ?? existing?.lastname, 'customer.lastname', true)!;
  const websiteId = toNumber(input.website_id ?? existing?.website_id ?? 1, 'customer.website_id', { integer: true, min: 0 })!;
  assertUniqueEmail(sim, email, websiteId, existing?.id);
  const now = magentoTime(sim.now());
  const id = existing?.id ?? sim.store.next('customer');
  const base = existing ?? { created_at: now, created_in: 'Default Store View', disable_auto_group_change: 0, extension_attributes: { is_subscribed: false } };
  const customer: Rec = {
    ...base,
    ...input,
    id,
    email,
    firstname,
    lastname,
    group_id: toNumber(input.group_id ?? base.group_id ?? 1, 'customer.group_id', { integer: true }),
    store_id: toNumber(input.store_id ?? base.store_id ?? 1, 'customer.store_id', { integer: true }),
    website_id: websiteId,
    updated_at: now,
  };
  customer.addresses = normaliseAddresses(sim, id, input.addresses, base);
  const billing = customer.addresses.find((a: Rec) => a.default_billing);
  const shipping = customer.addresses.find((a: Rec) => a.default_shipping);
  if (billing) customer.default_billing = String(billing.id);
  else delete customer.default_billing;
  if (shipping) customer.default_shipping = String(shipping.id);
  else delete customer.default_shipping;
  delete customer.password;
  sim.store.state.customers[id] = customer;
  sim.emit('observer.customer_save_commit_after', customer);
  sim.emit('observer.customer_save_after', customer);
  sim.store.changed();
  return customer;
}

export function createCustomer(ctx: RequestContext, sim: SimCore): Rec {
  const input = requiredObject(bodyObject(ctx), 'customer');
  if (input.id !== undefined && input.id !== null && sim.store.state.customers[input.id]) {
    throw inputError('A customer with the same email address already exists in an associated website.');
  }
  delete input.id;
  return write(sim, input);
}

export function updateCustomer(ctx: RequestContext, sim: SimCore): Rec {
  const id = pathId(ctx, 'customerId');
  const existing = getCustomer(sim, id);
  const input = requiredObject(bodyObject(ctx), 'customer');
  if (input.id !== undefined && Number(input.id) !== id) throw invalidField('customer.id', input.id);
  return write(sim, { ...input, id }, existing);
}

export const readCustomer = (ctx: RequestContext, sim: SimCore) => getCustomer(sim, pathId(ctx, 'customerId'));

export function deleteCustomer(ctx: RequestContext, sim: SimCore): boolean {
  const customer = getCustomer(sim, pathId(ctx, 'customerId'));
  delete sim.store.state.customers[customer.id];
  sim.emit('observer.customer_delete_commit_after', customer);
  sim.store.changed();
  return true;
}

export function defaultAddress(kind: 'billing' | 'shipping') {
  return (ctx: RequestContext, sim: SimCore) => {
    const customer = getCustomer(sim, pathId(ctx, 'customerId'));
    const id = customer[`default_${kind}`];
    const address = (customer.addresses as Rec[]).find((a) => String(a.id) === String(id));
    if (!address) throw noSuchEntity('addressId', id ?? null);
    return address;
  };
}

export function readCustomerAddress(ctx: RequestContext, sim: SimCore): Rec {
  const id = pathId(ctx, 'addressId');
  for (const c of Object.values(sim.store.state.customers)) {
    const a = (c.addresses as Rec[]).find((x) => x.id === id);
    if (a) return a;
  }
  throw noSuchEntity('addressId', id);
}
