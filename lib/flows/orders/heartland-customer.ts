/**
 * The Heartland customer and addresses a web order is placed for: matched by link, then by email,
 * else created (guests get a customer with the order's name and email, issue 7). The link entity
 * is `customer`, shared with the customer sync flows so both sides agree on who is who.
 */
import type { HeartlandClient } from '../../heartland/client';
import { addressFromHeartland } from '../../heartland/mappers/address';
import type { Address as HeartlandAddress, AddressCreate } from '../../heartland/payloads';
import type { Customer } from '../../model/customer';
import type { Order } from '../../model/order';
import { addressTuples } from '../customers/field-groups';
import type { FlowContext } from '../../sync';
import { createForId } from './heartland-records';
import { createCustomerUnlessTaken } from '../../heartland/customer-identity';

/** Heartland custom field holding the Magento customer id (lib/heartland/mappers/customer.ts default). */
const CUSTOMER_ID_FIELD = 'magento_customer_id';

export const CUSTOMER_LINK = 'customer';

export interface CustomerBodies {
  /** `POST /customers` body from the mapped plan (used only when no customer matches). */
  customer: Record<string, unknown>;
  billing?: AddressCreate;
  shipping?: AddressCreate;
  /** The plan reuses the billing address for shipping when both are the same. */
  shippingIsBilling: boolean;
}

export interface OrderParty {
  customerId: number;
  billingAddressId?: number;
  shippingAddressId?: number;
  /** True when this unit created the customer. */
  created: boolean;
}

/**
 * An address in the customer flows' normalised form (customers/field-groups.ts: trimmed names and
 * lines, region code, upper-cased postcode, phone digits), so the order flow reuses exactly the
 * addresses the customer flows would call the same. Undefined when it cannot be read (no country):
 * such an address never matches and a new one is created.
 */
function addressKey(address: Record<string, unknown>): string | undefined {
  const canonical = addressFromHeartland(address as HeartlandAddress, 'address');
  if (!canonical.ok) return undefined;
  // addressTuples reads only the addresses of the customer it is given.
  const holder = { addresses: [{ ...canonical.value, sourceId: null, isDefaultBilling: false, isDefaultShipping: false }] } as Pick<Customer, 'addresses'>;
  return JSON.stringify(addressTuples(holder as Customer)[0]);
}

async function findCustomer(hl: HeartlandClient, order: Order, ctx: FlowContext): Promise<number | undefined> {
  const magentoId = !order.customer.isGuest ? order.customer.sourceId : null;
  if (magentoId) {
    const link = await ctx.links.get(CUSTOMER_LINK, 'commerce', magentoId);
    if (link && link.system === 'heartland' && /^\d+$/.test(link.id)) return Number(link.id);
  }
  // The customer flow may have created this customer already (with our reference, before linking).
  if (magentoId) {
    const byReference = await hl.customers.findByCustom(CUSTOMER_ID_FIELD, magentoId);
    if (byReference) return byReference.id;
  }
  const byEmail = await hl.customers.findByEmail(order.customer.email);
  return byEmail?.id;
}

/** Links a registered Magento customer to the Heartland customer, without touching a link the customer flows keep. */
async function linkCustomer(order: Order, heartlandId: number, ctx: FlowContext): Promise<void> {
  const magentoId = !order.customer.isGuest ? order.customer.sourceId : null;
  if (!magentoId) return;
  const existing = await ctx.links.get(CUSTOMER_LINK, 'commerce', magentoId);
  if (existing) return;
  await ctx.links.put(CUSTOMER_LINK, 'commerce', magentoId, { system: 'heartland', id: String(heartlandId) });
  if (!(await ctx.links.get(CUSTOMER_LINK, 'heartland', String(heartlandId)))) {
    await ctx.links.put(CUSTOMER_LINK, 'heartland', String(heartlandId), { system: 'commerce', id: magentoId });
  }
}

export async function ensureOrderParty(hl: HeartlandClient, order: Order, bodies: CustomerBodies, ctx: FlowContext): Promise<OrderParty> {
  let customerId = await findCustomer(hl, order, ctx);
  let created = false;
  if (customerId === undefined) {
    // The customer flow may create the same customer at this very moment: a taken reference means it did.
    const magentoId = !order.customer.isGuest ? order.customer.sourceId : null;
    const made = await createCustomerUnlessTaken(hl, magentoId ? { field: CUSTOMER_ID_FIELD, value: magentoId } : undefined, () =>
      createForId(hl, 'customers', bodies.customer),
    );
    customerId = made.id;
    created = made.created;
  }
  await linkCustomer(order, customerId, ctx);

  // A new customer has no addresses yet; an existing one may already hold these (repeat buyers).
  const existing: Array<{ id: number; key: string | undefined }> = created ? [] : (await hl.customers.listAddresses(customerId)).map((a) => ({ id: a.id, key: addressKey(a) }));
  const ensure = async (body: AddressCreate | undefined): Promise<number | undefined> => {
    if (!body) return undefined;
    const key = addressKey(body as Record<string, unknown>);
    const match = key === undefined ? undefined : existing.find((a) => a.key === key);
    if (match) return match.id;
    const id = await createForId(hl, `customers/${customerId}/addresses`, body);
    existing.push({ id, key });
    return id;
  };
  const billingAddressId = await ensure(bodies.billing);
  const shippingAddressId = bodies.shippingIsBilling ? billingAddressId : await ensure(bodies.shipping);
  return { customerId, billingAddressId, shippingAddressId, created };
}
